"""Personal details in free text: detect and mask contact data before it reaches an output.

Free-text answers ("其他意见", "请注明") sometimes carry a respondent's phone number or
e-mail address. :func:`scrub_texts` finds and masks, in this order:

========== ============================================================ ============
kind       what is matched                                              mask
========== ============================================================ ============
email      ``name@host.tld``                                            ``[email]``
id_card    18-digit resident ID (GB 11643): a valid birth date and the  ``[id-card]``
           ISO 7064 MOD 11-2 check digit (``X`` = 10); 18 digits whose
           check digit is wrong are *not* masked (order numbers etc.)
mobile     mainland mobile ``1[3-9]`` + 9 digits, optionally ``+86``/    ``[mobile]``
           ``0086``, spaced or hyphenated in 3-4-4 groups
landline   area code ``0`` + 2–3 digits (optionally in brackets) and a     ``[phone]``
           local number of 7–8 digits starting 2–9, optional extension
========== ============================================================ ============

Digits may be ASCII or full-width (``１３８…``). A number glued to other digits is not
matched (``(?<!\\d)`` / ``(?!\\d)``), so amounts and codes are left alone.

The work is vectorised over the column: one ``Series.str.count`` and one
``Series.str.replace`` with a compiled regular expression per kind (pandas runs the regex
over the column; there is no per-row Python loop); the ID-card check digits are computed
with numpy over the candidates only. The masked values are never logged: the log says
which cell (row, column) held how many details of which kind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["KINDS", "MASKS", "PATTERNS", "scrub_texts", "ScrubbedText", "describe_counts"]

_D = "[0-9０-９]"
#: kinds in the order they are masked
KINDS = ("email", "id_card", "mobile", "landline")
MASKS = {"email": "[email]", "id_card": "[id-card]", "mobile": "[mobile]",
         "landline": "[phone]"}
_WORDS = {"email": ("e-mail address", "e-mail addresses"),
          "id_card": ("ID-card number", "ID-card numbers"),
          "mobile": ("mobile number", "mobile numbers"),
          "landline": ("landline number", "landline numbers")}
PATTERNS = {
    "email": re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"),
    "id_card": re.compile(
        rf"(?<![0-9０-９A-Za-z])[1-9１-９]{_D}{{5}}(?:18|19|20|１８|１９|２０){_D}{{2}}"
        rf"(?:[0０][1-9１-９]|[1１][0-2０-２])(?:[0０][1-9１-９]|[12１２]{_D}|[3３][01０１])"
        rf"{_D}{{3}}[0-9０-９Xx](?![0-9０-９A-Za-z])"),
    "mobile": re.compile(
        rf"(?<![0-9０-９])(?:(?:\+|00)?86[\s\-]?)?[1１][3-9３-９]{_D}(?:[\s\-]?{_D}{{4}}){{2}}"
        rf"(?![0-9０-９])"),
    "landline": re.compile(
        rf"(?<![0-9０-９])(?:[(（][0０]{_D}{{2,3}}[)）]|[0０]{_D}{{2,3}})[\s\-]?[2-9２-９]"
        rf"{_D}{{6,7}}(?:[\-转]{_D}{{1,5}})?(?![0-9０-９])"),
}
#: What every match contains: an "@" (e-mail) or ten digits, each followed by at most two
#: separators (a mobile has 11 digits, a landline at least 10, an ID card 18). A column
#: without it has nothing to mask, which one search over the joined column tells.
_ANY = re.compile(r"@|(?:[0-9０-９][\s\-()（）转]{0,2}){9}[0-9０-９]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789xX")
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


@dataclass(frozen=True)
class ScrubbedText:
    """:func:`scrub_texts` output: the masked column and per-cell counts by kind.

    ``counts`` has one row per input cell (same index) and one int column per kind;
    ``cells`` is the boolean mask of cells where anything was masked.
    """

    text: pd.Series
    counts: pd.DataFrame

    @property
    def cells(self) -> np.ndarray:
        return self.counts.to_numpy().sum(axis=1) > 0

    @property
    def n_masked(self) -> int:
        return int(self.counts.to_numpy().sum())


def _valid_ids(candidates: np.ndarray) -> np.ndarray:
    """Which 18-character candidates carry a correct GB 11643 check digit (vectorised)."""
    if len(candidates) == 0:
        return np.zeros(0, dtype=bool)
    text = pd.Series(candidates, dtype=object).str.translate(_FULLWIDTH).str.upper()
    ascii_ = text.to_numpy(dtype="S18")
    b = ascii_.view(np.uint8).reshape(len(candidates), 18)
    digits = b[:, :17].astype(np.int64) - ord("0")
    check = _ID_CHECK[(digits @ _ID_WEIGHTS) % 11]
    return check == b[:, 17]


def _mask_ids(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Mask 18-digit IDs with a valid check digit; return the text and counts per cell."""
    found = s.str.extractall(f"({PATTERNS['id_card'].pattern})")
    counts = np.zeros(len(s), dtype=np.int64)
    if found.empty:
        return s, counts
    cand = found[0].to_numpy(dtype=object)
    ok = _valid_ids(cand)
    if not ok.any():
        return s, counts
    rows = found.index.get_level_values(0)
    pos = s.index.get_indexer(rows[ok])
    np.add.at(counts, pos, 1)
    valid = sorted(set(cand[ok]))
    out = s
    for start in range(0, len(valid), 500):      # exact valid numbers, a few per pattern
        alt = "|".join(map(re.escape, valid[start:start + 500]))
        out = out.str.replace(re.compile(rf"(?<![0-9０-９A-Za-z])(?:{alt})(?![0-9０-９A-Za-z])"),
                              MASKS["id_card"], regex=True)
    return out, counts


