"""Write the bootstrap resample indices surveykit draws (0-based rows) for generate.R.

Run from this folder with surveykit importable: python make_indices.py
"""
import numpy as np

from surveykit.analysis.sem.bootstrap import resample_indices

SEED, N, N_BOOT = 20261204, 500, 200
idx = resample_indices((N,), N_BOOT, SEED)[0]
np.savetxt("indices_ind.csv.gz", idx, fmt="%d", delimiter=",")
