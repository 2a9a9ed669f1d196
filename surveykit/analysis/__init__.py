"""Psychometrics and group comparisons whose numbers equal R.

Each public function returns a frozen :class:`surveykit.result.Result`; they are
re-exported lazily from :mod:`surveykit` (``sk.reliability``, ``sk.efa`` ...).
The shared input resolver is :mod:`surveykit.analysis.inputs`.
"""
