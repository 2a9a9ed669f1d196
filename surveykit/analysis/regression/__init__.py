"""Association and regression as base R computes them.

``correlations`` (the public :func:`correlations`: ``cor.test`` for every pair, with
``p.adjust``), ``spearman`` (Spearman's exact p, ``prho`` as R's ``cor.test`` uses it) and
``ols`` (the public :func:`regress`: ``lm`` with standardised β and (G)VIF),
``hierarchical`` (``regress(blocks=)``: blockwise steps, ΔR² and ``anova(m1, m2)``) and
``ols_fit`` (the model frame, design matrix, fit and ``Regression`` result both share).

May import: the shared analysis modules (``inputs``, ``labels``, ``padjust``); no other
analysis subpackage.
"""
