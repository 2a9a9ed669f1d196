"""Responses: read survey exports, map columns to items, pool waves.

Public entry points (re-exported from :mod:`surveykit`): :class:`Responses`,
:func:`read_responses` (``responses/read.py``) and :func:`pool_waves` (``responses/waves.py``).
"""
from .model import (
                    ISSUE_COLUMNS,
                    MAPPING_COLUMNS,
                    META_COLUMNS,
                    MISSING_DTYPE,
                    MISSING_REASONS,
                    Responses,
                    SourceFile,
)

__all__ = ["Responses", "SourceFile", "MISSING_REASONS", "MISSING_DTYPE", "MAPPING_COLUMNS",
           "ISSUE_COLUMNS", "META_COLUMNS"]
