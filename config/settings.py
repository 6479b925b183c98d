"""Settings, all from the environment (twelve-factor).

DATABASE_URL       default: SQLite file var/stet.sqlite3 (WAL mode)
CELERY_BROKER_URL  unset: consistency checks run in-process after commit;
                   redis://127.0.0.1:6379/0: real Celery workers
SECRET_KEY         required unless DEBUG is on
DEBUG              "1"/"true" for development; off by default
ALLOWED_HOSTS      comma-separated
STET_LOG_KEY       optional: key of the event log's HMAC chain (at least 32 characters)
LOG_FORMAT         text (default) or json: one JSON object a log line
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "encyclopedia",
    "editorial",
    "backtests",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from gunicorn itself (compressed, hashed names cached for a year): no separate file server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "editorial.middleware.RefusalsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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

DEFAULT_SQLITE_PATH = BASE_DIR / "var" / "stet.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}"),
        # Persistent connections: a check task or a request would otherwise pay a new connection
        # (on PostgreSQL a forked backend and its authentication) before its first query.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer commits; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of deadlocking on
        # a lock upgrade; the timeout is how long a writer waits its turn.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic writes and whitenoise reads (one per checkout: `make serve` fills it).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "var" / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, pre-compressed copies made by collectstatic (`make serve` runs it first).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

# Celery: unset broker means checks run in the web process after commit.
CHECKS_IN_PROCESS = not os.environ.get("CELERY_BROKER_URL")
# In-process checks never touch a broker; "memory://" keeps Celery from assuming one on localhost.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CHECKS_IN_PROCESS
CELERY_TASK_EAGER_PROPAGATES = False
# Check results are events, not task results; a backend is only for tools that wait on a task.
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = not CELERY_RESULT_BACKEND
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("STET_CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep database connections across tasks (see config/celery.py for who closes old ones instead).
CELERY_DB_REUSE_MAX = int(os.environ.get("CELERY_DB_REUSE_MAX", "1000"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A proposal must not hang on a dead broker: fail fast, the sweep re-sends.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # How long a task taken by a worker that died (SIGKILL, lost machine)
    # stays invisible before Redis hands it to another worker.
    "visibility_timeout": int(os.environ.get("STET_BROKER_VISIBILITY_TIMEOUT", "300")),
    # How often a worker looks for such tasks (kombu's default scans every 100 s).
    "unacked_restore_interval": float(os.environ.get("STET_BROKER_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
}
# Beat: re-enqueue checks that were lost (worker killed, broker down) or
# made with older rule versions.
STET_CHECKS_SWEEP_INTERVAL = float(os.environ.get("STET_CHECKS_SWEEP_INTERVAL", "60"))
STET_CHECKS_LOST_AFTER = float(os.environ.get("STET_CHECKS_LOST_AFTER", "120"))
CELERY_BEAT_SCHEDULE = {
    "sweep-lost-checks": {"task": "editorial.sweep_checks", "schedule": STET_CHECKS_SWEEP_INTERVAL},
    "sweep-lost-notifications": {"task": "editorial.sweep_notifications", "schedule": STET_CHECKS_SWEEP_INTERVAL},
    "sweep-stranded-proposals": {"task": "editorial.sweep_stranded", "schedule": STET_CHECKS_SWEEP_INTERVAL},
    "sweep-linked-rechecks": {"task": "editorial.sweep_linked_rechecks", "schedule": STET_CHECKS_SWEEP_INTERVAL},
}
# /healthz calls beat failing when its last sweep is older than this (seconds): three missed sweeps.
STET_HEALTH_SWEEP_MAX_AGE = float(os.environ.get("STET_HEALTH_SWEEP_MAX_AGE", str(3 * STET_CHECKS_SWEEP_INTERVAL)))
# How far back the sweep looks for decisions whose notifications were never made (seconds).
STET_NOTIFY_LOOKBACK = float(os.environ.get("STET_NOTIFY_LOOKBACK", str(7 * 24 * 3600)))

# Email: decisions are emailed to their authors. The console backend prints them (development);
# set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) to send by SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1" if EMAIL_HOST else "0") in ("1", "true", "yes")
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Stet <stet@localhost>")
# Where the site is reached from outside, for links in emails.
STET_SITE_URL = os.environ.get("STET_SITE_URL", "http://127.0.0.1:8000")
# How long a write keeps trying when rivals append to the same stream first
# (a burst of editors on one article) before it refuses with "try again".
STET_WRITE_PATIENCE = float(os.environ.get("STET_WRITE_PATIENCE", "15"))
# Site-specific consistency rules: dotted paths to Rule classes.
STET_EXTRA_RULES = _env_list("STET_EXTRA_RULES")

# The event log's optional keyed chain: with a key, each new event also carries
# an HMAC-SHA256 of its hash, which only the key's holder can make or check
# (`replay_events --verify`). Keep the key outside the database it protects.
STET_LOG_KEY = os.environ.get("STET_LOG_KEY", "")
if STET_LOG_KEY and len(STET_LOG_KEY) < 32:
    raise ImproperlyConfigured(
        "STET_LOG_KEY is too short to be a key: use at least 32 random characters, "
        "e.g. the output of `python -c 'import secrets; print(secrets.token_hex(32))'`."
    )
# Optional: the first event id that must carry a MAC, written down once the key is in use,
# so that a log whose MACs were all stripped cannot pass for one older than the key.
try:
    STET_LOG_KEYED_FROM = int(os.environ["STET_LOG_KEYED_FROM"]) if os.environ.get("STET_LOG_KEYED_FROM") else None
except ValueError:
    raise ImproperlyConfigured("STET_LOG_KEYED_FROM must be an event id (a whole number).") from None

# Production hardening: on unless DEBUG; `manage.py check --deploy` is clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    # A load balancer probes /healthz over plain HTTP, behind the TLS proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

# LOG_FORMAT=json: one JSON object a line (time, level, logger, message and any `extra`), for a
# log collector; the web workers' access lines and the Celery processes' lines go the same way.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
_console = {"class": "logging.StreamHandler"}
if LOG_FORMAT == "json":
    _console["formatter"] = "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": _console},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # One line per task is noise in the web process; workers log their own.
        "celery.app.trace": {"level": os.environ.get("CELERY_TRACE_LOG_LEVEL", "WARNING")},
    },
}
if LOG_FORMAT == "json":
    # gunicorn's workers load Django, and then log their access lines through this handler.
    LOGGING["loggers"].update(
        {name: {"handlers": ["console"], "level": "INFO", "propagate": False} for name in ("gunicorn.access", "gunicorn.error")}
    )
# Celery replaces the root logger's handlers with its own text ones unless told not to.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The JSON API (api/): tokens or the login session (with CSRF), problem details, limits per token
# counted in Django's cache (per process unless CACHES names a shared one such as Redis).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ReadThrottle", "api.throttling.WriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "read": os.environ.get("STET_API_READ_RATE", "600/min"),
        "write": os.environ.get("STET_API_WRITE_RATE", "60/min"),
    },
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stet API",
    "DESCRIPTION": "Read articles, revisions, history, diffs and provenance; propose and review revisions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc from drf-spectacular-sidecar's static files: the docs load nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
