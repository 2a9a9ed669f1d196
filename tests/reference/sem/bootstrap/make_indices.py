"""Write the bootstrap resample indices surveykit draws (0-based rows) for generate.R.

Run from this folder with surveykit importable: python make_indices.py
"""
import numpy as np

from surveykit.analysis.sem.bootstrap import resample_indices

SEED, N_BOOT = 20261203, 500
for name, n, n_boot in (("indices_ml.csv.gz", 75, N_BOOT), ("indices_fiml.csv.gz", 75, 100)):
    idx = resample_indices((n,), n_boot, SEED)[0]
    np.savetxt(name, idx, fmt="%d", delimiter=",")
