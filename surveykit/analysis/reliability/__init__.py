"""Scale reliability: coefficient α and its relatives, ω, split-half — as psych computes them.

``scale`` holds the public :func:`reliability` (= ``psych::alpha``, with ``psych::omega`` and
``psych::splitHalf`` on request); ``alpha`` the α statistics from a covariance matrix; ``omega``
and ``splithalf`` the optional coefficients.

May import: the shared analysis modules (``inputs``, ``_matrix``) and ``factor`` (ω and
ordinal α need a factor model and polychoric correlations).
"""
