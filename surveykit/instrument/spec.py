"""What an instrument file may contain: keys, required keys and patterns (one place).

Used by the parser (unknown-key and missing-key messages) and by :func:`json_schema`,
which produces ``docs/instrument.schema.json`` (a test keeps the two in step).
"""
from __future__ import annotations

import re
from typing import Any

from .model import MISSING_KINDS, SCALE_TYPES

__all__ = ["MAX_ITEMS", "TOP_KEYS", "TOP_REQUIRED", "RSCALE_KEYS", "ITEM_KEYS", "ITEM_REQUIRED", "SELECT_KINDS", "SCALE_KEYS",
           "SCALE_REQUIRED", "MATRIX_KEYS", "MATRIX_REQUIRED", "SECTION_KEYS", "SECTION_REQUIRED", "MISSING_KEYS", "SEMVER",
           "ID_PATTERN", "ITEM_ID_PATTERN", "LANG_PATTERN", "SCORE_METHODS", "json_schema"]

TOP_KEYS = ("id", "version", "languages", "title", "description", "instructions", "changelog",
            "response_scales", "items", "matrices", "scales", "sections")
TOP_REQUIRED = ("id", "version", "languages", "title", "changelog", "response_scales", "items")
RSCALE_KEYS = ("type", "options", "missing", "min", "max")
ITEM_KEYS = ("id", "text", "response", "construct", "reverse", "attention_check", "relevant",
             "required", "note", "select", "min_choices", "max_choices")
#: Values of an item's ``select`` key: one option (the default) or any number (多选题).
SELECT_KINDS = ("one", "multiple")
ITEM_REQUIRED = ("id", "text", "response")
SCALE_KEYS = ("id", "name", "items", "score", "min_valid", "parent")
SCALE_REQUIRED = ("id", "name", "items")
#: A matrix battery (矩阵量表题): its id, stem, rows (item ids) and an optional note.
MATRIX_KEYS = ("id", "text", "items", "note")
MATRIX_REQUIRED = ("id", "text", "items")
SECTION_KEYS = ("id", "title", "items")
SECTION_REQUIRED = ("id", "title", "items")
MISSING_KEYS = ("kind",)  # plus one label per declared language
SCORE_METHODS = ("mean", "sum")

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
ITEM_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
#: most items one instrument file may hold (validation is linear: ≈ 0.2 ms of CPU per item,
#: docs/performance.md); larger files are refused before their items are checked
MAX_ITEMS = 100_000
LANG_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")

