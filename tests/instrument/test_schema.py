"""docs/instrument.schema.json: generated from spec.py; every shipped instrument conforms."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from surveykit.instrument.spec import json_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "docs" / "instrument.schema.json"


def _json(x):
    if isinstance(x, dict):
        return {str(k): _json(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_json(v) for v in x]
    return x


def _load(path):
    return _json(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def test_published_schema_is_current():
    published = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert published == json_schema(), (
        "regenerate: python -c \"import json; from surveykit.instrument.spec import json_schema; "
        "open('docs/instrument.schema.json','w').write(json.dumps(json_schema(), indent=2, "
        "ensure_ascii=False)+'\\n')\"")
    jsonschema.Draft202012Validator.check_schema(published)


@pytest.mark.parametrize("path", sorted((REPO / "instruments").glob("*/*.yaml")) +
                         [REPO / "tests" / "instrument" / "valid_mini.yaml",
                          REPO / "tests" / "instrument" / "valid_matrix.yaml"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_instrument_conforms(path):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(_load(path))]
    assert errors == []


def test_schema_rejects_unknown_key():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = _load(REPO / "tests" / "instrument" / "broken" / "unknown_key.yaml")
    with pytest.raises(jsonschema.ValidationError, match=r"'revrese' was unexpected"):
        jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
