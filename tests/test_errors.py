import pytest

from surveykit.errors import ParameterError, check_choice, check_range, format_cases


def test_choice_message_follows_template():
    with pytest.raises(ParameterError, match=r"The 'missing' parameter of reliability must be one of "
                                             r"\{'pairwise', 'listwise'\}\. Got 'omit' instead\."):
        check_choice("reliability", "missing", "omit", ("pairwise", "listwise"))


def test_range_message():
    with pytest.raises(ParameterError, match=r"'n_factors' parameter of efa must be an integer >= 1\. Got 0"):
        check_range("efa", "n_factors", 0, 1, integer=True)
    assert check_range("efa", "n_factors", 2, 1, integer=True) == 2
    with pytest.raises(ParameterError):
        check_range("x", "y", float("nan"))


def test_format_cases_cuts_long_lists():
    assert format_cases([12, 40], [7, 9]) == "rows 12, 40: 7, 9"
    assert format_cases(range(1, 9), limit=3) == "rows 1, 2, 3, …"


def test_check_range_refuses_nan_and_infinities():
    # issue #15: `seconds_per_item: .inf` in a rules file passed every check
    for bad in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(ParameterError, match=r"^The 'seconds_per_item' parameter of speeders "
                                                 r"must be a number > 0\. Got (inf|-inf|nan) "
                                                 r"instead\.$"):
            check_range("speeders", "seconds_per_item", bad, 0, low_inclusive=False)
    assert check_range("speeders", "seconds_per_item", 1e300, 0) == 1e300