#: Extra hints for keys designers commonly write by mistake.
KEY_HINTS = {
    "scale": "the response scale of an item is given with 'response'",
    "label": "item wording goes under 'text'",
    "question": "item wording goes under 'text'",
    "reversed": "write 'reverse: true'",
    "skip": "skip conditions go under 'relevant'",
    "condition": "skip conditions go under 'relevant'",
    "min_items": "the minimum number of answered items is 'min_valid'",
    "method": "the scoring method is 'score: mean' or 'score: sum'",
    "labels": "option labels go under 'options'",
    "choices": "option labels go under 'options'",
    "multiple": "a multi-select question is 'select: multiple'",
    "multi": "a multi-select question is 'select: multiple'",
    "matrix": "a matrix battery is declared under the top-level 'matrices:' list",
    "rows": "a matrix lists its rows (item ids) under 'items'",
    "stem": "a matrix's stem goes under 'text'",
    "other": "an other-specify option is marked in its response scale: "
             "'5: {zh: 其他, en: Other, specify: true}'",
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of an instrument file (as published in docs/).

    YAML mapping keys that are numbers (option codes) appear as strings in JSON, so
    ``options`` and ``missing`` keys are matched by a number pattern.
    """
    text = {"type": "object", "minProperties": 1,
            "propertyNames": {"pattern": LANG_PATTERN.pattern},
            "additionalProperties": {"type": "string", "minLength": 1},
            "description": "Text per declared language, e.g. {zh: ..., en: ...}."}
    code = r"^-?[0-9]+(\.[0-9]+)?$"
    ref_text = {"$ref": "#/$defs/localized_text"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://surveykit.invalid/instrument.schema.json",
        "title": "surveykit instrument (one released version)",
        "description": "See docs/instruments.md. Cross-references (items named by scales, "
                       "sections and conditions), labels for every declared language and the "
                       "lock file are checked by `surveykit instrument validate`, not by this "
                       "schema.",
        "type": "object",
        "additionalProperties": False,
        "required": list(TOP_REQUIRED),
        "properties": {
            "id": {"type": "string", "pattern": ID_PATTERN.pattern},
            "version": {"type": "string", "pattern": SEMVER.pattern},
            "languages": {"type": "array", "minItems": 1, "uniqueItems": True,
                          "items": {"type": "string", "pattern": LANG_PATTERN.pattern}},
            "title": ref_text, "description": ref_text, "instructions": ref_text,
            "changelog": ref_text,
            "response_scales": {"type": "object", "minProperties": 1,
                                "propertyNames": {"pattern": ID_PATTERN.pattern},
                                "additionalProperties": {"$ref": "#/$defs/response_scale"}},
            "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
            "matrices": {"type": "array", "items": {"$ref": "#/$defs/matrix"}},
            "scales": {"type": "array", "items": {"$ref": "#/$defs/scale"}},
            "sections": {"type": "array", "items": {"$ref": "#/$defs/section"}},
        },
        "$defs": {
            "localized_text": text,
            "response_scale": {
                "type": "object", "additionalProperties": False, "required": ["type"],
                "properties": {
                    "type": {"enum": list(SCALE_TYPES)},
                    "options": {"type": "object", "minProperties": 1,
                                "propertyNames": {"pattern": code},
                                "additionalProperties": {
                                    "type": "object", "minProperties": 1,
                                    "properties": {"specify": {"type": "boolean"}},
                                    "propertyNames": {"anyOf": [
                                        {"const": "specify"},
                                        {"pattern": LANG_PATTERN.pattern}]},
                                    "additionalProperties": {"type": "string",
                                                             "minLength": 1}}},
                    "missing": {"type": "object", "propertyNames": {"pattern": code},
                                "additionalProperties": {
                                    "type": "object", "required": ["kind"],
                                    "properties": {"kind": {"enum": list(MISSING_KINDS)}},
                                    "propertyNames": {"anyOf": [{"const": "kind"},
                                                                {"pattern": LANG_PATTERN.pattern}]},
                                    "additionalProperties": {"type": "string", "minLength": 1}}},
                    "min": {"type": "number"}, "max": {"type": "number"},
                },
            },
            "item": {
                "type": "object", "additionalProperties": False,
                "required": list(ITEM_REQUIRED),
                "properties": {
                    "id": {"type": "string", "pattern": ITEM_ID_PATTERN.pattern},
                    "text": ref_text,
                    "response": {"type": "string", "pattern": ID_PATTERN.pattern},
                    "construct": {"type": ["string", "null"],
                                  "pattern": r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$"},
                    "reverse": {"type": "boolean"},
                    "attention_check": {"type": "number"},
                    "relevant": {"type": "string", "minLength": 1},
                    "required": {"type": "boolean"},
                    "note": ref_text,
                    "select": {"enum": list(SELECT_KINDS)},
                    "min_choices": {"type": "integer", "minimum": 1},
                    "max_choices": {"type": "integer", "minimum": 1},
                },
            },
            "scale": {
                "type": "object", "additionalProperties": False,
                "required": list(SCALE_REQUIRED),
                "properties": {
                    "id": {"type": "string", "pattern": ID_PATTERN.pattern},
                    "name": ref_text,
                    "items": {"type": "array", "minItems": 1, "uniqueItems": True,
                              "items": {"type": "string", "pattern": ITEM_ID_PATTERN.pattern}},
                    "score": {"enum": list(SCORE_METHODS)},
                    "min_valid": {"type": "integer", "minimum": 1},
                    "parent": {"type": "string", "pattern": ID_PATTERN.pattern},
                },
            },
            "matrix": {
                "type": "object", "additionalProperties": False,
                "required": list(MATRIX_REQUIRED),
                "properties": {
                    "id": {"type": "string", "pattern": ITEM_ID_PATTERN.pattern},
                    "text": ref_text,
                    "items": {"type": "array", "minItems": 2, "uniqueItems": True,
                              "items": {"type": "string", "pattern": ITEM_ID_PATTERN.pattern}},
                    "note": ref_text,
                },
            },
            "section": {
                "type": "object", "additionalProperties": False,
                "required": list(SECTION_REQUIRED),
                "properties": {
                    "id": {"type": "string", "pattern": ID_PATTERN.pattern},
                    "title": ref_text,
                    "items": {"type": "array", "minItems": 1, "uniqueItems": True,
                              "items": {"type": "string", "pattern": ITEM_ID_PATTERN.pattern}},
                },
            },
        },
    }
