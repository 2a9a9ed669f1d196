"""Aggregation statistics: may a score averaged per unit (department, city) stand for the unit?

``agreement`` (the public :func:`aggregation`): ICC(1) and ICC(2) from the one-way ANOVA of the
score on the unit (``multilevel::ICC1`` / ``ICC2`` on ``aov``) and the within-group agreement
rwg(j) against the uniform null (``multilevel::rwg.j``; ``rwg`` for one item), with their
summaries.

May import: the shared analysis modules (``inputs``, ``labels``); no other analysis subpackage.
"""
