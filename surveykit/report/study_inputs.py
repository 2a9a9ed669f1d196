"""Reading a study's waves as report stages: :func:`read_waves` (``Report.read_waves``).

The first lines of every multi-wave study script are the same: record the instruments,
read each wave's export with the instrument versions it was fielded with, pool the waves
through the crosswalks. Done here as named stages (``instruments``, ``read wave 1`` …,
``pool waves``), each export hashed into the manifest, so a failure names the wave and file.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from ..errors import ParameterError

__all__ = ["read_waves"]


def _wave_spec(wave: Any, spec: Any) -> tuple[str, dict[str, str]]:
    if isinstance(spec, (str, os.PathLike)):
        return os.fspath(spec), {}
    if (isinstance(spec, (tuple, list)) and len(spec) == 2
            and isinstance(spec[0], (str, os.PathLike)) and isinstance(spec[1], Mapping)):
        return os.fspath(spec[0]), {str(k): str(v) for k, v in spec[1].items()}
    raise ParameterError(f"The 'waves' parameter of Report.read_waves must map each wave to "
                         f"its export path, or to (path, {{instrument id: version}}). Got "
                         f"{spec!r} for wave {wave!r} instead.")


def read_waves(report: Any, waves: Mapping[Any, Any], *, key: str | None = None,
               root: Any = None) -> Any:
    """Read every wave's export and pool them, as report stages.

    Parameters
    ----------
    report : Report
    waves : mapping wave -> path or (path, versions)
        Each wave's export file, with the instrument versions it was fielded with
        (``{"local_protectionism": "1.0.0"}``; instruments not named: their latest
        released version). One wave is read and returned without pooling.
    key : str, optional
        Pseudonym key for respondent ids (:func:`surveykit.read_responses`).
    root : path, optional
        The instruments folder (default: the study's, as :func:`surveykit.load_questionnaire`).

    Returns
    -------
    Responses
        The pooled responses (``.not_pooled``: items not comparable in every wave; the
        pooling decisions are rows of ``.issues``).

    Notes
    -----
    Stages: ``instruments`` (every instrument recorded in the manifest), ``read wave <w>``
    (the export as the stage's input, hashed), ``pool waves``. R equivalent: reading each
    export (``readxl::read_excel``) and ``dplyr::bind_rows`` after renaming by the crosswalk.

    Examples
    --------
    >>> pooled = report.read_waves({"1": ("wave1.xlsx", {"local_protectionism": "1.0.0"}),
    ...                             "2": "wave2.xlsx"}, key=KEY)       # doctest: +SKIP
    """
    from ..instrument.load import load_instrument, load_questionnaire, load_study_instruments
    from ..responses.read import read_responses
    from ..responses.waves import pool_waves

    if not isinstance(waves, Mapping) or not waves:
        raise ParameterError("The 'waves' parameter of Report.read_waves must be a non-empty "
                             "mapping wave -> export path or (path, versions). Got "
                             f"{waves!r} instead.")
    specs = {str(w): _wave_spec(w, s) for w, s in waves.items()}
    questionnaires = {}
    with report.stage("instruments"):
        for ins in load_study_instruments(root=root):
            report.instrument(ins)
        for wave, (_, versions) in specs.items():
            for iid, ver in versions.items():
                report.instrument(load_instrument(iid, ver, root=root))
            questionnaires[wave] = load_questionnaire(root=root, versions=versions)
    read = []
    for wave, (path, _) in specs.items():
        report.input_file(path)
        with report.stage(f"read wave {wave}", input=path):
            read.append(read_responses(path, questionnaires[wave], key=key, wave=wave))
    if len(read) == 1:
        return read[0]
    with report.stage("pool waves"):
        return pool_waves(read)
