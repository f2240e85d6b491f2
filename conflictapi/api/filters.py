"""Filter plumbing every resource shares."""

import datetime
import uuid

import django_filters as df
from django import forms
from django.db.models import Case, IntegerField, Q, When
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from conflictapi.countries import resolve_country
from conflictapi.models import Status
from conflictapi.visibility import viewer_of

# Query parameters that are not filters but that every list understands.
COMMON_PARAMS = frozenset({"page", "page_size", "format"})


class SearchFilter(df.CharFilter):
    """A list's text search (`q`): a word, a name or a phrase. Longer text is a 400
    naming `q`, not a search that makes the database test every row for a few hundred
    trigrams."""

    MAX_LENGTH = 200

    def __init__(self, *args, label="", **kwargs):
        kwargs.setdefault("max_length", self.MAX_LENGTH)
        label = f"{label} At most {kwargs['max_length']} characters.".strip()
        super().__init__(*args, label=label, **kwargs)


class RepeatedCSVWidget(df.widgets.BaseCSVWidget, forms.TextInput):
    """A list parameter read from every repetition of it, each comma-separated:
    `ordering=a&ordering=b`, as the schema's form-exploded array makes generated clients
    send it, is `ordering=a,b` (django-filter alone reads the last repetition only)."""

    def value_from_datadict(self, data, files, name):
        if not hasattr(data, "getlist") or name not in data:
            return super().value_from_datadict(data, files, name)
        return [part for value in data.getlist(name) for part in value.split(",") if part]


class RepeatedCSVField(df.fields.BaseCSVField):
    base_widget_class = RepeatedCSVWidget


class OrderingFilter(df.OrderingFilter):
    """Ordering by several keys, given comma-separated or repeated (see
    RepeatedCSVWidget); each key must be one of the list's, or the 400 names it."""

    base_field_class = RepeatedCSVField


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, with every unknown query parameter a 400 that names it: a typo
    in a filter name must not silently return the unfiltered list."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known = set(filterset_class.base_filters) | COMMON_PARAMS
            reject_unknown_params(request.query_params, known | view_extra_params(view))
        return super().filter_queryset(request, queryset, view)


def view_extra_params(view):
    """Query parameters a view reads itself (e.g. `cursor`), for the action at hand."""
    return set(getattr(view, "extra_query_params", {}).get(getattr(view, "action", None), ()))


def reject_unknown_params(params, known):
    """A 400 naming every query parameter that is not in `known`."""
    unknown = sorted(set(params) - set(known))
    if unknown:
        listing = ", ".join(sorted(known))
        raise ValidationError(
            {name: [f"Unknown query parameter; known: {listing}."] for name in unknown},
            code="unknown_parameter",
        )


