"""Start-up refuses bad configuration with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from conflictapi.env import env_bool, env_database, env_int, env_list, env_rate

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (lambda: env_bool("DEBUG"), "maybe"),
        (lambda: env_int("DEBUG", 1), "ten"),
        (lambda: env_list("DEBUG"), "a,,b"),
        (lambda: env_database("DEBUG", ""), "mysql://x/y"),
        (lambda: env_database("DEBUG", ""), "not a url"),
        (lambda: env_rate("DEBUG", "1/minute"), "120"),
        (lambda: env_rate("DEBUG", "1/minute"), "lots/minute"),
        (lambda: env_rate("DEBUG", "1/minute"), "0/minute"),
        (lambda: env_rate("DEBUG", "1/minute"), "120/fortnight"),
    ],
)
def test_bad_value_names_the_variable(monkeypatch, call, value):
    monkeypatch.setenv("DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        call()


@pytest.mark.parametrize(
    ("value", "rate"), [("120/minute", "120/minute"), (" 5 / Hour ", "5/hour"), ("9/s", "9/s")]
)
def test_a_rate_is_requests_per_unit(monkeypatch, value, rate):
    monkeypatch.setenv("API_ANON_RATE", value)
    assert env_rate("API_ANON_RATE", "1/day") == rate


def test_good_values(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    monkeypatch.setenv("X_HOSTS", "a.org, b.org")
    monkeypatch.setenv("X_DB", "postgres://u@db.internal:5432/conflict")
    assert env_bool("X_FLAG") is True
    assert env_list("X_HOSTS") == ["a.org", "b.org"]
    db = env_database("X_DB", "")
    assert (db["ENGINE"], db["NAME"], db["CONN_MAX_AGE"]) == (
        "django.db.backends.postgresql",
        "conflict",
        600,
    )
    assert (db["CONN_HEALTH_CHECKS"], db["OPTIONS"]["connect_timeout"]) == (True, 5)
    monkeypatch.setenv("X_DB", "postgres://u@db.internal:5432/conflict?connect_timeout=2")
    assert env_database("X_DB", "")["OPTIONS"]["connect_timeout"] == 2


def start(*command, **env):
    clean = {
        k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="conflictapi.settings")
    return subprocess.run(
        [sys.executable, *(command or ("manage.py", "check", "--deploy"))],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_required_when_debug_off():
    result = start(ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_server_refuses_to_start_without_secret_key_or_hosts():
    result = start("-c", "import conflictapi.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
    assert "ALLOWED_HOSTS is required" in result.stderr
    served = start("-c", "import conflictapi.wsgi", SECRET_KEY="k" * 50, ALLOWED_HOSTS="a.org")
    assert served.returncode == 0, served.stderr


def test_a_booted_worker_keeps_the_loaded_app_out_of_garbage_collections():
    env = {"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": "a.org"}
    code = "import gc, conflictapi.wsgi; print(gc.get_freeze_count())"
    result = start("-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 10_000  # the app's modules, classes and URL patterns


def test_bad_database_url_stops_startup():
    result = start(DEBUG="1", DATABASE_URL="oracle://x/y")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_a_tile_server_set_is_an_origin_the_pages_may_load_images_from():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    tiles = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    result = start("-c", code, DEBUG="1", MAP_TILE_URL=tiles)
    assert result.returncode == 0, result.stderr
    assert "'https://*.tile.example.org'" in result.stdout
    assert "example.org" not in start("-c", code, DEBUG="1", MAP_TILE_URL="").stdout
    refused = start(DEBUG="1", MAP_TILE_URL="https://tile.example.org/tiles.png")
    assert refused.returncode != 0 and "MAP_TILE_URL" in refused.stderr
