"""Analyses whose numbers equal R, one subpackage per concept.

Each public function returns a frozen :class:`surveykit.result.Result`; they are re-exported
lazily from :mod:`surveykit` (``sk.reliability``, ``sk.efa``, ``sk.cfa`` ...).

=================  ===========================================================================
``reliability/``   coefficient α and its relatives, ω, split-half (psych::alpha, omega, splitHalf)
``factor/``        factorability (KMO, Bartlett), parallel analysis, extraction, rotation, EFA,
                   polychoric correlations (psych::fa, fa.parallel, GPArotation)
``sem/``           lavaan model syntax, parameter table, ML/FIML objectives, fit measures,
                   standardised solution, score tests, CFA, invariance, construct validity
``groups/``        group comparisons, post hoc tests, effect sizes, assumptions, crosstabs,
                   Fisher's exact test (t.test, oneway.test, kruskal.test, chisq.test ...)
``regression/``    correlations (cor.test, Spearman's exact p), OLS and hierarchical regression
                   (lm, anova), moderation and mediation (PROCESS models)
``aggregation/``   ICC(1), ICC(2), rwg(j) for scores averaged per unit (multilevel)
``validity/``      common-method bias: Harman's test, single-factor CFA, ULMC (psych, lavaan)
=================  ===========================================================================

Shared by all subpackages (they may import these, and nothing here imports a subpackage):
:mod:`.inputs` (data container → items or columns, missing-data moments), :mod:`._matrix`
(checked correlation matrices), :mod:`.labels` (group values as factor levels and their
instrument labels), :mod:`.padjust` (``p.adjust``) and :mod:`._rnum` (R's numerical routines
step for step). Between subpackages imports go one way: ``reliability`` may use ``factor``
(ω and ordinal α fit factor models), ``validity`` may use ``factor`` and ``sem``; no other
subpackage imports another
(``tests/test_architecture.py`` checks it).
"""