def parse_uuid(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def overlap_q(date_from, date_to, start="date", end=None, *, required=False):
    """Records whose span overlaps [date_from, date_to]: the span runs from the
    earliest day of the partial date `start` to the latest day of `end` (by default the
    same partial date). A date not given is open (an unknown start, a tie still
    holding), unless the date is `required`, which leaves the plain range conditions
    an index can answer."""
    end = end or start
    q = Q()
    if date_to is not None:
        cond = Q(**{f"{start}_start__lte": date_to})
        q &= cond if required else cond | Q(**{f"{start}_start__isnull": True})
    if date_from is not None:
        cond = Q(**{f"{end}_end__gte": date_from})
        q &= cond if required else cond | Q(**{f"{end}_end__isnull": True})
    return q


class StrictBooleanFilter(df.ChoiceFilter):
    """true or false, and nothing else: `maybe` is a 400, not "no filter"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return super().filter(qs, value == "true")


class IntegerFilter(df.NumberFilter):
    """A whole number: 1.5 is a 400, not silently 1."""

    field_class = forms.IntegerField


class CountryCodeField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value).strip()
        return resolve_country(value) if value else ""


COUNTRY_FORMS = (
    "an ISO 3166-1 alpha-2 or alpha-3 code, an ISO numeric code (760) or an English name "
    "(Syria), in any case"
)


class CountryFilter(df.CharFilter):
    """A country as analysts type it (conflictapi.countries.resolve_country); an
    unknown one is a 400, a name several countries share one that lists them."""

    field_class = CountryCodeField
    error_codes = ("ambiguous",)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", f"Country: {COUNTRY_FORMS}.")
        super().__init__(*args, **kwargs)


class YearsField(forms.CharField):
    """Years, comma-separated: 2015 or 2014,2015."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return []
        years = []
        for part in value.split(","):
            part = part.strip()
            if not (part.isascii() and part.isdigit() and 1 <= int(part) <= 9999):
                raise forms.ValidationError(
                    "Give years as YYYY, comma-separated (2015 or 2014,2015).", code="invalid"
                )
            years.append(int(part))
        return sorted(set(years))


class YearFilter(df.CharFilter):
    """Records whose span (partial date `start` to partial date `end`) overlaps any of
    the years given, as the other date filters of the list (see overlap_q)."""

    field_class = YearsField

    def __init__(self, *args, start="date", end=None, required=False, **kwargs):
        self.span = (start, end, required)
        kwargs.setdefault(
            "label",
            "Year, or years comma-separated (2014,2015): records whose date may fall in "
            "one of them.",
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        start, end, required = self.span
        q = Q(pk__in=[])
        for year in value:
            q |= overlap_q(
                datetime.date(year, 1, 1),
                datetime.date(year, 12, 31),
                start,
                end,
                required=required,
            )
        return qs.filter(q)


class UTCDateTimeFilter(df.IsoDateTimeFilter):
    """An ISO 8601 time with any offset Python accepts (up to ±23:59), compared in UTC:
    PostgreSQL refuses offsets past ±15:59 in a literal."""

    def filter(self, qs, value):
        if value is not None:
            value = value.astimezone(datetime.UTC)
        return super().filter(qs, value)


class RecordFilterSet(df.FilterSet):
    """updated_since and status, on every list."""

    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label="Only records changed at or after this time (ISO 8601, e.g. "
        "2026-01-31T00:00:00Z). Sync by remembering the newest updated_at you saw.",
    )
    status = df.ChoiceFilter(
        choices=Status.choices,
        method="filter_status",
        label="Publication status. Anonymous clients see published records, and "
        "retracted ones when they ask for status=retracted; drafts are for curators.",
    )

    def filter_status(self, queryset, name, value):
        if value == Status.DRAFT and not viewer_of(self.request).full(queryset.model):
            raise ValidationError({"status": ["Drafts are visible to curators only."]})
        return queryset.filter(status=value)

    def check_range(self, low_name, high_name):
        low = self.form.cleaned_data.get(low_name)
        high = self.form.cleaned_data.get(high_name)
        if low is not None and high is not None and low > high:
            raise ValidationError({high_name: [f"Must not be before {low_name} ({low})."]})

    def filter_queryset(self, queryset):
        for low, high in getattr(self, "ranges", ()):
            self.check_range(low, high)
        return total_order(super().filter_queryset(queryset))


def total_order(queryset):
    """The queryset's order with the primary key last, so that rows that tie on the
    order (`ordering=fatalities_best`) still come in one order: page N and page N+1
    then neither repeat nor skip a row."""
    query = queryset.query
    order = tuple(query.order_by) or (
        tuple(queryset.model._meta.ordering) if query.default_ordering else ()
    )
    names = {term.lstrip("-") for term in order if isinstance(term, str)}
    if not order or names & {"pk", "id"}:
        return queryset
    return queryset.order_by(*order, "pk")


def resolve(model, value, param, *, extra=None, request=None):
    """The ids of the records `value` names — a UUID or a slug, or what `extra(value)`
    (a Q, or a list of Qs) matches — among those the requester may see in full
    (conflictapi.visibility), or a 400 naming `param` when it names none: a draft's or
    a retraction's slug tells an anonymous client nothing.

    Each condition is its own branch of a UNION: an OR of conditions on the table and
    on a joined one (an actor's name or any alias) would read both tables whole (30 ms
    at 100,000 aliases), where each branch alone is an index lookup."""
    pk = parse_uuid(value)
    if pk is not None:
        conditions = [Q(pk=pk)]
    else:
        conditions = [Q(slug=value)]
        if extra is not None:
            more = extra(value)
            conditions += list(more) if isinstance(more, (list, tuple)) else [more]
    shown = viewer_of(request).q(model)
    branches = []
    for condition in conditions:
        branch = model._base_manager.filter(condition).filter(shown)
        branches.append(branch.order_by().values_list("pk", flat=True))
    candidates = branches[0].union(*branches[1:]) if len(branches) > 1 else branches[0]
    ids = list(candidates[:1000])
    if not ids:
        raise ValidationError({param: [f"No {model._meta.verbose_name} matches “{value}”."]})
    return ids


def ranked_by_name(queryset, key):
    """A name search's matches (`key` a normalize_name key), best first: a name spelled
    as asked, then a name that starts so, then a name that contains it, then the rest
    (an actor's transliteration variants); by name within each. Reads the record's
    `search_names`, its names' keys a line each (conflictapi.text.joined_keys): a whole
    line is a whole name, a line's start a name's."""
    rank = Case(
        When(search_names__contains=f"\n{key}\n", then=0),
        When(search_names__contains=f"\n{key}", then=1),
        When(search_names__contains=key, then=2),
        default=3,
        output_field=IntegerField(),
    )
    return queryset.annotate(match=rank).order_by("match", "name")


def ambiguous(param, value, labels, limit=20):
    """A 400 naming `param` (code "ambiguous") that lists what `value` may mean, so the
    caller can ask again by one of the slugs."""
    listing = "; ".join(labels[:limit]) + ("; …" if len(labels) > limit else "")
    raise ValidationError(
        {param: [f"“{value}” names several; give one of their slugs: {listing}."]},
        code="ambiguous",
    )


class NameFilter(df.CharFilter):
    """A filter taking a record by id, slug or name, whose name may be shared: its
    errors include "ambiguous" (the schema lists it)."""

    error_codes = ("ambiguous",)
