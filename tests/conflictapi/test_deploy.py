"""Deployment settings from the environment: HTTPS, CORS, Content-Security-Policy."""

import json
import os
import re
import secrets
import shlex
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from conflictapi.env import env_origins
from tests.conflictapi.test_settings import ROOT

# Variables any of these tests set; the environment the suite runs in may have others.
OURS = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "SECURE_COOKIES",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS",
    "API_CORS_WRITE_ORIGINS",
    "API_TRUSTED_PROXIES",
    "ADMIN_LOGIN_FAILURES",
    "ADMIN_LOCKOUT_MINUTES",
)


def run(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    clean.update(env, DJANGO_SETTINGS_MODULE="conflictapi.settings")
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def readme_production_variables():
    """The variables the README's Production section exports."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Production", 1)[1].split("\n## ", 1)[0]
    variables = {}
    for line in section.splitlines():
        if line.startswith("export "):
            for word in shlex.split(line.removeprefix("export "), comments=True):
                name, _, value = word.partition("=")
                variables[name] = value
    return variables


def test_check_deploy_is_clean_with_the_readme_production_variables():
    env = readme_production_variables()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= set(env)
    assert "DEBUG" not in env
    env["SECRET_KEY"] = secrets.token_urlsafe(50)  # the README leaves it to you ("…")
    result = run("manage.py", "check", "--deploy", **env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({n: getattr(s, n) for n in ("
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'CSRF_TRUSTED_ORIGINS', "
    "'API_CORS_WRITE_ORIGINS', 'AXES_FAILURE_LIMIT')} | "
    "{'cool_off': s.AXES_COOLOFF_TIME.total_seconds()}))"
)


def settings_with(**env):
    result = run("-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_is_off_with_debug_and_on_without():
    local = settings_with(DEBUG="1")
    assert (local["SECURE_SSL_REDIRECT"], local["SECURE_HSTS_SECONDS"]) == (False, 0)
    assert local["SECURE_PROXY_SSL_HEADER"] is None
    production = settings_with(SECRET_KEY="k" * 50, ALLOWED_HOSTS="api.example.org")
    assert (production["SECURE_SSL_REDIRECT"], production["SECURE_HSTS_SECONDS"]) == (
        True,
        31_536_000,
    )
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert production["SECURE_HSTS_PRELOAD"] is False
    assert (production["AXES_FAILURE_LIMIT"], production["cool_off"]) == (5, 15 * 60)


def test_deployment_settings_follow_the_environment():
    found = settings_with(
        DEBUG="1",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="yes",
        SECURE_HSTS_PRELOAD="on",
        SECURE_PROXY_SSL_HEADER="1",
        CSRF_TRUSTED_ORIGINS="https://admin.example.org",
        API_CORS_WRITE_ORIGINS="https://curation.example.org, http://localhost:5173",
        ADMIN_LOGIN_FAILURES="3",
        ADMIN_LOCKOUT_MINUTES="60",
    )
    assert found == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 3600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": ["https://admin.example.org"],
        "API_CORS_WRITE_ORIGINS": ["https://curation.example.org", "http://localhost:5173"],
        "AXES_FAILURE_LIMIT": 3,
        "cool_off": 3600,
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECURE_HSTS_SECONDS", "-1"),
        ("SECURE_PROXY_SSL_HEADER", "https"),
        ("ADMIN_LOGIN_FAILURES", "0"),
        ("ADMIN_LOCKOUT_MINUTES", "a while"),
        ("API_CORS_WRITE_ORIGINS", "curation.example.org"),
    ],
)
def test_a_bad_value_stops_startup_naming_the_variable(name, value):
    result = run("-c", SHOW, DEBUG="1", **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "value",
    [
        "example.org",
        "https://example.org/",
        "https://example.org/admin",
        "ftp://example.org",
        "https://",
        "https://example.org:port",
        "https://example.org?x=1",
    ],
)
def test_an_origin_is_a_scheme_and_host(monkeypatch, value):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", f"https://ok.example.org,{value}")
    with pytest.raises(ImproperlyConfigured, match="CSRF_TRUSTED_ORIGINS"):
        env_origins("CSRF_TRUSTED_ORIGINS")
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "https://ok.example.org,http://[::1]:8000")
    assert env_origins("CSRF_TRUSTED_ORIGINS") == ["https://ok.example.org", "http://[::1]:8000"]


# HTTPS redirect and HSTS


@pytest.fixture
def https_settings(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_but_the_health_checks_answer(https_settings):
    client = Client()
    response = client.get("/api/v1/events/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/v1/events/"
    assert client.get("/admin/login/").status_code == 301
    for path in ("/healthz", "/readyz"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_https_from_a_trusted_proxy_is_served_with_hsts(https_settings):
    https_settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get("/api/v1/events/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    # Without the setting, the header is not believed.
    https_settings.SECURE_PROXY_SSL_HEADER = None
    response = Client().get("/api/v1/events/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301


# CORS

ELSEWHERE = "https://elsewhere.example"
WRITER = "https://curation.example.org"


@pytest.fixture
def cors(settings):
    settings.API_CORS_WRITE_ORIGINS = [WRITER]
    return Client()


def preflight(client, path, method, origin, headers="authorization, content-type"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS=headers,
    )


def allowed_headers(response):
    return {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}


@pytest.mark.django_db
def test_any_origin_may_read_the_api(cors):
    response = cors.get("/api/v1/events/", HTTP_ORIGIN=ELSEWHERE)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    exposed = {h.strip() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert exposed == {"ETag", "Retry-After", "Link"}
    assert "origin" in response["Vary"].lower()

    response = preflight(cors, "/api/v1/events/", "GET", ELSEWHERE, "if-none-match")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {"if-none-match", "if-match", "authorization"} <= allowed_headers(response)
    assert "POST" not in response["Access-Control-Allow-Methods"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_only_listed_origins_may_write(cors, method):
    refused = preflight(cors, "/api/v1/events/1/", method, ELSEWHERE)
    assert "Access-Control-Allow-Origin" not in refused
    assert "Access-Control-Allow-Methods" not in refused

    allowed = preflight(cors, "/api/v1/events/1/", method, WRITER)
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] in ("*", WRITER)
    assert method in allowed["Access-Control-Allow-Methods"]
    assert {"authorization", "if-match", "content-type"} <= allowed_headers(allowed)
    assert "Access-Control-Allow-Credentials" not in allowed


@pytest.mark.django_db
def test_a_write_from_an_unlisted_origin_cannot_read_its_answer(cors):
    response = cors.post(
        "/api/v1/actors/", {}, content_type="application/json", HTTP_ORIGIN=ELSEWHERE
    )
    assert response.status_code in (401, 403)
    assert "Access-Control-Allow-Origin" not in response
    response = cors.post("/api/v1/actors/", {}, content_type="application/json", HTTP_ORIGIN=WRITER)
    assert "Access-Control-Allow-Origin" in response


@pytest.mark.django_db
def test_no_cors_outside_the_api(cors):
    response = cors.get("/admin/login/", HTTP_ORIGIN=ELSEWHERE)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in preflight(cors, "/admin/login/", "POST", WRITER)


# Content-Security-Policy

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def admin_client(db):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/login/",
        "/admin/",
        "/admin/events/event/add/",
        "/api/v1/docs/",
        "/api/v1/redoc/",
        "/api/v1/events/?format=api",
    ],
)
def test_html_pages_run_only_our_own_script_files(admin_client, path):
    """The policy allows scripts from this origin only, none inline; so every page must
    need no more (or it breaks in a browser)."""
    response = (Client() if path == "/admin/login/" else admin_client).get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    found = policy(response)
    assert found["script-src"] == ["'self'"]
    assert found["object-src"] == ["'none'"]
    assert found["frame-ancestors"] == ["'none'"]
    assert "blob:" in found["worker-src"]  # ReDoc's search worker
    page = response.content.decode()
    assert not INLINE_SCRIPT.findall(page)
    assert not EVENT_HANDLER.findall(page)
    assert "javascript:" not in page
    for src in re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", page):
        assert src.startswith("/"), src  # this origin


def test_the_docs_script_is_served_as_a_script_of_ours(admin_client):
    response = admin_client.get(reverse("swagger-ui") + "?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.content.decode()
