"""Limits on sign-in: per client address and per account, counted before the
credentials are tried (so a wrong password meets the limit, not a 401 forever)."""

import base64
import binascii
import hashlib

from rest_framework.throttling import SimpleRateThrottle


class LoginClientThrottle(SimpleRateThrottle):
    """Sign-in attempts from one client address (API_LOGIN_RATE)."""

    scope = "login"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAccountThrottle(SimpleRateThrottle):
    """Sign-in attempts on one account, from anywhere (API_LOGIN_ACCOUNT_RATE): a
    password guessed from many addresses still meets a limit."""

    scope = "login_account"

    def get_cache_key(self, request, view):
        username = basic_username(request)
        if not username:
            return None
        digest = hashlib.sha256(username.lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


def basic_username(request):
    """The username of an HTTP Basic Authorization header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded.partition(":")[0] or None
