"""Qualtrics CSV: three header rows (export tags, question text, ImportId JSON)."""
from __future__ import annotations

import json
from pathlib import Path

from . import RawTable
from .csv import open_csv
from .textfile import decode_bytes, header_records

__all__ = ["is_qualtrics", "open_qualtrics", "QUALTRICS_META"]

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


def is_qualtrics(data: bytes) -> bool:
    head = data[:65536]
    return b'{"ImportId"' in head or b'{""ImportId""' in head


def open_qualtrics(path: Path, data: bytes, encoding: str | None) -> RawTable:
    dec = decode_bytes(data, path.name, encoding)
    rows, _ = header_records(dec.utf8, 3, path.name)
    third = rows[2] if len(rows) > 2 else []
    n = 3 if any(c.strip().startswith("{") and "ImportId" in c for c in third) else 2
    table = open_csv(path, data, encoding, header_rows=n, reader="qualtrics")
    table.kind = "qualtrics"
    if n == 3:
        tags = []
        for c in third:
            try:
                tags.append(str(json.loads(c).get("ImportId", "")))
            except (ValueError, AttributeError):
                tags.append("")
        table.value_labels = {"__import_ids__": dict(enumerate(tags))}
    return table
