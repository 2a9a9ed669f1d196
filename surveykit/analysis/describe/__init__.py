"""The descriptive tables a thesis opens its results with.

* :func:`describe_sample` (:mod:`.sample`) — the sample profile (样本基本情况): n and
  percent of every option of the profile items, missing answers shown by reason.
* :func:`describe_scales` (:mod:`.scales`) — "Table 1": mean, SD and n of every scale score,
  their correlations with p values, and Cronbach's α of each scale for the diagonal.
* :func:`describe_scores` (:mod:`.scores`) — n, M, SD, SE, median, range, skewness and
  kurtosis of every scale and subscale score (``psych::describe``).
* :func:`multiple_response` (:mod:`.multiresponse`) — a multi-select question's options:
  count, % of responses, % of cases (SPSS MULT RESPONSE), optionally by group.

May import: ``reliability`` (α) and ``regression`` (correlations) — no other analysis
subpackage; the shared modules (``inputs``, ``labels``).
"""
from .multiresponse import MultipleResponse, multiple_response
from .sample import SampleProfile, describe_sample
from .scales import ScaleDescriptives, describe_scales
from .scores import ScoreDescriptives, describe_scores

__all__ = ["SampleProfile", "describe_sample", "ScaleDescriptives", "describe_scales",
           "ScoreDescriptives", "describe_scores",
           "MultipleResponse", "multiple_response"]
