import datetime

import pytest
from django.core.exceptions import ValidationError

from conflictapi.partialdates import parse

D = datetime.date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2016-02-27", D(2016, 2, 27), D(2016, 2, 27), "day"),
        ("2014-10", D(2014, 10, 1), D(2014, 10, 31), "month"),
        ("2016-02", D(2016, 2, 1), D(2016, 2, 29), "month"),  # leap year
        ("2014", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("2014-10~", D(2014, 10, 1), D(2014, 10, 31), "month"),
        ("2014?", D(2014, 1, 1), D(2014, 12, 31), "year"),
        ("2014-11-01?", D(2014, 11, 1), D(2014, 11, 1), "day"),
        ("2014-11-01/2014-11-02", D(2014, 11, 1), D(2014, 11, 2), "range"),
        ("2014-10/2015-01", D(2014, 10, 1), D(2015, 1, 31), "range"),
        ("2014-24", D(2014, 12, 1), D(2015, 2, 28), "range"),  # winter 2014
        ("2016-02-XX", D(2016, 2, 1), D(2016, 2, 29), "month"),
        # An open side is the earliest or latest date there is.
        ("2014-10-01/..", D(2014, 10, 1), D.max, "range"),
        ("../2014", D.min, D(2014, 12, 31), "range"),
        ("  2015-01  ", D(2015, 1, 1), D(2015, 1, 31), "month"),
    ],
)
def test_bounds_and_precision(text, start, end, precision):
    bounds = parse(text)
    assert (bounds.start, bounds.end, bounds.precision) == (start, end, precision)


@pytest.mark.parametrize(
    "text",
    ["", "late October 2014", "2014-13", "2014-02-30", "27/02/2016", "2016-02-27/2016-02-01"],
)
def test_invalid_text_says_what_was_expected(text):
    with pytest.raises(ValidationError) as exc:
        parse(text)
    message = " ".join(exc.value.messages)
    assert "EDTF" in message or "ends before it starts" in message
