"""Pseudonymous respondent ids: a keyed hash (HMAC-SHA256) of the id in the file.

The key comes from ``key=`` or the environment variable ``SURVEYKIT_PSEUDONYM_KEY``;
it is never written anywhere. Without either, a random key is made once per Python
process (pseudonyms then agree within one run — waves read in one session can be
linked — but not across runs) and a :class:`PseudonymKeyWarning` says so. Keep one
secret key per study (e.g. in a password manager) to get stable pseudonyms.

The pseudonym is ``"p"`` + the first 16 hex digits (64 bits) of
``HMAC-SHA256(key, id)`` (RFC 2104), the id taken as UTF-8 text without surrounding
spaces (an integer-valued number as its integer text, so ``12`` and ``12.0`` agree).
"""
from __future__ import annotations

import hashlib
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
           "factorize_ids"]

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


def _id_texts(uniques: Any) -> list[str]:
    """Distinct ids as text, vectorised: integer-valued numbers without ``.0``."""
    u = pd.Index(uniques)
    if pd.api.types.is_float_dtype(u.dtype):
        whole = np.isfinite(u.to_numpy()) & (np.mod(u.to_numpy(), 1) == 0)
        if whole.all():
            u = u.astype("int64")
    if pd.api.types.is_numeric_dtype(u.dtype):
        return u.astype(str).tolist()
    return [str(x).strip() for x in u.tolist()]


def factorize_ids(ids: pd.Series) -> tuple[np.ndarray, Any]:
    """Factor codes (−1 for a missing id) and distinct ids, spaces around text ids removed."""
    col = ids.str.strip() if pd.api.types.is_string_dtype(ids.dtype) else ids
    return pd.factorize(col, use_na_sentinel=True)


def pseudonymise_ids(ids: pd.Series, key: bytes, factors: tuple | None = None) -> pd.Series:
    """``"p" + 16 hex digits of HMAC-SHA256(key, id)`` per id (NA stays NA).

    Each *distinct* id is hashed once and broadcast back by its factor code
    (``factors`` = the result of :func:`factorize_ids`, if already computed).
    """
    codes, uniques = factors if factors is not None else factorize_ids(ids)
    n_u = len(uniques)
    if n_u == 0:
        return pd.Series([None] * len(ids), index=ids.index, dtype="str")
    msgs = [t.encode("utf-8") for t in _id_texts(uniques)]
    hexbuf = hmac_prefixes(msgs, key).hex().encode("ascii")
    hexed = pa.FixedSizeBinaryArray.from_buffers(pa.binary(16), n_u,
                                                 [None, pa.py_buffer(hexbuf)]).cast(pa.string())
    named = pc.binary_join_element_wise("p", hexed, "")
    idx = pa.array(codes, mask=codes < 0, type=pa.int64())
    taken = pc.take(named, idx)
    return pd.Series(pd.array(taken, dtype=pd.StringDtype("pyarrow", na_value=np.nan)),
                     index=ids.index).astype("str")
