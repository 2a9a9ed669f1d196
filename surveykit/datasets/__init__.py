"""Example data: a SIMULATED two-region cadre survey (Chengdu / Chongqing) and its generator.

Nothing here comes from real respondents. The bundled copy under
``surveykit/datasets/data/regional_synergy/`` was made by :func:`simulate_study` with
:data:`BUNDLED_SEED` (``python -m surveykit.datasets.build`` rebuilds it byte-identically):

* ``SIMULATED_wave1_wjx_code_gb18030.csv`` — wave 1 as a Wenjuanxing *code* download
  (按序号), GB18030-encoded, local_protectionism 1.0.0;
* ``SIMULATED_wave2_wjx_text.xlsx`` — wave 2 as a Wenjuanxing *text* download (按文本),
  local_protectionism 1.1.0 (LP05 reworded, LP13 added);
* ``SIMULATED_truth.csv`` — per exported row: the fault planted (speeder, straightliner,
  duplicate), which row a duplicate copies, and the latent construct scores;
* ``population_model.json`` — the generating model (see :func:`population_model`).

>>> from surveykit.datasets import example_study_path, load_example_wave
>>> example_study_path("wave1").name
'SIMULATED_wave1_wjx_code_gb18030.csv'
>>> r = load_example_wave(1, key="example")          # doctest: +SKIP
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._files import write_bytes, write_text
from .._params import PATH, Interval, Options, validate_params
from .simulate import CONSTRUCTS, STUDY_ORDER, SimulatedWave, population_model, simulate_waves

__all__ = ["simulate_study", "SimulatedStudy", "example_study_path", "load_example_wave",
           "study_instrument", "population_model", "BUNDLED_SEED", "BUNDLED_N", "FILES",
           "STUDY_ORDER", "CONSTRUCTS"]

BUNDLED_SEED = 20240508
BUNDLED_N = 600
DATA_DIR = Path(__file__).parent / "data" / "regional_synergy"
#: logical name → file name of the bundled (and of every written) copy
FILES = {
    "wave1": "SIMULATED_wave1_wjx_code_gb18030.csv",
    "wave2": "SIMULATED_wave2_wjx_text.xlsx",
    "truth": "SIMULATED_truth.csv",
    "model": "population_model.json",
    "readme": "README.md",
}


@dataclass(frozen=True)
class SimulatedStudy:
    """Two simulated waves; ``paths`` holds the files written (empty if ``out`` was None)."""

    wave1: SimulatedWave
    wave2: SimulatedWave
    seed: int
    paths: dict

    @property
    def truth(self) -> pd.DataFrame:
        """Per exported row of both waves: planted fault, duplicate source, latent scores."""
        return pd.concat([self.wave1.truth, self.wave2.truth], ignore_index=True)


@validate_params({"n": [Interval(int, 1, None)], "seed": [Interval(int, 0, None)],
                  "n_wave2": [Interval(int, 1, None), None], "faults": [Options(True, False)],
                  "out": [PATH, None]})
def simulate_study(n: int = 600, seed: int = BUNDLED_SEED, *, n_wave2: int | None = None,
                   faults: bool = True, out: str | Path | None = None) -> SimulatedStudy:
    """Simulate the two-wave cadre survey (SIMULATED data, known population model).

    Parameters
    ----------
    n : int
        Wave-1 respondents before duplicate submissions are added (≥ 20 for faults).
    seed : int
        Random seed; the same seed gives the same data and byte-identical files.
    n_wave2 : int, optional
        Wave-2 respondents (default ``n // 2``).
    faults : bool
        Plant speeders, straight-liners, duplicates, −99/−98 codes, typos and empties.
    out : path, optional
        Folder to write the Wenjuanxing-style exports, truth and model to (see :data:`FILES`).

    Returns
    -------
    SimulatedStudy

    Notes
    -----
    R equivalent: none (a simulator of the survey exports; ``lavaan::simulateData(model)``
    draws the latent part only).

    Examples
    --------
    >>> from surveykit.datasets import simulate_study
    >>> study = simulate_study(n=20, seed=1, faults=False)
    >>> study.wave1.codes.shape
    (20, 60)
    """
    w1, w2 = simulate_waves(int(n), int(seed), n_wave2, faults)
    paths: dict[str, Path] = {}
    if out is not None:
        paths = write_study(Path(out), w1, w2)
    return SimulatedStudy(wave1=w1, wave2=w2, seed=int(seed), paths=paths)


def write_study(folder: Path, w1: SimulatedWave, w2: SimulatedWave) -> dict[str, Path]:
    """Write both exports, the truth table and the population model into ``folder``."""
    from .exports import write_code_csv, write_text_xlsx

    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "wave1": write_code_csv(folder / FILES["wave1"], w1.instrument, w1.meta, w1.codes,
                                texts=w1.texts),
        "wave2": write_text_xlsx(folder / FILES["wave2"], w2.instrument, w2.meta, w2.codes,
                                 texts=w2.texts),
    }
    truth = pd.concat([w1.truth, w2.truth], ignore_index=True)
    p = folder / FILES["truth"]
    write_bytes(p, truth.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    paths["truth"] = p
    p = folder / FILES["model"]
    write_text(p, json.dumps(population_model(), indent=1, ensure_ascii=False) + "\n")
    paths["model"] = p
    return paths


def example_study_path(name: str | None = None) -> Path:
    """Path of the bundled example folder, or of one file in it (``wave1``, ``wave2``, ``truth``,
    ``model``, ``readme``, or a sub-path such as ``"notes"`` / ``"codebook.yaml"``)."""
    if name is None:
        return DATA_DIR
    p = DATA_DIR / FILES.get(name, name)
    if not p.exists():
        from ..errors import SurveykitError

        raise SurveykitError(f"The example study has no {name!r}. Known: "
                             f"{', '.join(FILES)} or a file under {DATA_DIR}.")
    return p


@validate_params({"wave": [Options(1, 2)]})
def study_instrument(wave: int = 1) -> Any:
    """The combined questionnaire of a wave (profile, trust, protectionism, reward, synergy)."""
    from .simulate import _instrument

    return _instrument(wave)


@validate_params({"wave": [Options(1, 2)]})
def load_example_wave(wave: int = 1, *, key: str | bytes | None = None) -> Any:
    """Import a bundled wave with :func:`surveykit.read_responses` (wave label ``"1"``/``"2"``)."""
    from ..responses.read import read_responses

    return read_responses(example_study_path(f"wave{wave}"), study_instrument(wave), key=key,
                          wave=str(wave))