def _may_match(s: pd.Series) -> bool:
    """False when no cell of ``s`` can hold a detail (one regex search over the column)."""
    try:
        joined = s.str.cat(sep="\x00")
    except (TypeError, AttributeError):   # cells that are not text: take the full path
        return True
    return _ANY.search(joined) is not None


def scrub_texts(texts: pd.Series) -> ScrubbedText:
    """Mask e-mail addresses, ID-card, mobile and landline numbers in a text column.

    >>> import pandas as pd
    >>> r = scrub_texts(pd.Series(["电话 138-1234-5678，邮箱 li.wei@example.cn", "无"]))
    >>> r.text.tolist()
    ['电话 [mobile]，邮箱 [email]', '无']
    >>> r.counts.loc[0].to_dict()
    {'email': 1, 'id_card': 0, 'mobile': 1, 'landline': 0}
    """
    s = texts.astype("str") if not pd.api.types.is_string_dtype(texts.dtype) else texts
    present = s.notna().to_numpy()
    counts: dict[str, np.ndarray] = {}
    if not _may_match(s):
        zero = np.zeros(len(s), dtype=np.int64)
        return ScrubbedText(s.where(present, texts),
                            pd.DataFrame({k: zero for k in KINDS}, index=texts.index))
    for kind in KINDS:
        if kind == "id_card":
            s, counts[kind] = _mask_ids(s)
            continue
        pat = PATTERNS[kind]
        c = s.str.count(pat).to_numpy(dtype="float64", na_value=0.0).astype(np.int64)
        counts[kind] = c
        if c.any():
            s = s.str.replace(pat, MASKS[kind], regex=True)
    s = s.where(present, texts)
    return ScrubbedText(s, pd.DataFrame(counts, index=texts.index))


def describe_counts(counts: pd.DataFrame) -> pd.Series:
    """Per cell: ``1 e-mail address, 2 mobile numbers`` (empty where nothing was masked)."""
    out = pd.Series("", index=counts.index, dtype=object)
    for kind in KINDS:
        c = counts[kind].to_numpy()
        hit = c > 0
        if not hit.any():
            continue
        one, many = _WORDS[kind]
        piece = pd.Series(np.where(c == 1, f"1 {one}", pd.Series(c).astype(str) + f" {many}"),
                          index=counts.index)
        sep = np.where(out != "", ", ", "")
        out = out.where(~hit, out + sep + piece)
    return out
