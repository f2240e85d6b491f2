"""Helpers the filter tests share: a FilterSet applied as a request would apply it, a
list read through the URL, and the one error shape."""

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import RequestFactory


def anonymous_request():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def as_query(params):
    """Params as a request would carry them: a list is a repeated parameter."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def filtered(filterset_class, params):
    model = filterset_class._meta.model
    filterset = filterset_class(
        as_query(params), queryset=model.objects.all(), request=anonymous_request()
    )
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs)


def listed(api, url, params):
    response = api.get(url, {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    rows = [row["id"] for row in body["results"]]
    assert body["count"] == len(rows) == len(set(rows)), "duplicate rows"
    return rows


def ids(*records):
    return {str(record.pk) for record in records}


def assert_invalid(response, attr):
    """The one error shape, with `attr` naming the query parameter at fault."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"]
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
        assert error["detail"]
    assert attr in {error["attr"] for error in body["errors"]}, body
