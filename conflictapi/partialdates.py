"""Partial and uncertain dates, curated as EDTF text (ISO 8601-2, levels 0 and 1).

A partial date is stored as four columns: the EDTF text as curated (``date``), the
earliest and the latest day it can mean (``date_start``, ``date_end``) and how precise it
is (``date_precision``). The bounds are derived on save and indexed; every date filter
works on them, and a range filter means overlap.

Seasons (``2014-21`` spring … ``2014-24`` winter) are northern-hemisphere seasons.
Approximate and uncertain dates (``2014-10~``, ``2014?``) keep the bounds of the date
they qualify: the marker is kept in the text, and widening the bounds by a guessed
margin would make filters return records the source never placed there.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible


class Precision(models.TextChoices):
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    RANGE = "range", "range"


EXPECTED = (
    "an EDTF date such as 2016-02-27, 2014-10, 2014, 2014-10~ (approximate), "
    "2014? (uncertain), 2014-21 (spring) or 2014-11-01/2014-11-02 (interval)"
)


OPEN_START = datetime.date.min  # 0001-01-01
OPEN_END = datetime.date.max  # 9999-12-31


@dataclass(frozen=True)
class Bounds:
    start: datetime.date | None
    end: datetime.date | None
    precision: str


def _to_date(struct):
    if struct is None:
        return None
    try:
        return datetime.date(struct.tm_year, struct.tm_mon, struct.tm_mday)
    except (AttributeError, TypeError, ValueError, OverflowError):
        return None


def _precision(start, end):
    if start in (None, OPEN_START) or end in (None, OPEN_END):
        return Precision.RANGE
    if start == end:
        return Precision.DAY
    if start.year == end.year and start.month == end.month:
        last = calendar.monthrange(end.year, end.month)[1]
        if start.day == 1 and end.day == last:
            return Precision.MONTH
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return Precision.YEAR
    return Precision.RANGE


def parse(text):
    """Return the Bounds of an EDTF string, or raise ValidationError saying what was
    expected. An open end (``2014-10/..``) has no bound on that side."""
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    if not isinstance(text, str) or not text.strip():
        raise ValidationError(
            "Enter %(expected)s.", code="invalid_edtf", params={"expected": EXPECTED}
        )
    text = text.strip()
    try:
        parsed = parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError, IndexError) as exc:
        raise ValidationError(
            "“%(text)s” is not a valid partial date: expected %(expected)s.",
            code="invalid_edtf",
            params={"text": text, "expected": EXPECTED},
        ) from exc
    start = end = None
    try:
        start = _to_date(parsed.lower_strict())
    except (TypeError, ValueError, OverflowError, AttributeError):
        start = None
    try:
        end = _to_date(parsed.upper_strict())
    except (TypeError, ValueError, OverflowError, AttributeError):
        end = None
    if getattr(parsed, "season", None) == "24" and end is not None:
        # The edtf package ends winter on 31 December; winter runs to the end of
        # February of the following year in the northern hemisphere.
        year = end.year + 1
        if year > datetime.MAXYEAR:
            raise ValidationError(
                "“%(text)s” ends after the year 9999.",
                code="invalid_edtf",
                params={"text": text},
            )
        end = datetime.date(year, 2, calendar.monthrange(year, 2)[1])
    if start is None and end is None and "/" not in text:
        raise ValidationError(
            "“%(text)s” has no bounded side: expected %(expected)s.",
            code="invalid_edtf",
            params={"text": text, "expected": EXPECTED},
        )
    if start is not None and end is not None and end < start:
        raise ValidationError(
            "“%(text)s” ends before it starts.",
            code="invalid_edtf_interval",
            params={"text": text},
        )
    # Open-ended intervals ("../2015-01-27", "2014-10/.."): the open side is the
    # earliest or latest date there is, so that range filters, ordering and keyset
    # pagination need no special case for it. NULL bounds mean "no date given".
    if "/" in text:
        lo, _, hi = text.partition("/")
        if lo in ("", ".."):
            start = OPEN_START
        if hi in ("", ".."):
            end = OPEN_END
        if (start, end) == (OPEN_START, OPEN_END):
            raise ValidationError(
                "“%(text)s” is open at both ends: expected %(expected)s.",
                code="invalid_edtf",
                params={"text": text, "expected": EXPECTED},
            )
    return Bounds(start=start, end=end, precision=_precision(start, end))


@deconstructible
class EDTFValidator:
    # The codes its errors carry (documented in the schema's error enums).
    codes = ("invalid_edtf", "invalid_edtf_interval")

    def __call__(self, value):
        if value:
            parse(value)

    def __eq__(self, other):
        return isinstance(other, EDTFValidator)


validate_edtf = EDTFValidator()


def partial_date_fields(verbose_name, help_text, *, db_index=True):
    """The four columns of one partial date, to unpack in a model body:

        date, date_start, date_end, date_precision = partial_date_fields("date", "…")

    and name it in the model's ``PARTIAL_DATES`` so that save() derives the bounds.
    """
    return (
        models.CharField(
            verbose_name,
            max_length=64,
            blank=True,
            validators=[validate_edtf],
            help_text=f"{help_text} EDTF text, e.g. 2016-02-27, 2014-10, 2014-10~, 2014?, "
            "2014-11-01/2014-11-02.",
        ),
        models.DateField(
            f"{verbose_name} (earliest)",
            null=True,
            blank=True,
            editable=False,
            db_index=db_index,
            help_text=f"Earliest day the {verbose_name} can mean; derived from the text.",
        ),
        models.DateField(
            f"{verbose_name} (latest)",
            null=True,
            blank=True,
            editable=False,
            db_index=db_index,
            help_text=f"Latest day the {verbose_name} can mean; derived from the text.",
        ),
        models.CharField(
            f"{verbose_name} precision",
            max_length=8,
            blank=True,
            choices=Precision.choices,
            editable=False,
            help_text=f"How precise the {verbose_name} is: day, month, year or range; "
            "derived from the text.",
        ),
    )


def partial_date_names(name):
    """The four column names of a partial date: text, earliest, latest, precision."""
    return (name, f"{name}_start", f"{name}_end", f"{name}_precision")


def derive(instance, field_names):
    """Set ``<name>_start``, ``<name>_end``, ``<name>_precision`` from ``<name>``."""
    for name in field_names:
        text = (getattr(instance, name) or "").strip()
        setattr(instance, name, text)
        if text:
            bounds = parse(text)
            values = (bounds.start, bounds.end, bounds.precision)
        else:
            values = (None, None, "")
        for suffix, value in zip(("_start", "_end", "_precision"), values, strict=True):
            setattr(instance, name + suffix, value)
