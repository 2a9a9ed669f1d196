"""Pseudonymous respondent ids: a keyed pseudo-random function (SipHash-2-4) of the id.

The key comes from ``key=`` or the environment variable ``SURVEYKIT_PSEUDONYM_KEY``;
it is never written anywhere. Without either, a random key is made once per Python
process (pseudonyms then agree within one run — waves read in one session can be
linked — but not across runs) and a :class:`PseudonymKeyWarning` says so. Keep one
secret key per study (e.g. in a password manager) to get stable pseudonyms.

The pseudonym is ``"p"`` + 16 hex digits: the 64-bit ``SipHash-2-4(k, id)``
(Aumasson & Bernstein 2012, a keyed PRF built for short inputs) written as one
big-endian hex number, with the 128-bit SipHash key ``k`` = the first 16 bytes of
``HMAC-SHA256(key, "surveykit/pseudonym/siphash-2-4")`` (RFC 2104). The id is taken as
UTF-8 text without surrounding spaces (an integer-valued number as its integer text, so
``12`` and ``12.0`` agree). SipHash runs vectorised over all ids at once (numpy uint64
lanes), so a million ids take well under a second with no per-id Python loop; the
user's key only ever enters the one HMAC that derives ``k``, and neither is written.

(surveykit 0.1 before this change used ``"p"`` + the first 16 hex digits of
``HMAC-SHA256(key, id)``; pseudonyms made with the same key differ between the two.)
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import SurveykitWarning

__all__ = ["ENV_KEY", "PseudonymKeyWarning", "resolve_key", "pseudonymise_ids", "hmac_prefixes",
           "factorize_ids", "pseudonym_numbers", "siphash24", "pseudonym_hex", "SIPHASH_LABEL"]

ENV_KEY = "SURVEYKIT_PSEUDONYM_KEY"
_RUN_KEY: bytes | None = None


class PseudonymKeyWarning(SurveykitWarning):
    """No pseudonym key was given: a random per-run key is used."""


def resolve_key(key: str | bytes | None) -> bytes:
    """The HMAC key: ``key``, else ``$SURVEYKIT_PSEUDONYM_KEY``, else a random per-run key."""
    global _RUN_KEY
    if key is not None:
        return key.encode("utf-8") if isinstance(key, str) else bytes(key)
    env = os.environ.get(ENV_KEY)
    if env:
        return env.encode("utf-8")
    if _RUN_KEY is None:
        _RUN_KEY = secrets.token_bytes(32)
    warnings.warn(
        f"No pseudonym key given (key= or ${ENV_KEY}): respondent ids are hashed with a random "
        f"key made for this run, so pseudonyms will differ next time. Set {ENV_KEY} to a "
        f"secret kept with the study to make them stable.", PseudonymKeyWarning, stacklevel=3)
    return _RUN_KEY


def hmac_prefixes(messages: list[bytes], key: bytes) -> bytes:
    """First 8 bytes of HMAC-SHA256(key, m) for each message, concatenated.

    HMAC is built from two SHA-256 states pre-keyed once (RFC 2104), so each message
    costs two hash-object copies — several times faster than ``hmac.digest`` per call.
    """
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner0 = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer0 = hashlib.sha256(bytes(b ^ 0x5C for b in key))
    out = []
    append = out.append
    for m in messages:
        h = inner0.copy()
        h.update(m)
        o = outer0.copy()
        o.update(h.digest())
        append(o.digest()[:8])
    return b"".join(out)


#: label of the SipHash key derived from the user's key (changing it changes every pseudonym)
SIPHASH_LABEL = b"surveykit/pseudonym/siphash-2-4"


def _siphash_key(key: bytes) -> tuple[int, int]:
    """The 128-bit SipHash key (k0, k1) derived from the user's key by HMAC-SHA256."""
    k = hmac.digest(key, SIPHASH_LABEL, "sha256")[:16]
    return int.from_bytes(k[:8], "little"), int.from_bytes(k[8:], "little")


def _rotl(x: np.ndarray, b: int, tmp: np.ndarray) -> None:
    np.right_shift(x, np.uint64(64 - b), out=tmp)
    np.left_shift(x, np.uint64(b), out=x)
    np.bitwise_or(x, tmp, out=x)


