"""Settings for hallbar: one module, typed environment variables, no secrets in the repo."""

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from config.sso import DEFAULT_STRONG_ACR, form_action_origins, providers_from_environment

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running platform writes (SQLite, Parquet spend, uploads) lives here, git-ignored.
DATA_DIR = Path(env_str("HALLBAR_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# Development and tests run with this placeholder; a deployment sets its own SECRET_KEY. With
# DEBUG off the platform refuses to start with the placeholder: the web server (config/wsgi.py,
# config/asgi.py), `runserver` and the task worker (hallbar.core.apps) raise
# ImproperlyConfigured, and `check --deploy` reports it (config/checks.py). `make run` serves the
# demo with a random key kept in var/demo-secret-key.
PLACEHOLDER_SECRET_KEY = "hallbar-insecure-development-key-set-SECRET_KEY-in-production"
SECRET_KEY = env_str("SECRET_KEY", PLACEHOLDER_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "hallbar.core.apps.HallbarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "axes",  # lockout after repeated failed logins (docs/DESIGN.md, Security settings)
    "csp",
    # the second factor at login: TOTP apps and one-time recovery codes (hallbar.organisations.mfa)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # single sign-on with OpenID Connect (docs/DESIGN.md, Identity)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Swagger UI for /api/docs from django-ninja's own static files, not from a CDN
    "ninja",
    "hallbar.core",
    "hallbar.organisations",
    "hallbar.categories",
    "hallbar.requirements",
    "hallbar.suppliers",
    "hallbar.contracts",
    "hallbar.risk",
    "hallbar.funding",
    "hallbar.followups",
    "hallbar.planning",
    "hallbar.training",
    "hallbar.reporting",
    "hallbar.api",
    "hallbar.home",
    "hallbar.demo",
    # After hallbar.core, whose `db_worker` (the same worker with a heartbeat) takes the place
    # of this app's own.
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: the request id and the log line of every request, its duration included.
    "hallbar.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "hallbar.core.middleware.PermissionsPolicyMiddleware",
    "hallbar.core.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Keeps the request where the audit log (hallbar.core.audit) finds its actor and address.
    "hallbar.core.audit.AuditRequestMiddleware",
    # request.user.is_verified(), then the second factor for the roles that need it
    "django_otp.middleware.OTPMiddleware",
    "hallbar.organisations.mfa.SecondFactorMiddleware",
    "hallbar.core.languages.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hallbar.organisations.sessions.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "hallbar.core.middleware.RememberListFiltersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused by the lockout into the login page with its message.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "hallbar.home.context_processors.navigation",
            ],
        },
    },
]

# Connections are kept for DATABASE_CONN_MAX_AGE seconds (a new PostgreSQL connection per
# request cost a third of the p95 under load, issue 16) and checked before reuse.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'hallbar.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the same file without locking each other out.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

# Single sign-on (docs/sso.md): the identity providers of HALLBAR_OIDC_PROVIDERS, each a
# button on the login page. An ID token whose acr is in the provider's strong_acr list (by
# default HALLBAR_OIDC_STRONG_ACR) counts as a second factor.
HALLBAR_OIDC_STRONG_ACR = env_list("HALLBAR_OIDC_STRONG_ACR", DEFAULT_STRONG_ACR)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": providers_from_environment(HALLBAR_OIDC_STRONG_ACR)}
}
SOCIALACCOUNT_ADAPTER = "hallbar.organisations.sso.SocialAccountAdapter"
ACCOUNT_ADAPTER = "hallbar.organisations.sso.AccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False  # people are known to hallbar before they log in
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # e-mail matching is hallbar's own, verified only
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the login page's buttons POST (CSRF-protected)
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("HALLBAR_OIDC_TIMEOUT_SECONDS", 10)
ACCOUNT_EMAIL_NOTIFICATIONS = False
# Passwords stay for the demo and as a fallback; HALLBAR_PASSWORD_LOGIN=false hides the form
# and refuses every password login (there is then no backend that checks passwords).
HALLBAR_PASSWORD_LOGIN = env_bool("HALLBAR_PASSWORD_LOGIN", True)
if not HALLBAR_PASSWORD_LOGIN and not SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]:
    raise ImproperlyConfigured(
        "HALLBAR_PASSWORD_LOGIN=false needs at least one provider in HALLBAR_OIDC_PROVIDERS"
    )
