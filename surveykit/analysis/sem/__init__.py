"""Structural equation models equal to lavaan.

The engine, in the order a fit runs: ``syntax`` (lavaan model syntax → terms) → ``partable``
(the parameter table: free, fixed, labelled and equal parameters) → ``objective`` (the ML
discrepancy and its analytic derivatives, shared by both estimators) → ``fiml`` (FIML over
missing-data patterns) → ``ml`` (the fit: Fisher scoring and Newton steps, either objective) →
``fit`` (fit measures), ``standardized`` (``std.all`` and its delta-method SEs),
``score_tests`` (``lavTestScore``). On top: ``cfa`` (the public :func:`cfa`), ``cfa_summary``
(lavaan's ``summary`` text), ``invariance`` (configural → metric → scalar → strict),
``construct_validity`` (CR, AVE, HTMT, Fornell–Larcker as semTools computes them).

May import: the shared analysis modules (``inputs``, ``_rnum``); no other analysis subpackage.
"""
