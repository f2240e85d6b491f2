"""The paginator: cached list counts, and pages read by key first.

Counting every row a filter matches is the costliest part of a page at scale (a COUNT
over a million events takes longer than reading and serializing a page of 100). A
page's count is cached under its query's SQL and a data generation that every write to
a curated record replaces (conflictapi.generation), so a cached count is never older
than the last write that the cache has seen.

The cache must be shared by every app process for that to hold across processes (set
REDIS_URL); `API_COUNT_CACHE_SECONDS` (default 0: off) bounds any staleness in any case.
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from conflictapi.generation import generation


def deferred_slice(queryset, bottom, top, values=None):
    """Rows bottom..top of a queryset, found first by primary key alone (a "deferred
    join"): the rows skipped by the offset are stepped over in an index instead of
    being read from the table and joined to their related rows; then only the page's
    rows are read whole (as dicts of `values` if given). At 1M events, page 50 of 100
    takes ~1 ms instead of ~17 ms; and on the first page of a filter that matches
    thousands of events (a bbox), only the page's rows are read from the table, not
    every match before the sort (2 ms instead of 60 ms)."""
    if not isinstance(queryset, QuerySet) or queryset.query.distinct:
        page = queryset[bottom:top]
    else:
        page = queryset.filter(pk__in=queryset.values("pk")[bottom:top])
    return page.values(*values) if values else page


def seek_order(queryset):
    """The queryset's order as [(column, descending, nullable)], if rows can be sought
    by it: every term a column of the model's own table, the last its primary key (so
    that the order is total). None otherwise: the page is then read by offset."""
    meta = queryset.model._meta
    order = queryset.query.order_by or (meta.ordering if queryset.query.default_ordering else ())
    terms = []
    for term in order:
        if not isinstance(term, str) or "__" in term or term.lstrip("-") == "?":
            return None
        name = term.lstrip("-")
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.is_relation:
            return None
        terms.append((field.attname, term.startswith("-"), field.null))
    if not terms or terms[-1][0] != meta.pk.attname:
        return None
    return terms


def at_or_after(queryset, order, key):
    """A condition for the rows at or after the row whose sort key is `key`, in `order`.
    NULLs sort as the database sorts them (PostgreSQL: after every value; SQLite:
    before). The condition on the first column alone (date_start <= day) is what an
    index scan starts from; the rest places the row among the ties on it."""
    nulls_largest = connections[queryset.db].features.nulls_order_largest

    def same(column, value):
        return Q(**{f"{column}__isnull": True}) if value is None else Q(**{column: value})

    def beyond(column, descending, nullable, value):
        nulls_come_first = descending == nulls_largest
        if value is None:
            return Q(**{f"{column}__isnull": False}) if nulls_come_first else None
        past = Q(**{f"{column}__{'lt' if descending else 'gt'}": value})
        if nullable and not nulls_come_first:
            past |= Q(**{f"{column}__isnull": True})
        return past

    def prefix(n):  # the first n columns equal the row's
        return Q(
            *(same(column, value) for (column, _, _), value in zip(order[:n], key[:n], strict=True))
        )

    column, descending, nullable = order[0]
    if key[0] is not None and (not nullable or descending == nulls_largest):
        bound = Q(**{f"{column}__{'lte' if descending else 'gte'}": key[0]})
    else:  # nulls among the rows after the key: no single range
        first = beyond(*order[0], key[0])
        bound = prefix(1) | first if first is not None else prefix(1)
    condition = prefix(len(order))  # the row itself
    for i, term in enumerate(order):
        past = beyond(*term, key[i])
        if past is not None:
            condition |= prefix(i) & past
    return bound & condition


class CachedCountPaginator(Paginator):
    """Counts served from the cache (see above), and deep pages sought by key.

    A page-number page at offset N steps over N index entries (page 5,000 of 100:
    ~55 ms at 1M events, and an ACLED-style script that reads every page pays that
    for each). With the cache on, a page past the first `API_SEEK_STEP` rows is read
    from a landmark: the sort key of row k * step of the same query, recorded in this
    data generation the first time a page needs it. The page then steps over fewer
    than `step` index entries, not N: page 5,000 takes ~7 ms instead of ~51 ms, once
    the first request near it has found its landmark (in one walk like the plain
    offset's, or from the landmark before it: the next page of a script that reads
    every page walks one step)."""

    def __init__(self, *args, values=None, count_limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.values = values
        self.count_limit = count_limit
        self.count_exact = True

    def page(self, number):
        ranked = self.ranked_page(number)
        if ranked is not None:
            return ranked
        bound = self.count  # a bounded count also says whether it is exact
        if not self.count_exact:
            # A page that reaches the bound needs the true count (is there a next
            # page? is there a page at all?).
            with contextlib.suppress(TypeError, ValueError):
                if int(number) * self.per_page + self.orphans >= bound:
                    self.make_exact()
        number = self.validate_number(number)
        bottom, top = self.rows_of(number)
        queryset, skipped = self.seek(bottom)
        page = deferred_slice(queryset, bottom - skipped, top - skipped, self.values)
        return self._get_page(page, number, self)

    def rows_of(self, number):
        """The first and past-the-last row of a valid page number (as Paginator.page)."""
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return bottom, top

    def ranked_page(self, number):
        """A search ordered by something no index holds (an actor name search, ranked by
        how well each name matches) sorts every match whatever the page. Its pages
        within the count's bound are read with their count in one search: the ordered
        keys of up to `count_limit` + 1 matches give both; then only the page's rows
        are read, by key. A count and a page would each search. None when the page is
        not such a page (a `page=last`, one past the bound, a list in index order)."""
        queryset = self.object_list
        if self.count_limit is None or not isinstance(queryset, QuerySet):
            return None
        if queryset.query.distinct or seek_order(queryset) is not None:
            return None
        try:
            number = int(number)
        except (TypeError, ValueError):
            return None
        if number < 1 or number * self.per_page + self.orphans >= self.count_limit:
            return None
        keys = list(queryset.values_list("pk", flat=True)[: self.count_limit + 1])
        self.count_exact = len(keys) <= self.count_limit
        self.__dict__["count"] = min(len(keys), self.count_limit)
        number = self.validate_number(number)
        bottom, top = self.rows_of(number)
        rows = queryset.filter(pk__in=keys[bottom:top])
        return self._get_page(rows.values(*self.values) if self.values else rows, number, self)

    def seek(self, offset):
        """A queryset that starts at or before row `offset`, and the rows it starts at."""
        queryset = self.object_list
        seconds = getattr(settings, "API_COUNT_CACHE_SECONDS", 0)
        step = getattr(settings, "API_SEEK_STEP", 1000)
        if not seconds or offset < step or not isinstance(queryset, QuerySet):
            return queryset, 0
        order = seek_order(queryset)
        if order is None or queryset.query.distinct:
            return queryset, 0
        key = f"conflictapi:seek:{self.cache_suffix}"
        landmarks = cache.get(key) or {}  # {i: the sort key of row i * step}
        wanted = offset // step
        if wanted not in landmarks:
            # Found from the nearest landmark before it: a walk over at most the
            # rows between the two, in the index.
            known = max((i for i in landmarks if i < wanted), default=0)
            start = queryset
            if known:
                start = queryset.filter(at_or_after(queryset, order, landmarks[known]))
            skip = (wanted - known) * step
            found = list(start.values_list(*(c for c, _, _ in order))[skip : skip + 1])
            if not found:  # fewer rows than counted: rows went since
                return queryset, 0
            landmarks[wanted] = found[0]
            cache.set(key, landmarks, timeout=seconds)
        condition = at_or_after(queryset, order, landmarks[wanted])
        return queryset.filter(condition), wanted * step

    @cached_property
    def count(self):
        """The number of rows; with `count_limit`, at most that (a lower bound, and
        `count_exact` false, when more rows match)."""
        if self.count_limit is None or not isinstance(self.object_list, QuerySet):
            return self.exact_count()
        value = self.cached(f"count-upto-{self.count_limit}", self.bounded_count)
        if value > self.count_limit:
            self.count_exact = False
            return self.count_limit
        return value

    def bounded_count(self):
        # COUNT(*) over a LIMIT: the scan stops at limit + 1 matches.
        return self.object_list.order_by()[: self.count_limit + 1].count()

    def exact_count(self):
        return self.cached("count", lambda: Paginator.count.func(self))

    def make_exact(self):
        self.__dict__["count"] = self.exact_count()
        self.__dict__.pop("num_pages", None)
        self.count_exact = True

    @cached_property
    def cache_suffix(self):
        """The data generation and a digest of the query's SQL: what the counts and
        landmarks of this list are cached under (worked out once a request)."""
        queryset = self.object_list
        sql, params = queryset.query.sql_with_params()
        digest = hashlib.sha256(repr((queryset.db, sql, params)).encode()).hexdigest()
        return f"{generation()}:{digest}"

    def cached(self, kind, compute):
        seconds = getattr(settings, "API_COUNT_CACHE_SECONDS", 0)
        if not seconds or not hasattr(self.object_list, "query"):
            return compute()
        key = f"conflictapi:{kind}:{self.cache_suffix}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, timeout=seconds)
        return value
