"""Outlet and document filters: each filter against rows that differ only in the filtered
field, directly on the FilterSet and through the URL."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from sources.filters import DocumentFilterSet, OutletFilterSet
from sources.models import Document, Outlet
from tests.api.filtering import assert_invalid, filtered, ids
from tests.factories import DocumentFactory, OutletFactory

pytestmark = pytest.mark.django_db

OUTLETS = "sources-api:outlet-list"
DOCUMENTS = "sources-api:document-list"


def listed(api, name, params):
    response = api.get(reverse(name), {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def backdate(model, record, when):
    model.objects.filter(pk=record.pk).update(updated_at=when)


# Outlets


@pytest.fixture
def outlets():
    return {
        "news": OutletFactory(name="Daily Beast", slug="daily-beast", kind="news"),
        "state": OutletFactory(name="SANA", slug="sana", kind="state_media"),
        "monitor": OutletFactory(name="Syrian Observatory", slug="sohr", kind="monitor"),
    }


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (["news"], {"news"}),
        (["state_media"], {"state"}),
        (["news", "monitor"], {"news", "monitor"}),
        (["blog"], set()),
    ],
)
def test_outlet_kind(api, outlets, kinds, expected):
    want = {outlets[key] for key in expected}
    assert filtered(OutletFilterSet, {"kind": kinds}) == want
    assert set(listed(api, OUTLETS, {"kind": kinds})) == ids(*want)


@pytest.mark.parametrize(
    ("grades", "expected"),
    [(["A"], {"A"}), (["B", "F"], {"B", "F"}), (["C"], set())],
)
def test_outlet_reliability(api, grades, expected):
    by_grade = {grade: OutletFactory(reliability=grade) for grade in ("A", "B", "F")}
    want = {by_grade[grade] for grade in expected}
    assert filtered(OutletFilterSet, {"reliability": grades}) == want
    assert set(listed(api, OUTLETS, {"reliability": grades})) == ids(*want)


@pytest.mark.parametrize("code", ["SY", "sy"])
def test_outlet_country(api, code):
    syrian = OutletFactory(country="SY")
    OutletFactory(country="IQ")
    OutletFactory(country="")
    assert filtered(OutletFilterSet, {"country": code}) == {syrian}
    assert set(listed(api, OUTLETS, {"country": code})) == ids(syrian)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("beast", {"news"}),
        ("DAILY", {"news"}),
        ("sohr", {"monitor"}),  # the slug alone
        ("observatory", {"monitor"}),
        ("nothing like it", set()),
    ],
)
def test_outlet_q(api, outlets, q, expected):
    want = {outlets[key] for key in expected}
    assert filtered(OutletFilterSet, {"q": q}) == want
    assert set(listed(api, OUTLETS, {"q": q})) == ids(*want)


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["a", "b", "c"]),
        ("-name", ["c", "b", "a"]),
        ("reliability", ["c", "a", "b"]),
        ("-reliability", ["b", "a", "c"]),
    ],
)
def test_outlet_ordering(api, ordering, expected):
    rows = {
        "a": OutletFactory(name="Alpha", reliability="C"),
        "b": OutletFactory(name="Bravo", reliability="E"),
        "c": OutletFactory(name="Charlie", reliability="A"),
    }
    assert listed(api, OUTLETS, {"ordering": ordering}) == [str(rows[k].pk) for k in expected]


@pytest.mark.parametrize("field", ["updated_at", "created_at"])
def test_outlet_ordering_by_time(api, field):
    old, new = OutletFactory(name="Zulu"), OutletFactory(name="Alpha")
    Outlet.objects.filter(pk=old.pk).update(**{field: timezone.now() - datetime.timedelta(days=3)})
    assert listed(api, OUTLETS, {"ordering": field}) == [str(old.pk), str(new.pk)]
    assert listed(api, OUTLETS, {"ordering": f"-{field}"}) == [str(new.pk), str(old.pk)]


def test_outlet_updated_since(api):
    old, recent = OutletFactory(), OutletFactory()
    backdate(Outlet, old, datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    backdate(Outlet, recent, datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    for since, want in [
        ("2024-06-01T00:00:00Z", {recent}),
        ("2020-01-01T00:00:00Z", {old, recent}),
        ("2024-06-01T00:00:01+00:00", set()),
    ]:
        assert filtered(OutletFilterSet, {"updated_since": since}) == want
        assert set(listed(api, OUTLETS, {"updated_since": since})) == ids(*want)


# Documents


def test_document_outlet_by_id_or_slug(api):
    beast = OutletFactory(slug="daily-beast")
    mine = DocumentFactory(outlet=beast)
    DocumentFactory()
    for value in (str(beast.pk), "daily-beast"):
        assert filtered(DocumentFilterSet, {"outlet": value}) == {mine}
        assert set(listed(api, DOCUMENTS, {"outlet": value})) == ids(mine)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("truce", {"title"}),
        ("lister", {"authors"}),
        ("ANTI-TANK", {"summary"}),
        ("nothing like it", set()),
    ],
)
def test_document_q(api, q, expected):
    rows = {
        "title": DocumentFactory(title="The February truce", authors="", summary=""),
        "authors": DocumentFactory(title="Report", authors="Charles Lister", summary=""),
        "summary": DocumentFactory(title="Report", authors="", summary="Anti-tank missiles"),
    }
    want = {rows[key] for key in expected}
    assert filtered(DocumentFilterSet, {"q": q}) == want
    assert set(listed(api, DOCUMENTS, {"q": q})) == ids(*want)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"published_from": "2015-01-15"}, {"jan", "feb"}),  # inclusive
        ({"published_to": "2015-01-15"}, {"oct", "jan"}),
        ({"published_from": "2015-01-15", "published_to": "2015-01-15"}, {"jan"}),
        ({"published_from": "2014-10-02", "published_to": "2015-01-14"}, set()),
        ({"published_from": "2017-01-01"}, set()),
    ],
)
def test_document_published_range(api, params, expected):
    rows = {
        "oct": DocumentFactory(published_on="2014-10-01"),
        "jan": DocumentFactory(published_on="2015-01-15"),
        "feb": DocumentFactory(published_on="2016-02-27"),
    }
    want = {rows[key] for key in expected}
    assert filtered(DocumentFilterSet, params) == want
    assert set(listed(api, DOCUMENTS, params)) == ids(*want)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", {"en"}), ("AR", {"ar"}), ("pt-br", {"pt-BR"}), ("fr", set())],
)
def test_document_language(api, language, expected):
    rows = {tag: DocumentFactory(language=tag) for tag in ("en", "ar", "pt-BR")}
    want = {rows[tag] for tag in expected}
    assert filtered(DocumentFilterSet, {"language": language}) == want
    assert set(listed(api, DOCUMENTS, {"language": language})) == ids(*want)


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("published_on", ["a", "b", "c"]),
        ("-published_on", ["c", "b", "a"]),
        ("title", ["c", "a", "b"]),
        ("-title", ["b", "a", "c"]),
    ],
)
def test_document_ordering(api, ordering, expected):
    rows = {
        "a": DocumentFactory(published_on="2014-01-01", title="Middle"),
        "b": DocumentFactory(published_on="2015-01-01", title="Zebra"),
        "c": DocumentFactory(published_on="2016-01-01", title="Aardvark"),
    }
    assert listed(api, DOCUMENTS, {"ordering": ordering}) == [str(rows[k].pk) for k in expected]


def test_document_updated_since(api):
    old, recent = DocumentFactory(), DocumentFactory()
    backdate(Document, old, datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    backdate(Document, recent, datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    since = "2024-01-01T00:00:00Z"
    assert filtered(DocumentFilterSet, {"updated_since": since}) == {recent}
    assert set(listed(api, DOCUMENTS, {"updated_since": since})) == ids(recent)


# Status and visibility, on both lists


@pytest.mark.parametrize(
    ("name", "factory"), [(OUTLETS, OutletFactory), (DOCUMENTS, DocumentFactory)]
)
def test_anonymous_sees_published_and_asked_for_retractions(api, name, factory):
    published = factory()
    retracted = factory(status="retracted", retraction_reason="wrong")
    factory(status="draft")
    assert set(listed(api, name, {})) == ids(published)
    assert set(listed(api, name, {"status": "retracted"})) == ids(retracted)
    assert_invalid(api.get(reverse(name), {"status": "draft"}), "status")


@pytest.mark.parametrize(
    ("name", "factory"), [(OUTLETS, OutletFactory), (DOCUMENTS, DocumentFactory)]
)
def test_curator_sees_drafts(api, curator, name, factory):
    factory()
    draft = factory(status="draft")
    api.force_login(curator)
    assert set(listed(api, name, {"status": "draft"})) == ids(draft)


# Invalid values: a 400 naming the parameter


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"kind": "tabloid"}, "kind"),
        ({"reliability": "Z"}, "reliability"),
        ({"reliability": "a"}, "reliability"),
        ({"q": "\x00"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"country": "S\x00"}, "country"),
        ({"ordering": "homepage"}, "ordering"),
        ({"ordering": "-bogus"}, "ordering"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2024-13-01T00:00:00Z"}, "updated_since"),
        ({"status": "deleted"}, "status"),
        ({"name": "Reuters"}, "name"),
        ({"kind": "news", "knd": "news"}, "knd"),
    ],
)
def test_outlet_invalid_values(api, params, attr):
    OutletFactory()
    assert_invalid(api.get(reverse(OUTLETS), params), attr)


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({"outlet": "no-such-outlet"}, "outlet"),
        ({"outlet": str(uuid.uuid4())}, "outlet"),
        ({"outlet": "\x00"}, "outlet"),
        ({"published_from": "2015-02-30"}, "published_from"),
        ({"published_to": "15/01/2015"}, "published_to"),
        ({"published_from": "2015-01-16", "published_to": "2015-01-15"}, "published_to"),
        ({"language": "e\x00n"}, "language"),
        ({"q": "truce\x00"}, "q"),
        ({"ordering": "authors"}, "ordering"),
        ({"title": "Report"}, "title"),
    ],
)
def test_document_invalid_values(api, params, attr):
    DocumentFactory()
    assert_invalid(api.get(reverse(DOCUMENTS), params), attr)


def test_raw_nul_byte_in_query_string_is_a_400(api):
    response = api.get(reverse(DOCUMENTS) + "?q=%00")
    assert_invalid(response, "q")