def _sipround(v0: np.ndarray, v1: np.ndarray, v2: np.ndarray, v3: np.ndarray,
              t: np.ndarray) -> None:
    v0 += v1
    _rotl(v1, 13, t)
    v1 ^= v0
    _rotl(v0, 32, t)
    v2 += v3
    _rotl(v3, 16, t)
    v3 ^= v2
    v0 += v3
    _rotl(v3, 21, t)
    v3 ^= v0
    v2 += v1
    _rotl(v1, 17, t)
    v1 ^= v2
    _rotl(v2, 32, t)


#: messages hashed per numpy pass (5 uint64 lanes of this length stay in L2 cache)
_LANES = 32_768


def siphash24(words: np.ndarray, k0: int, k1: int) -> np.ndarray:
    """SipHash-2-4 of many messages at once (one numpy lane per message).

    ``words`` is (n, w) uint64: each message's bytes padded with zeros to ``8 * w``
    bytes and read as little-endian words, the last byte holding ``len(message) % 256``
    (``w = len // 8 + 1``), as in the SipHash specification. Returns n uint64.

    >>> key = bytes(range(16))
    >>> w = np.frombuffer(bytes(range(15)) + bytes([15]), dtype="<u8").reshape(1, 2)
    >>> hex(int(siphash24(w, int.from_bytes(key[:8], "little"),
    ...                       int.from_bytes(key[8:], "little"))[0]))  # paper's test vector
    '0xa129ca6149be45e5'
    """
    n, w = words.shape
    if n > _LANES:        # in cache-sized chunks: 4-5x faster than 1M-lane vectors
        return np.concatenate([siphash24(words[i:i + _LANES], k0, k1)
                               for i in range(0, n, _LANES)])
    v0 = np.full(n, k0 ^ 0x736F6D6570736575, dtype=np.uint64)
    v1 = np.full(n, k1 ^ 0x646F72616E646F6D, dtype=np.uint64)
    v2 = np.full(n, k0 ^ 0x6C7967656E657261, dtype=np.uint64)
    v3 = np.full(n, k1 ^ 0x7465646279746573, dtype=np.uint64)
    t = np.empty(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(w):
            m = np.ascontiguousarray(words[:, j], dtype=np.uint64)
            v3 ^= m
            _sipround(v0, v1, v2, v3, t)
            _sipround(v0, v1, v2, v3, t)
            v0 ^= m
        v2 ^= np.uint64(0xFF)
        for _ in range(4):
            _sipround(v0, v1, v2, v3, t)
    return v0 ^ v1 ^ v2 ^ v3


def _id_array(uniques: Any) -> pa.Array:
    """Distinct ids as an Arrow string array: integer-valued numbers without ``.0``."""
    u = pd.Index(uniques)
    if pd.api.types.is_float_dtype(u.dtype):
        x = u.to_numpy()
        whole = np.isfinite(x) & (np.mod(x, 1) == 0)
        if whole.all():
            u = u.astype("int64")
    if pd.api.types.is_integer_dtype(u.dtype):
        return pc.cast(pa.array(u.to_numpy(dtype=np.int64)), pa.large_string())
    if pd.api.types.is_string_dtype(u.dtype) and not u.dtype == object:
        arr = pa.array(u.array)                      # already stripped by factorize_ids
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        return arr.cast(pa.large_string())
    # anything else (object, non-integral floats, mixed): the distinct ids' Python text
    return pa.array([str(x).strip() for x in u.tolist()], type=pa.large_string())


def _message_words(arr: pa.Array) -> list[tuple[np.ndarray, np.ndarray]]:
    """(positions, (k, w) uint64 words) per message length class w = len // 8 + 1."""
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset: arr.offset + len(arr) + 1]
    data = (np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None
            else np.zeros(0, dtype=np.uint8))
    lens = np.diff(off)
    nw = lens // 8 + 1
    out = []
    for w in np.unique(nw):
        rows = np.flatnonzero(nw == w)
        width = int(w) * 8
        col = np.arange(width, dtype=np.int64)
        src = off[rows, None] + col[None, :]
        np.minimum(src, max(len(data) - 1, 0), out=src)
        mat = data[src] if len(data) else np.zeros(src.shape, dtype=np.uint8)
        mat *= col[None, :] < lens[rows, None]              # zero padding after the text
        mat[:, -1] = (lens[rows] & 0xFF).astype(np.uint8)
        out.append((rows, mat.view("<u8")))
    return out


