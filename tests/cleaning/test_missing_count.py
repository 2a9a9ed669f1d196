"""Per-row missing counts by reason (one pass, packed bytes) equal the boolean matrix sums."""
import numpy as np

from surveykit.cleaning.context import Context
from surveykit.responses.model import MISSING_DTYPE


def test_missing_count_equals_boolean_sums(faulty):
    ctx = Context(faulty)
    cats = list(MISSING_DTYPE.categories)
    for reasons in ([c] for c in cats):
        for items in (ctx.items, ctx.items[:7]):
            want = ctx.missing_is(reasons, items).sum(axis=1)
            np.testing.assert_array_equal(ctx.missing_count(reasons, items), want)
    both = ("skipped", "not_applicable", "invalid", "refused")
    np.testing.assert_array_equal(ctx.missing_count(both, ctx.items),
                                  ctx.missing_is(both, ctx.items).sum(axis=1))
    rows = np.array([0, 5, 10])
    np.testing.assert_array_equal(ctx.missing_is(both, ctx.items, rows=rows),
                                  ctx.missing_is(both, ctx.items)[rows])
    assert ctx.missing_count(("invalid",), ctx.items).sum() > 0
