"""Settings, read from the environment (see README: Configuration)."""

import datetime
from pathlib import Path

import orjson
from csp.constants import NONE, SELF, UNSAFE_INLINE

from conflictapi.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_origins,
    env_rate,
    env_str,
    env_tile_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# Both are required when DEBUG is off. Their absence does not stop commands that need
# neither (makemigrations, migrate, collectstatic); it stops the server from starting
# (conflictapi.wsgi) and fails `manage.py check --deploy` (conflictapi.checks), with a
# message naming the variable.
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-development-key-only-used-with-DEBUG-on" if DEBUG else ""
)
SECRET_KEY_MISSING = not SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "csp",
    "axes",
    "django_countries",
    "simple_history",
    "rest_framework",
    "django_filters",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "import_export",
    "conflictapi",
    "sources",
    "actors",
    "events",
    "interop",
    "dataload",
]

MIDDLEWARE = [
    "conflictapi.middleware.RejectNulInPath",
    "conflictapi.cors.ApiCorsMiddleware",
    "conflictapi.middleware.DatabaseUnavailableResponse",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Responses pass these bottom-up: Cache-Control is set, then the weak ETag of a
    # list is taken from the body as rendered, then the body is gzipped (streamed
    # exports too) for clients that accept it. Static files are not here: WhiteNoise
    # answers them above, precompressed.
    "django.middleware.gzip.GZipMiddleware",
    "conflictapi.middleware.ListETag",
    "conflictapi.middleware.ApiCacheControl",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a locked-out admin sign-in into a 429 (conflictapi.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "conflictapi.urls"
WSGI_APPLICATION = "conflictapi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Throttling counters and other shared state: Redis when several app processes serve
# (REDIS_URL=redis://host:6379/0); a per-process memory cache otherwise.
REDIS_URL = env_str("REDIS_URL")
# Short timeouts, so a request does not wait on a Redis that is down.
_REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
CACHES = {
    # Fails open while Redis is unreachable (conflictapi.cache): reads miss.
    "default": {
        "BACKEND": "conflictapi.cache.FailOpenRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": _REDIS_OPTIONS,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The throttles' counts (conflictapi.api.throttling): while Redis is unreachable,
    # each process counts on its own (conflictapi.cache.FallbackRedisCache).
    "throttle": {
        "BACKEND": "conflictapi.cache.FallbackRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": _REDIS_OPTIONS,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
}

# Seconds a list's count may be served from the cache (0: always counted). Writes
# through the ORM invalidate cached counts at once; share the cache (REDIS_URL) when
# several processes serve.
API_COUNT_CACHE_SECONDS = env_int("API_COUNT_CACHE_SECONDS", 300 if REDIS_URL else 0, minimum=0)
# With the count cache on, a page-number page past this many rows is read from the
# recorded sort key of the nearest row k * API_SEEK_STEP before it, not by an offset.
API_SEEK_STEP = env_int("API_SEEK_STEP", 1000, minimum=1)
# A text search (`q`) is counted exactly up to this many matches; past it a list
# reports this number with `count_exact` false.
API_SEARCH_COUNT_LIMIT = env_int("API_SEARCH_COUNT_LIMIT", 1000, minimum=1)
# How long an anonymous read of the API may be kept by any cache (Cache-Control max-age).
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 60, minimum=0)
# The most ties a network of an affiliation filter draws (it is built in memory): a
# filter that matches more is a 400.
API_NETWORK_MAX_TIES = env_int("API_NETWORK_MAX_TIES", 10000, minimum=1)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Refuses admin sign-ins while their account or client is locked out; signs no
    # one in itself.
    "conflictapi.lockout.AdminLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS: plain HTTP is redirected and HSTS sent when DEBUG is off. The health checks
# answer over plain HTTP too, for a load balancer that probes the app directly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
# Both widen HSTS beyond this host: opt in once every subdomain serves HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a proxy that ends TLS: trust its X-Forwarded-Proto: https. Only when the
# proxy sets (and so overwrites) that header on every request.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
# Origins (scheme://host) other than this host's own that may POST forms with the
# session cookie (the admin, the browsable API) across origins.
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

# Cross-origin use of /api/ (conflictapi.cors): any origin may read; only these may
# write (with a token: no cookies are ever allowed cross-origin).
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
API_CORS_WRITE_ORIGINS = env_origins("API_CORS_WRITE_ORIGINS")
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "if-match",
    "if-none-match",
    "x-requested-with",
]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "Link"]

# Content-Security-Policy on every response (the admin, the docs, the browsable API):
# scripts only from this origin, nothing inline. Styles may be inline: Swagger UI and
# ReDoc set them at run time. ReDoc builds its search worker from a blob.
# The admin's maps (conflictapi.maps) draw vendored outlines; with MAP_TILE_URL set, a
# tile server's images beneath them (MAP_TILE_ATTRIBUTION credits it), from that origin.
MAP_TILE_URL, _MAP_TILE_ORIGIN = env_tile_url("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", *([_MAP_TILE_ORIGIN] if _MAP_TILE_ORIGIN else [])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Admin sign-in lockout (django-axes, conflictapi.lockout): after ADMIN_LOGIN_FAILURES
# failed sign-ins to the admin on one account, or from one client address, further
# attempts are answered 429 with Retry-After until ADMIN_LOCKOUT_MINUTES pass without
# one. The API's token sign-in is limited by its own throttles instead (API_LOGIN_*).
AXES_FAILURE_LIMIT = env_int("ADMIN_LOGIN_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("ADMIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_ONLY_ADMIN_SITE = True
AXES_HANDLER = "conflictapi.lockout.AdminLockoutHandler"
# The client address as the API's throttles see it (API_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "conflictapi.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "conflictapi.lockout.lockout_response"
AXES_VERBOSE = False

SIMPLE_HISTORY_REVERT_DISABLED = False

# The admin's spreadsheet imports (conflictapi.sheets) keep the uploaded file between
# the preview and the confirmation in the cache: shared by every app process when
# REDIS_URL is set, so the confirmation may reach another process than the preview.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Request bodies over this many bytes are refused with 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("API_MAX_BODY_BYTES", 2_621_440, minimum=1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "conflictapi.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["conflictapi.api.permissions.CuratorPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["conflictapi.api.filters.StrictFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "conflictapi.api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "drf_orjson_renderer.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "conflictapi.api.renderers.CSVRenderer",
    ],
    # Anonymous clients by address, signed-in users by account (conflictapi.api.throttling).
    "DEFAULT_THROTTLE_CLASSES": [
        "conflictapi.api.throttling.AnonThrottle",
        "conflictapi.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("API_ANON_RATE", "120/minute"),
        "user": env_rate("API_USER_RATE", "1200/minute"),
        # Sign-in attempts (POST /api/v1/auth/login/), per client and per account.
        "login": env_rate("API_LOGIN_RATE", "10/minute"),
        "login_account": env_rate("API_LOGIN_ACCOUNT_RATE", "20/hour"),
    },
    # How many proxies in front of the app append to X-Forwarded-For: the client is
    # the address the outermost trusted one saw. 0 (the default): the header is ignored
    # and the peer's address counts, so a client cannot forge a new identity.
    "NUM_PROXIES": env_int("API_TRUSTED_PROXIES", 0, minimum=0),
    "DEFAULT_SCHEMA_CLASS": "conflictapi.api.schema.AutoSchema",
    # ?format= wins over Accept; Accept alone chooses otherwise.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": (
        "conflictapi.api.negotiation.FormatFirstContentNegotiation"
    ),
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "conflictapi.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": False,
    "ORJSON_RENDERER_OPTIONS": (orjson.OPT_UTC_Z,),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Anonymous exports (GET /api/v1/events/export/) one client address may run at once;
# a further one is a 429 with Retry-After (0: no limit). Signed-in users: no limit.
API_ANON_EXPORT_CONCURRENCY = env_int("API_ANON_EXPORT_CONCURRENCY", 2, minimum=0)

REST_KNOX = {
    # Tokens expire; sign in again for a new one.
    "TOKEN_TTL": datetime.timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 7, minimum=1)),
    "AUTO_REFRESH": False,
}

