"""Admin sign-in lockout (django-axes), for the admin only.

Failed sign-ins at /admin/login/ are recorded in the database (axes' AccessAttempt:
shared by every app process, whether or not REDIS_URL is set, and listed in the admin).
After AXES_FAILURE_LIMIT (ADMIN_LOGIN_FAILURES) of them on one username, or from one
client address, within AXES_COOLOFF_TIME (ADMIN_LOCKOUT_MINUTES), every further attempt
by that account or client, the right password included, is refused with 429 and
Retry-After; each refused attempt restarts the cool-off.

The API's token sign-in (POST /api/v1/auth/login/) is neither counted nor refused
here: its own throttles limit it per client and per account (API_LOGIN_RATE,
API_LOGIN_ACCOUNT_RATE), so one failure is not counted twice against two limits.
"""

import ipaddress

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from rest_framework.throttling import BaseThrottle


def is_admin_request(request):
    if request is None:
        return False
    try:
        prefix = reverse("admin:index")
    except NoReverseMatch:
        return False
    return request.path.startswith(prefix)


class AdminLockoutBackend(AxesStandaloneBackend):
    """Axes' backend, with no opinion where there is no request to judge: an
    authenticate() call from code (the test client, a shell) is not a sign-in over
    HTTP. Admin requests are judged by axes; others pass (AXES_ONLY_ADMIN_SITE)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AdminLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, recording sign-ins to the admin only."""

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if is_admin_request(request):
            super().user_login_failed(sender, credentials, request, **kwargs)

    def user_logged_in(self, sender, request, user, **kwargs):
        if is_admin_request(request):
            super().user_logged_in(sender, request, user, **kwargs)

    def user_logged_out(self, sender, request, user, **kwargs):
        if is_admin_request(request):
            super().user_logged_out(sender, request, user, **kwargs)


def client_address(request):
    """The client's address as the API's throttles see it: X-Forwarded-For counts only
    as far as API_TRUSTED_PROXIES allows (not at all with 0), so a client cannot claim
    a new address per attempt."""
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # Not an address (a proxy count larger than the proxies there are, say): the
        # peer's own address.
        return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    seconds = int(get_cool_off(request).total_seconds())
    response = HttpResponse(
        "Too many failed sign-ins for this account or from this address. "
        f"Try again in {seconds // 60} minutes.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    # At most this long: the lockout lifts once fewer than AXES_FAILURE_LIMIT failures
    # fall within the cool-off, and this one was just recorded.
    response["Retry-After"] = str(seconds)
    return response