AUTHENTICATION_BACKENDS = [
    # First, so that every password login is counted and a locked one refused (it needs the
    # request: log test clients in with force_login, or client.login(request=..., ...)).
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if HALLBAR_PASSWORD_LOGIN else []),
    # Keeps people logged in by single sign-on; it never checks a password.
    "hallbar.organisations.sso.SingleSignOnBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "hallbar.organisations.passwords.SwedishPatternValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:start"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Our number formats over Django's: a thin space between thousands in Swedish (config/formats).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = (
    DATA_DIR / "uploads"
)  # never served directly: files go through permission-checked views
# Static files carry a hash of their content in their names (`collectstatic` writes them to
# STATIC_ROOT, compressed) so that whitenoise can let browsers keep them for ever. Development
# (DEBUG) and the test suite (config/settings_test.py) use the plain names, served from
# static/ directly; HALLBAR_STATIC_MANIFEST chooses explicitly.
STATIC_MANIFEST = env_bool("HALLBAR_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hallbar@localhost")
# Where people reach the platform: every e-mail links to the page where the work is done.
HALLBAR_BASE_URL = env_str("HALLBAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The contact point the open-data catalogue (/datasets/dcat) gives for questions about the data.
HALLBAR_OPEN_DATA_EMAIL = env_str("HALLBAR_OPEN_DATA_EMAIL", "oppnadata@hallbar.example")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security settings (docs/DESIGN.md, "Security settings"). With DEBUG off the platform is served
# over HTTPS only: secure cookies, HSTS and a redirect to https. HALLBAR_PLAIN_HTTP=true opts out
# for a local demo on http://127.0.0.1 (`make run` sets it) and for the test servers
# (config/settings_test.py); each setting can also be set on its own.
PLAIN_HTTP = env_bool("HALLBAR_PLAIN_HTTP", DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not PLAIN_HTTP)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not PLAIN_HTTP)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if PLAIN_HTTP else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not PLAIN_HTTP)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not PLAIN_HTTP)
# Behind a reverse proxy that ends TLS and says so in X-Forwarded-Proto.
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A monitor may ask gunicorn itself (http on HALLBAR_BIND) for /healthz, without the proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses (hallbar.core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# No inline script or style on any page, nothing from other sites: styles and scripts are files
# in static/. SVG charts and data: images are allowed for pictures only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        # The single sign-on buttons and the logout are forms redirected to the providers.
        "form-action": [
            "'self'",
            *form_action_origins(SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]),
        ],
        "frame-ancestors": ["'none'"],
    }
}
# Request bodies: forms stay small; uploaded files (imports, evidence) go to disk beyond 2.5 MB
# and a request body larger than HALLBAR_MAX_UPLOAD_MB is refused with 413
# (hallbar.core.middleware.RequestBodyLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 5000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
HALLBAR_MAX_UPLOAD_MB = env_int("HALLBAR_MAX_UPLOAD_MB", 100)
# Retention (hallbar.core.retention, `manage.py apply_retention` daily; docs/personal-data.md):
# an import's uploaded file is deleted after this many days (the job and its report stay) ...
HALLBAR_UPLOAD_RETENTION_DAYS = env_int("HALLBAR_UPLOAD_RETENTION_DAYS", 90)
# ... and a closed case's evidence files and interview notes this many days after it closed.
HALLBAR_EVIDENCE_RETENTION_DAYS = env_int("HALLBAR_EVIDENCE_RETENTION_DAYS", 3650)

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the
# login, whatever happens (hallbar.organisations.sessions).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Failed logins (django-axes): an account is locked after LOGIN_FAILURE_LIMIT failures, an
# address after LOGIN_ADDRESS_FAILURE_LIMIT (many people may share one), each for
# LOGIN_LOCKOUT_MINUTES after the last failure or until the secretariat unlocks it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
HALLBAR_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "hallbar.organisations.lockout.LockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "hallbar.organisations.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # the secretariat's page /account/lockouts/ instead
AXES_VERBOSE = False
# Failures are kept (AccessAttempt) while they count; successful logins are not logged by axes:
# the platform's own audit log is the place for them (issue 15, item 6).
AXES_DISABLE_ACCESS_LOG = True
# The client's address: REMOTE_ADDR, or the address a trusted proxy puts in X-Forwarded-For.
HALLBAR_PROXY_COUNT = env_int("HALLBAR_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "hallbar.organisations.lockout.client_address"

# The second factor (docs/DESIGN.md, "Authentication"): the roles of
# hallbar.organisations.access.requires_second_factor confirm each login with a code from an
# authenticator app (TOTP) or a recovery code, unless the identity provider already vouched for a
# strong login. HALLBAR_MFA_REQUIRED=false switches the demand off (the pages stay).
HALLBAR_MFA_REQUIRED = env_bool("HALLBAR_MFA_REQUIRED", True)
# The name authenticator apps show for hallbar's entry.
OTP_TOTP_ISSUER = env_str("HALLBAR_MFA_ISSUER", "hallbar")
# Wrong codes: after n failures in a row the next try waits FACTOR * 2^(n-1) seconds (1, 2, 4, …
# up to django-otp's cap), on the app's codes and on the recovery codes alike. 0 would switch the
# throttle off, so it is refused.
OTP_TOTP_THROTTLE_FACTOR = env_int("HALLBAR_MFA_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = OTP_TOTP_THROTTLE_FACTOR
if OTP_TOTP_THROTTLE_FACTOR < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("HALLBAR_MFA_THROTTLE_FACTOR must be 1 or more.")

# Health (/healthz): the task worker writes a heartbeat every HALLBAR_WORKER_HEARTBEAT_SECONDS
# and counts as stopped after HALLBAR_WORKER_STALE_SECONDS without one; the data directory
# needs HALLBAR_MIN_FREE_DISK_MB free.
HALLBAR_WORKER_HEARTBEAT_SECONDS = env_int("HALLBAR_WORKER_HEARTBEAT_SECONDS", 30)
HALLBAR_WORKER_STALE_SECONDS = env_int(
    "HALLBAR_WORKER_STALE_SECONDS", 3 * HALLBAR_WORKER_HEARTBEAT_SECONDS
)
HALLBAR_MIN_FREE_DISK_MB = env_int("HALLBAR_MIN_FREE_DISK_MB", 1024)

# Logs go to standard output, one JSON object a line (HALLBAR_LOG_FORMAT=json, the default
# without DEBUG) or as plain text (text). Every line of a request carries its request id
# (X-Request-ID); hallbar.request logs one line per request (hallbar.core.middleware).
LOG_FORMAT = env_str("HALLBAR_LOG_FORMAT", "text" if DEBUG else "json")
# The web server and the worker log to standard output (journald, containers collect it); the
# other management commands to standard error, so that the JSON or CSV they print stays clean.
_COMMAND = sys.argv[1] if len(sys.argv) > 1 and sys.argv[0].endswith("manage.py") else ""
LOG_STREAM = env_str(
    "HALLBAR_LOG_STREAM",
    "stderr" if _COMMAND and _COMMAND not in {"db_worker", "runserver"} else "stdout",
)
if LOG_STREAM not in {"stdout", "stderr"}:
    raise ImproperlyConfigured(f"HALLBAR_LOG_STREAM must be stdout or stderr, not {LOG_STREAM!r}")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"HALLBAR_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "hallbar.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "hallbar.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": f"ext://sys.{LOG_STREAM}",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        "hallbar.request": {"level": env_str("HALLBAR_REQUEST_LOG_LEVEL", "INFO")},
        # Django's own line per request repeats hallbar.request's (and 4xx as warnings).
        "django.request": {"level": "ERROR"},
        "django_tasks": {"level": "INFO"},
        "django_tasks_db": {"level": "INFO"},
    },
}
