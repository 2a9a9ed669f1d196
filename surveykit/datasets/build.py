"""Rebuild the bundled SIMULATED example exports: ``python -m surveykit.datasets.build``."""
from __future__ import annotations

from . import BUNDLED_N, BUNDLED_SEED, DATA_DIR, simulate_study


def main() -> None:
    study = simulate_study(n=BUNDLED_N, seed=BUNDLED_SEED, out=DATA_DIR)
    for name, p in study.paths.items():
        print(f"{name}: {p} ({p.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
