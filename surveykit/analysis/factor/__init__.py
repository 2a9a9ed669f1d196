"""Factor analysis as psych and GPArotation compute it.

``factorability`` (KMO, Bartlett: ``psych::KMO``, ``psych::cortest.bartlett``), ``parallel``
(``psych::fa.parallel``), ``extraction`` (minres/ML/PA/WLS extraction, psych's L-BFGS-B path),
``rotation`` (varimax, promax, oblimin, geomin: GPArotation step for step), ``fit_stats``
(``psych::fa`` fit statistics), ``efa`` (the public :func:`efa`), ``polychoric``
(``psych::polychoric``).

May import: the shared analysis modules (``inputs``, ``_matrix``, ``_rnum``); no other
analysis subpackage.
"""
