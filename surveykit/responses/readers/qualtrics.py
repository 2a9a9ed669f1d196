"""Qualtrics CSV: three header rows (export tags, question text, ImportId JSON)."""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from .csv import open_csv
from .table import RawTable
from .textfile import decode_bytes, header_records

__all__ = ["is_qualtrics", "open_qualtrics", "QUALTRICS_META", "TEXT_IQ", "SIDE_BY_SIDE"]

#: Qualtrics metadata columns → surveykit meta names ("" = personal data, dropped by default)
QUALTRICS_META = {
    "StartDate": "started_at", "EndDate": "ended_at", "Status": "status",
    "IPAddress": "ip", "Progress": "progress", "Duration (in seconds)": "duration_s",
    "Finished": "finished", "RecordedDate": "submitted_at", "ResponseId": "respondent_id",
    "RecipientLastName": "recipient_last_name", "RecipientFirstName": "recipient_first_name",
    "RecipientEmail": "recipient_email", "ExternalReference": "external_reference",
    "LocationLatitude": "location_latitude", "LocationLongitude": "location_longitude",
    "DistributionChannel": "channel", "UserLanguage": "language",
}


#: Text iQ / sentiment columns Qualtrics adds after a text question ("Q2 - Topics"): tool
#: output, not answers (ignored, listed in the mapping report)
TEXT_IQ = re.compile(r"^(?P<q>.+?) - (?:Parent Topics|Topics|Topic Hierarchy Level \d+|"
                     r"Sentiment(?: Polarity| Score)?|Topic Sentiment (?:Label|Score)|"
                     r"Actionability|Emotion(?: Intensity)?|Effort(?: Numeric)?)$")
#: a side-by-side question's column tag: ``Q4#1_1`` (question 4, column set 1, row 1)
SIDE_BY_SIDE = re.compile(r"^[A-Za-z]\w*#\d+_\d+(?:_\d+)?$")


def is_qualtrics(data: bytes) -> bool:
    """Qualtrics export: the third header row holds ImportId objects — JSON in current
    exports (``{"ImportId":"QID1"}``), a Python-style dict in 2016-era ones
    (``{'ImportId': 'QID1'}``)."""
    head = data[:65536]
    return (b'{"ImportId"' in head or b'{""ImportId""' in head or b"{'ImportId'" in head)


def _import_id(cell: str) -> str:
    for parse in (json.loads, ast.literal_eval):
        try:
            v = parse(cell)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(v, dict):
            return str(v.get("ImportId", ""))
    return ""


def open_qualtrics(path: Path, data: bytes, encoding: str | None) -> RawTable:
    dec = decode_bytes(data, path.name, encoding)
    rows, _ = header_records(dec.utf8, 3, path.name)
    third = rows[2] if len(rows) > 2 else []
    n = 3 if any(c.strip().startswith("{") and "ImportId" in c for c in third) else 2
    table = open_csv(path, data, encoding, header_rows=n, reader="qualtrics")
    table.kind = "qualtrics"
    if n == 3:
        tags = [_import_id(c) for c in third]
        table.value_labels = {"__import_ids__": dict(enumerate(tags))}
    return table
