"""Comparing groups as base R and effectsize do.

``compare`` (the public :func:`compare_groups`: t, Welch, ANOVA, Welch ANOVA, Mann–Whitney,
Kruskal–Wallis), ``data`` (``(data, dv, group)`` → arrays), ``assumptions`` (Shapiro–Wilk,
Levene, Bartlett), ``posthoc`` (Tukey HSD, Games–Howell, Dunn), ``effect_sizes`` (d, g, η², ω²,
rank-biserial r, Cramér's V with noncentral intervals), ``crosstab`` (the public
:func:`crosstab`: ``chisq.test``), ``fisher`` (``fisher.test`` for r × c tables), ``paired``
(the public :func:`compare_paired`: paired t and Wilcoxon signed-rank, d_z / g / matched-pairs
rank-biserial r) and ``signrank`` (``wilcox.test(paired = TRUE)`` step for step).

May import: the shared analysis modules (``inputs``, ``labels``, ``padjust``); no other
analysis subpackage.
"""