DRF_STANDARDIZED_ERRORS = {
    # Django's own errors about the request (a body over API_MAX_BODY_BYTES) as 4xx.
    "EXCEPTION_HANDLER_CLASS": "conflictapi.api.errors.ExceptionHandler",
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "412",
        "413",
        "415",
        "428",
        "429",
    ],
    "ERROR_SCHEMAS": {
        "409": "conflictapi.api.schema.ErrorResponse409Serializer",
        "412": "conflictapi.api.schema.ErrorResponse412Serializer",
        "413": "conflictapi.api.schema.ErrorResponse413Serializer",
        "428": "conflictapi.api.schema.ErrorResponse428Serializer",
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Conflict data API",
    "DESCRIPTION": (
        "A curated, cited knowledge base of armed-conflict actors, their affiliations "
        "and events. Every fact carries the document and verbatim quote that supports it. "
        "Partial dates are EDTF text with derived earliest/latest bounds; date filters "
        "match on overlap with those bounds. Errors: every 4xx answers "
        '{"type", "errors": [{"code", "detail", "attr"}]}, attr naming the field or query '
        "parameter at fault."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge from validator.swagger.io: every asset of the docs is ours.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "conflictapi.models.Status",
        "DatePrecisionEnum": "conflictapi.partialdates.Precision",
        "ReliabilityEnum": "sources.models.Reliability",
        "CredibilityEnum": "sources.models.Credibility",
        "OutletKindEnum": "sources.models.OutletKind",
        "ActorKindEnum": "actors.models.ActorKind",
        "NameKindEnum": "actors.models.NameKind",
        "AffiliationKindEnum": "actors.models.AffiliationKind",
        "PlaceKindEnum": "events.models.PlaceKind",
        "GeoPrecisionEnum": "events.models.GeoPrecision",
        "ParticipantRoleEnum": "events.models.ParticipantRole",
        "EventIdentifierSchemeEnum": "events.models.IdentifierScheme",
        "CountryEnum": "django_countries.countries",
        **{
            name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
            for name in (
                "ValidationErrorEnum",
                "ClientErrorEnum",
                "ServerErrorEnum",
                "ParseErrorCodeEnum",
                "ErrorCode401Enum",
                "ErrorCode403Enum",
                "ErrorCode404Enum",
                "ErrorCode405Enum",
                "ErrorCode406Enum",
                "ErrorCode415Enum",
                "ErrorCode429Enum",
                "ErrorCode500Enum",
            )
        },
        "ErrorCode409Enum": "conflictapi.api.schema.ErrorCode409Enum.choices",
        "ErrorCode412Enum": "conflictapi.api.schema.ErrorCode412Enum.choices",
        "ErrorCode428Enum": "conflictapi.api.schema.ErrorCode428Enum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "conflictapi.api.schema.document_unknown_parameters",
        "conflictapi.api.schema.document_list_item_errors",
        "conflictapi.api.schema.document_security",
        "conflictapi.api.schema.compact_error_components",
    ],
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

CONN_MAX_AGE_DEFAULT = env_int("CONN_MAX_AGE", 600, minimum=0)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE_DEFAULT
