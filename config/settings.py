"""Settings, all read from the environment (12-factor); with none set, the embedded default runs.

Embedded default: SQLite file in var/, Celery tasks run eagerly, local-memory cache,
e-mails printed on the console. Production: DATABASE_URL (PostgreSQL), REDIS_URL
(Celery broker and cache), SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LOGITHEQUE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# The development key is only acceptable while DEBUG is on or on the embedded default.
SECRET_KEY = os.environ.get("SECRET_KEY", "logitheque-insecure-development-key-change-me")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "widget_tweaks",
    "dsfr",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "corsheaders",
    "simple_history",
    "mozilla_django_oidc",
    "csp",
    "health_check",
    "inventory.core",
    "inventory.organisations",
    "inventory.forges",
    "inventory.dependencies",
    "inventory.agents",
    "inventory.catalog",
    "inventory.api",
    "inventory.opendata",
    "inventory.enrichment",
    "inventory.web",
    "inventory.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "inventory.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: every middleware above applies to stored pages as to rendered ones.
    "inventory.web.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inventory.web.context_processors.site_config",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'logitheque.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an eager crawl share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file (not memory) so a Celery worker started by the tests can open the test database;
    # one per process so parallel test runs do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

AUTH_USER_MODEL = "agents.Agent"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "agents:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Magic sign-in links (django-sesame): short-lived and single-use.
SESAME_MAX_AGE = int(os.environ.get("SIGNIN_LINK_MAX_AGE", "900"))
SESAME_ONE_TIME = True
SIGNIN_THROTTLE_PER_ADDRESS = int(os.environ.get("SIGNIN_THROTTLE_PER_ADDRESS", "3"))
SIGNIN_THROTTLE_PER_IP = int(os.environ.get("SIGNIN_THROTTLE_PER_IP", "10"))
SIGNIN_THROTTLE_WINDOW = int(os.environ.get("SIGNIN_THROTTLE_WINDOW", "3600"))

# ProConnect (OpenID Connect), switched on when its issuer and client are configured.
PROCONNECT_ISSUER = os.environ.get("PROCONNECT_ISSUER", "").rstrip("/")
PROCONNECT_ENABLED = bool(PROCONNECT_ISSUER and os.environ.get("PROCONNECT_CLIENT_ID"))
OIDC_RP_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("PROCONNECT_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email given_name usual_name siret"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "PROCONNECT_AUTHORIZATION_ENDPOINT", f"{PROCONNECT_ISSUER}/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("PROCONNECT_TOKEN_ENDPOINT", f"{PROCONNECT_ISSUER}/token")
OIDC_OP_USER_ENDPOINT = os.environ.get("PROCONNECT_USERINFO_ENDPOINT", f"{PROCONNECT_ISSUER}/userinfo")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("PROCONNECT_JWKS_ENDPOINT", f"{PROCONNECT_ISSUER}/jwks")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("PROCONNECT_LOGOUT_ENDPOINT", f"{PROCONNECT_ISSUER}/session/end")
OIDC_USE_NONCE = True
OIDC_CREATE_USER = True
if PROCONNECT_ENABLED:
    AUTHENTICATION_BACKENDS.append("inventory.agents.oidc.ProConnectBackend")

EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    import urllib.parse as _urlparse

    _email = _urlparse.urlparse(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = _urlparse.unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = _urlparse.unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Logithèque <noreply@logitheque.local>")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it even when it serves from the finders
STATICFILES_DIRS = [BASE_DIR / "inventory" / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Redis: Celery broker and cache. Without it, tasks run eagerly in the calling process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Account crawls go to the default queue; starting runs and the reaper to a queue of their own,
# which every worker consumes too (both are declared), so they never wait behind the crawls.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_CONTROL_QUEUE = os.environ.get("CELERY_CONTROL_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}-control")
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(CELERY_CONTROL_QUEUE)]
CELERY_TASK_ROUTES = {
    "inventory.forges.tasks.crawl_all_task": {"queue": CELERY_CONTROL_QUEUE},
    "inventory.forges.tasks.crawl_runs_reap_task": {"queue": CELERY_CONTROL_QUEUE},
}
# Wait for the broker at start-up and keep running crawls when it goes away for a while: they
# write to the database, not the broker (their leases say where they are).
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# Log through LOGGING below (JSON on request) rather than Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CRAWL_SCHEDULE_HOUR = int(os.environ.get("CRAWL_SCHEDULE_HOUR", "3"))
CRAWL_SCHEDULE_MINUTE = int(os.environ.get("CRAWL_SCHEDULE_MINUTE", "0"))
# Runs that always finish (README, "Runs that always finish"); seconds.
# An account's crawl holds a lease this long, renewed every third of it while its worker lives.
CRAWL_LEASE_SECONDS = float(os.environ.get("CRAWL_LEASE_SECONDS", "120"))
# Attempts at an account whose worker keeps dying before it is recorded as failed ("lost").
CRAWL_MAX_ATTEMPTS = int(os.environ.get("CRAWL_MAX_ATTEMPTS", "3"))
# How often beat runs the reaper.
CRAWL_REAP_INTERVAL = float(os.environ.get("CRAWL_REAP_INTERVAL", "60"))
# A run where nothing happened this long gets its waiting accounts' tasks sent again.
CRAWL_STALL_SECONDS = float(os.environ.get("CRAWL_STALL_SECONDS", "900"))
# Past this, the reaper closes a run whatever its accounts do (under a day: the next daily
# run is never blocked by this one).
CRAWL_RUN_MAX_DURATION = float(os.environ.get("CRAWL_RUN_MAX_DURATION", str(20 * 3600)))
# Backoff factor of an account task's retries after a database error.
CRAWL_RETRY_DELAY = int(os.environ.get("CRAWL_RETRY_DELAY", "30"))
# The health check fails when no run has crawled an account successfully for this long.
CRAWL_HEALTH_MAX_AGE = float(os.environ.get("CRAWL_HEALTH_MAX_AGE", str(26 * 3600)))
# Liveness files (manage.py liveness worker|beat): a worker touches its file every few
# seconds, beat each time it sends a task (the reaper, every CRAWL_REAP_INTERVAL).
WORKER_LIVENESS_FILE = Path(os.environ.get("WORKER_LIVENESS_FILE", VAR_DIR / "celery-worker.alive"))
BEAT_LIVENESS_FILE = Path(os.environ.get("BEAT_LIVENESS_FILE", VAR_DIR / "celery-beat.alive"))
CELERY_BEAT_SCHEDULE = {
    "crawl-all-accounts-daily": {
        "task": "inventory.forges.tasks.crawl_all_task",
        "schedule": crontab(hour=CRAWL_SCHEDULE_HOUR, minute=CRAWL_SCHEDULE_MINUTE),
    },
    "reap-crawl-runs": {
        "task": "inventory.forges.tasks.crawl_runs_reap_task",
        "schedule": CRAWL_REAP_INTERVAL,
        # A pass not started by the next one's time is dropped: the next one does its work.
        "options": {"expires": CRAWL_REAP_INTERVAL},
    },
    "regenerate-open-data-daily": {
        "task": "inventory.opendata.tasks.exports_generate_task",
        "schedule": crontab(hour=(CRAWL_SCHEDULE_HOUR + 2) % 24, minute=CRAWL_SCHEDULE_MINUTE),
    },
    # Enrichment (README, "Enrichment"): releases daily, the other sources weekly (Sunday),
    # after the crawl and before the open data are regenerated.
    **{
        f"enrich-{source}": {
            "task": "inventory.enrichment.tasks.source_refresh_task",
            "args": [source],
            "schedule": crontab(
                hour=(CRAWL_SCHEDULE_HOUR + 1) % 24,
                minute=(CRAWL_SCHEDULE_MINUTE + offset) % 60,
                **({} if source == "forge" else {"day_of_week": "sun"}),
            ),
        }
        for offset, source in enumerate(("forge", "wikidata", "comptoir", "cnll", "hal"))
    },
}
# Base URLs of the enrichment sources (empty: the public service); the demo and the tests
# point them at the fake sources (crawlers/sources/fakes/).
ENRICHMENT_SOURCE_URLS = {
    source: os.environ.get(f"ENRICHMENT_{source.upper()}_URL", "")
    for source in ("wikidata", "commons", "comptoir", "cnll", "hal")
}
# Largest logo fetched (bytes) and the side of the thumbnails stored (pixels).
LOGO_MAX_BYTES = int(os.environ.get("LOGO_MAX_BYTES", "1000000"))
LOGO_THUMBNAIL_SIZE = int(os.environ.get("LOGO_THUMBNAIL_SIZE", "128"))

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Forge access: one token for GitHub, one per self-hosted instance (FORGE_TOKEN_<HOST>,
# host upper-cased with dots and dashes as underscores, e.g. FORGE_TOKEN_GITLAB_COM).
GITHUB_TOKEN = os.environ.get("GITHUB_TOKEN", "")
CRAWL_TIMEOUT = float(os.environ.get("CRAWL_TIMEOUT", "30"))
CRAWL_MAX_RETRIES = int(os.environ.get("CRAWL_MAX_RETRIES", "4"))
# Longest wait for a rate-limit reset before an account's crawl gives up (seconds).
CRAWL_MAX_RATE_LIMIT_WAIT = float(os.environ.get("CRAWL_MAX_RATE_LIMIT_WAIT", "3600"))
# Details of new or changed repositories in batched GraphQL queries where the forge has them
# (GitHub with a token, GitLab), and their manifests read for dependencies.
CRAWL_GRAPHQL = env_bool("CRAWL_GRAPHQL", default=True)
CRAWL_MANIFESTS = env_bool("CRAWL_MANIFESTS", default=True)

OPENDATA_DIR = Path(os.environ.get("OPENDATA_DIR", VAR_DIR / "opendata"))

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "EXCEPTION_HANDLER": "inventory.core.exceptions.api_exception_handler",
    # Ours reads API_ANON_RATE at each request and understands "off"; the schema and docs
    # views (drf-spectacular) take this default, which DRF's own class would fail on.
    "DEFAULT_THROTTLE_CLASSES": ["inventory.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_PARSER_CLASSES": [
        "inventory.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/minute")},
}
# Anonymous API reads are cached this long per URL (seconds; 0 turns the cache off).
API_CACHE_SECONDS = int(os.environ.get("API_CACHE_SECONDS", "30"))
# Anonymous HTML pages likewise (seconds; 0 turns the cache off, validators and 304s stay).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "30"))
# Parts of pages shared by every visitor (filter menus, statistics), kept per content change
# (seconds; 0: computed on every request). Admin edits show within this time.
SHARED_CACHE_SECONDS = int(os.environ.get("SHARED_CACHE_SECONDS", "300"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Logithèque API",
    "DESCRIPTION": "Open data on the French public sector's source code and recommended free software.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inventory.api.schema.integer_path_ids",
    ],
}
CORS_URLS_REGEX = r"^/(api|data)/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# HTTPS: on by default when the site's URL is https (and not in DEBUG); each can be set apart.
HTTPS = not DEBUG and SITE_URL.startswith("https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
# Behind a proxy that ends TLS: it says so in X-Forwarded-Proto (set it only if it does).
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
X_FRAME_OPTIONS = "DENY"
# django-dsfr marks the text of its components (alerts for flash messages, tables, notices) as
# safe HTML unless told otherwise: messages embed names agents and forges chose, so escape them.
DSFR_CONTENT_IS_SAFE = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from this site only, no inline script or
# style (templates use static files), no plugins, no framing. DSFR's CSS draws its icons from
# data: SVGs. ProConnect's sign-out is a redirect after a form: its origin may receive it.
_FORM_ACTIONS = [SELF]
if PROCONNECT_ENABLED:
    from urllib.parse import urlsplit as _urlsplit

    _issuer = _urlsplit(OIDC_OP_LOGOUT_ENDPOINT)
    _FORM_ACTIONS.append(f"{_issuer.scheme}://{_issuer.netloc}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": _FORM_ACTIONS,
        "frame-ancestors": [NONE],
    }
}

# Every line says which crawl run and account it is about, when it is (inventory.core.logcontext).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"crawl_context": {"()": "inventory.core.logcontext.CrawlContextFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(processName)s %(name)s %(crawl)s%(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s %(run_id)s %(account_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["crawl_context"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
