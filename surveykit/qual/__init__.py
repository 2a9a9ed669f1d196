"""Qualitative material: case notes, codebook, codings, agreement and REFI-QDA exchange.

Public entry points (also re-exported from :mod:`surveykit`): :func:`read_notes`,
:func:`load_codebook`, :func:`load_codings`, :func:`check_codings`,
:func:`code_frequencies`, :func:`code_cooccurrence`, :func:`retrieve_segments`,
:func:`agreement`, :func:`read_qdpx`, :func:`write_qdpx`, :class:`QdaProject`.
Imported lazily so that ``import surveykit.qual`` stays cheap.
"""
from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Note": ".notes", "NoteSet": ".notes", "read_notes": ".notes", "read_note": ".notes",
    "write_note": ".notes",
    "Code": ".codebook", "Codebook": ".codebook", "ConstructLink": ".codebook",
    "load_codebook": ".codebook",
    "Codings": ".codings", "load_codings": ".codings", "check_codings": ".codings",
    "make_segment": ".codings", "write_codings": ".codings", "AnchorResult": ".codings",
    "code_frequencies": ".stats", "code_cooccurrence": ".stats", "code_by_document": ".stats",
    "retrieve_segments": ".stats",
    "agreement": ".agreement", "AgreementResult": ".agreement",
    "krippendorff_alpha_nominal": ".agreement",
    "QdaProject": ".project", "read_qdpx": ".qdpx", "write_qdpx": ".qdpx",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    mod = _EXPORTS.get(name)
    if mod is None:
        raise AttributeError(f"module 'surveykit.qual' has no attribute {name!r}")
    value = getattr(importlib.import_module(mod, __name__), name)
    globals()[name] = value
    return value
