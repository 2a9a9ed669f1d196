"""Bytes → text for delimited files: strict decoding with a detected or given encoding.

Survey exports from Chinese platforms are often GBK/GB18030 (Wenjuanxing's code
download), from everywhere else UTF-8, sometimes with a byte-order mark. A file is
decoded *strictly*: if one byte does not fit, the import stops and says where, rather
than importing mojibake. The encoding used is recorded in :class:`SourceFile`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ...errors import ResponsesError

__all__ = ["DecodedFile", "decode_bytes", "header_records"]

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "hz_gb_2312", "cp936"}
#: East-Asian guesses that short GB18030 files are often mistaken for; GB18030 is tried first
_EAST_ASIAN = {"big5", "big5hkscs", "cp950", "cp949", "euc_kr", "johab", "shift_jis", "cp932",
               "euc_jp", "iso2022_jp", "iso2022_kr", "euc_jis_2004", "shift_jis_2004"}


@dataclass(frozen=True)
class DecodedFile:
    """UTF-8 bytes of a text file (transcoded if needed) and the encoding it was read with."""

    utf8: bytes
    encoding: str


def _locate(data: bytes, pos: int) -> str:
    line = data.count(b"\n", 0, pos) + 1
    start = data.rfind(b"\n", 0, pos) + 1
    return f"line {line}, byte {pos - start + 1}"


def _guess(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None:
        return None
    enc = best.encoding.lower().replace("-", "_")
    if enc in _GB_FAMILY or enc in _EAST_ASIAN:
        # a superset of GB2312 and GBK: decodes every GBK export. Short Chinese files are
        # often guessed as Big5 or CP949; survey exports from mainland tools are GB18030.
        # Pass encoding="big5" (etc.) for a genuine Big5 / Shift-JIS / EUC-KR file.
        return "gb18030"
    return best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` / ``"utf-16-be"`` when the start of ``data`` is UTF-16 without a BOM:
    the NUL bytes that ASCII characters (commas, digits, line ends) carry in UTF-16 sit on one
    side of the byte pairs. Text in UTF-8 or GB18030 has no NUL bytes at all."""
    head = data[:4096]
    if len(head) < 4 or head.count(0) < len(head) // 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= 9 * max(even, 1) and odd > len(head) // 8:
        return "utf-16-le"
    if even >= 9 * max(odd, 1) and even > len(head) // 8:
        return "utf-16-be"
    return None


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> DecodedFile:
    """Decode ``data`` strictly; detect UTF-8 (with or without BOM) or GB18030/other.

    Raises
    ------
    ResponsesError
        When the bytes do not decode with the given or detected encoding; the message
        names the line and suggests the encoding that would fit.
    """
    if not data[:65536].strip() and not data.strip():     # (no copy of a large file)
        raise ResponsesError(f"{name} is empty: there is no header row and no data. "
                             f"Export the survey again.", file=name)
    if encoding is not None:
        enc = encoding
        try:
            codec = __import__("codecs").lookup(enc).name
        except LookupError:
            raise ResponsesError(f"{name}: unknown text encoding {encoding!r}. Use e.g. "
                                 f"'utf-8', 'utf-8-sig' or 'gb18030'.", file=name) from None
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            guess = _guess(data)
            hint = (f" It looks like {guess}; pass encoding={guess!r} (--encoding {guess}) or "
                    f"leave it unset to detect it." if guess and guess.lower() != enc.lower() else "")
            raise ResponsesError(f"{name} is not valid {enc} text ({_locate(data, e.start)}).{hint}",
                                 file=name) from None
        if codec in ("utf-8", "utf-8-sig") or codec.startswith("utf_8"):
            body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
            return DecodedFile(body, "utf-8-sig" if body is not data else "utf-8")
        return DecodedFile(text.lstrip("\ufeff").encode("utf-8"), codec)
    if data.startswith(b"\xef\xbb\xbf"):
        body = data[3:]
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ResponsesError(f"{name} starts with a UTF-8 byte-order mark but is not valid "
                                 f"UTF-8 ({_locate(data, e.start + 3)}). Re-export it as UTF-8.",
                                 file=name) from None
        return DecodedFile(body, "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ResponsesError(f"{name} looks like UTF-16 but does not decode. Re-export it "
                                 f"as UTF-8.", file=name) from None
        return DecodedFile(text.encode("utf-8"), "utf-16")
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as e:
            raise ResponsesError(f"{name} looks like {utf16.upper()} text without a byte-order "
                                 f"mark but does not decode (byte {e.start + 1}). Re-export it "
                                 f"as UTF-8.", file=name) from None
        return DecodedFile(text.encode("utf-8"), utf16)
    if data.isascii():             # plain ASCII is valid UTF-8 (checked without decoding)
        return DecodedFile(data, "utf-8")
    try:
        data.decode("utf-8")
        return DecodedFile(data, "utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    guess = _guess(data) or "gb18030"
    try:
        text = data.decode(guess)
    except (UnicodeDecodeError, LookupError):
        raise ResponsesError(
            f"{name} is neither valid UTF-8 ({_locate(data, utf8_error.start)}) nor valid "
            f"{guess}. Pass the file's encoding: encoding= in Python, --encoding on the command line (e.g. gb18030).",
            file=name) from None
    return DecodedFile(text.encode("utf-8"), guess.lower())


def header_records(utf8: bytes, n: int, name: str) -> tuple[list[list[str]], int]:
    """The first ``n`` CSV records (header rows) and the byte offset where the data start.

    Only the header part is parsed in Python (quoted newlines allowed); the data are
    left to the vectorised CSV parser.
    """
    # find the end of the n-th record with a small quote-aware scan of the header bytes
    pos = 0
    quoted = False
    records_end = []
    size = len(utf8)
    while len(records_end) < n and pos < size:
        nl = utf8.find(b"\n", pos)
        q = utf8.find(b'"', pos)
        if quoted:
            if q < 0:
                raise ResponsesError(f"{name}: a quoted header cell is never closed. Check the "
                                     f"export.", file=name)
            if q + 1 < size and utf8[q + 1:q + 2] == b'"':
                pos = q + 2
                continue
            quoted = False
            pos = q + 1
            continue
        if q >= 0 and (nl < 0 or q < nl):
            quoted = True
            pos = q + 1
            continue
        end = size if nl < 0 else nl + 1
        records_end.append(end)
        pos = end
    offset = records_end[-1] if records_end else size
    text = utf8[:offset].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows = [r for r in rows]
    return rows, offset