def pseudonym_hex(texts: pa.Array, key: bytes) -> bytes:
    """16 lowercase hex digits of SipHash-2-4 per text (concatenated ASCII bytes)."""
    k0, k1 = _siphash_key(key)
    h = np.empty(len(texts), dtype=np.uint64)
    for rows, words in _message_words(texts):
        h[rows] = siphash24(words, k0, k1)
    b = h.astype(">u8").view(np.uint8)              # big-endian bytes of each hash
    nib = np.empty(2 * len(b), dtype=np.uint8)       # one ASCII hex digit per nibble
    np.right_shift(b, 4, out=nib[0::2])
    np.bitwise_and(b, 15, out=nib[1::2])
    nib += 48 + 39 * (nib > 9).view(np.uint8)        # 0-9 → '0'-'9', 10-15 → 'a'-'f'
    return nib.tobytes()


def pseudonym_numbers(ids: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """``(numbers, present)`` when every present id is a surveykit pseudonym, else None.

    A pseudonym ``"p"`` + 16 hex digits spells one 64-bit number, so two pseudonyms are
    equal exactly when their numbers are: numbers (uint64; 0 where ``present`` is False)
    group and factorise several times faster than the strings. Read straight from the
    Arrow string buffers (no Python strings).
    """
    if not pd.api.types.is_string_dtype(ids.dtype) or ids.dtype == object:
        return None
    try:
        arr = pa.array(ids.array)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        return None
    n = len(arr)
    present = ~np.asarray(arr.is_null(), dtype=bool) if arr.null_count else np.ones(n, bool)
    bufs = arr.buffers()
    otype = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    off = np.frombuffer(bufs[1], dtype=otype)[arr.offset: arr.offset + n + 1]
    if n == 0 or not np.array_equal(np.diff(off)[present], np.full(int(present.sum()), 17)):
        return None
    data = np.frombuffer(bufs[2], dtype=np.uint8)[off[0]: off[-1]].reshape(-1, 17)
    if not (data[:, 0] == ord("p")).all():
        return None
    digits = np.ascontiguousarray(data[:, 1:])
    if ((digits > ord("9")) & (digits < ord("a"))).any():   # upper case: not ours
        return None
    try:
        raw = bytes.fromhex(digits.tobytes().decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None
    out = np.zeros(n, dtype=np.uint64)
    out[present] = np.frombuffer(raw, dtype=">u8")
    return out, present


def factorize_ids(ids: pd.Series) -> tuple[np.ndarray, Any]:
    """Factor codes (−1 for a missing id) and distinct ids, spaces around text ids removed."""
    col = ids.str.strip() if pd.api.types.is_string_dtype(ids.dtype) else ids
    return pd.factorize(col, use_na_sentinel=True)


def pseudonymise_ids(ids: pd.Series, key: bytes, factors: tuple | None = None) -> pd.Series:
    """``"p" + 16 hex digits of SipHash-2-4`` (keyed, see the module docstring) per id.

    NA stays NA. Each *distinct* id is hashed once — all of them in one vectorised
    SipHash pass — and broadcast back by its factor code (``factors`` = the result of
    :func:`factorize_ids`, if already computed).
    """
    codes, uniques = factors if factors is not None else factorize_ids(ids)
    n_u = len(uniques)
    if n_u == 0:
        return pd.Series([None] * len(ids), index=ids.index, dtype="str")
    hexbuf = pseudonym_hex(_id_array(uniques), key)
    hexed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), n_u,
                                                 [None, pa.py_buffer(hexbuf)]).cast(pa.string())
    named = pc.binary_join_element_wise("p", hexed, "")
    idx = pa.array(codes, mask=codes < 0, type=pa.int64())
    taken = pc.take(named, idx)
    return pd.Series(pd.array(taken, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
                     index=ids.index).astype("str")
