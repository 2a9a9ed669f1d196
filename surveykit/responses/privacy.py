"""Pseudonymous respondent ids: a keyed hash (HMAC-SHA256) of the id in the file.

The key comes from ``key=`` or the environment variable ``SURVEYKIT_PSEUDONYM_KEY``;
it is never written anywhere. Without either, a random key is made once per Python
process (pseudonyms then agree within one run — waves read in one session can be
linked — but not across runs) and a :class:`PseudonymKeyWarning` says so. Keep one
secret key per study (e.g. in a password manager) to get stable pseudonyms.
"""
from __future__ import annotations

import hmac
import os
import secrets
import warnings

import numpy as np
import pandas as pd

from ..errors import SurveykitWarning

__all__ = ["ENV_KEY", "PseudonymKeyWarning", "resolve_key", "pseudonymise_ids"]

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


def pseudonymise_ids(ids: pd.Series, key: bytes) -> pd.Series:
    """``"p" + first 16 hex digits of HMAC-SHA256(key, id)`` for each id (NA stays NA).

    Each *distinct* id is hashed once (C-level ``hmac.digest``) and broadcast back.
    """
    text = ids.astype("str")
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    hashed = np.array(["p" + hmac.digest(key, str(u).strip().encode("utf-8"), "sha256").hex()[:16]
                       for u in uniques], dtype=object)
    out = np.where(codes < 0, None, hashed[np.where(codes < 0, 0, codes)] if len(hashed) else None)
    return pd.Series(out, index=ids.index, dtype="str")
