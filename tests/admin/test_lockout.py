"""Admin sign-in lockout (conflictapi.lockout): per account and per client address."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.test_errors_misc import basic

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = "/admin/login/"


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_wrong_passwords_lock_the_account_out_with_retry_after(client, curator, settings):
    statuses = [sign_in(client, "curator", f"wrong{n}").status_code for n in range(100)]
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    assert statuses == [200] * (limit - 1) + [429] * (100 - limit + 1)
    response = sign_in(client, "curator", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)


def test_a_locked_account_is_refused_the_right_password_until_the_cool_off(client, curator):
    for _ in range(5):
        sign_in(client, "curator", "wrong")
    assert sign_in(client, "curator", PASSWORD).status_code == 429
    # From another address too: the account is locked, not only the address.
    assert sign_in(client, "curator", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert "_auth_user_id" not in client.session
    # Once the cool-off has passed since the last failure, the right password works.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    response = sign_in(client, "curator", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(curator.pk)


def test_a_right_password_before_the_limit_signs_in(client, curator):
    for _ in range(4):
        assert sign_in(client, "curator", "wrong").status_code == 200
    response = sign_in(client, "curator", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_one_address_guessing_many_accounts_is_locked_out(client, curator):
    statuses = [sign_in(client, f"nobody{n}", "wrong").status_code for n in range(8)]
    assert statuses == [200] * 4 + [429] * 4
    # The right password of a real account from that address is refused too.
    assert sign_in(client, "curator", PASSWORD).status_code == 429
    # Another address is not held back.
    response = sign_in(client, "curator", PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


def test_a_forged_forwarded_for_does_not_dodge_the_lockout(client, curator):
    """With API_TRUSTED_PROXIES=0 X-Forwarded-For is ignored: a new claimed address per
    attempt is still the same client."""
    statuses = [
        sign_in(client, f"nobody{n}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(8)
    ]
    assert statuses == [200] * 4 + [429] * 4
    forged = sign_in(client, "curator", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert forged.status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, curator, settings):
    """With one trusted proxy, the address it appended counts; what the client wrote
    before it does not."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    statuses = [
        sign_in(
            client,
            f"nobody{n}",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7",
            **proxy,
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 4 + [429] * 2
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy signs in.
    response = sign_in(client, "curator", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert response.status_code == 302


def test_api_sign_ins_are_left_to_the_api_throttles(client, curator):
    """A wrong password at the API's token sign-in is not counted by the admin lockout
    (the API's own throttles count it), and a locked admin account is not refused a
    token: the two limits do not stack."""
    api = APIClient()
    login = reverse("knox-login")
    for _ in range(10):
        assert api.post(login, **basic("curator", "wrong")).status_code == 401
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "curator", PASSWORD).status_code == 302

    for _ in range(5):
        sign_in(client, "curator", "wrong", REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, "curator", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    response = api.post(login, **basic("curator", PASSWORD))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
