"""Settings shared by every environment. Defaults suit a developer's machine.

``DATABASE_URL`` selects the database (``sqlite:///path`` or ``postgres://...``); without
it the embedded SQLite file under ``var/`` is used.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("DAGSORDEN_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get(
    "DAGSORDEN_SECRET_KEY", "development-only-key-not-for-production-use-0123456789abcdef"
)
DEBUG = os.environ.get("DAGSORDEN_DEBUG", "1") == "1"
ALLOWED_HOSTS = [
    h for h in os.environ.get("DAGSORDEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "dagsorden.core",
    "dagsorden.access",
    "dagsorden.cases",
    "dagsorden.meetings",
    "dagsorden.importers",
    "dagsorden.publishing",
    "dagsorden.demo",
    "dagsorden.calendars",
    "dagsorden.search",
    "dagsorden.notifications",
    "dagsorden.desk",
    "dagsorden.public",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy everywhere; Cache-Control: private, no-store where it is not public.
    "dagsorden.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out after DAGSORDEN_SESSION_IDLE_MINUTES idle or SESSION_COOKIE_AGE in all.
    "dagsorden.core.middleware.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dagsorden.urls"
WSGI_APPLICATION = "dagsorden.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dagsorden.sqlite3'}"),
        conn_max_age=int(os.environ.get("DAGSORDEN_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            # A larger page cache and memory-mapped reads keep search and lists fast.
            "PRAGMA cache_size=-65536; PRAGMA mmap_size=536870912;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login throttling (``core/logins.py``): the axes backend comes first and refuses a locked-out
# user name and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DAGSORDEN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(
    minutes=int(os.environ.get("DAGSORDEN_LOGIN_COOLOFF_MINUTES", "15"))
)
# One guesser cannot lock a colleague out from another address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lockout: more tries while locked do not extend it, so the
# page's "try again in N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "dagsorden.core.logins.lockout_response"
AXES_CLIENT_IP_CALLABLE = "dagsorden.core.logins.client_ip"
# Reverse proxies in front of the application that append to X-Forwarded-For (0: none).
DAGSORDEN_TRUSTED_PROXIES = int(os.environ.get("DAGSORDEN_TRUSTED_PROXIES", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dagsorden" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"

LOGIN_URL = "admin:login"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Sessions: a working day at most, gone when the browser closes, and signed out after
# DAGSORDEN_SESSION_IDLE_MINUTES without a request (``core/middleware.py``).
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
DAGSORDEN_SESSION_IDLE_MINUTES = int(os.environ.get("DAGSORDEN_SESSION_IDLE_MINUTES", "30"))

# Responses never kept by a shared cache or on the browser's disk (besides every response to
# a signed-in user): the work pages, the admin, signing in and out.
DAGSORDEN_PRIVATE_PATHS = ("/arbejde/", "/admin/", "/log-ind/", "/log-ud/")
# Browser features no page of ours uses, denied to the pages and anything they embed.
DAGSORDEN_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def logging_config(*, level: str = "INFO", log_file: str | None = None) -> dict[str, Any]:
    """Errors and warnings to standard error (systemd's journal, a container's log), with a
    time stamp, and to ``log_file`` as well when given.

    Django alone logs a 500 only to ``mail_admins`` outside DEBUG, and with no ``ADMINS``
    that is nowhere. Here ``django.request`` logs each 500 with its traceback (4xx stay
    out: scanners would drown the errors), and ``dagsorden.*`` logs at ``level``, including
    ``dagsorden.events``, where a side effect that failed after its change was saved is
    reported. Everything reaches the handlers through the root logger.
    """
    handlers: dict[str, dict[str, Any]] = {
        "stderr": {"class": "logging.StreamHandler", "formatter": "timestamped"}
    }
    if log_file:
        # WatchedFileHandler reopens the file after logrotate has moved it.
        handlers["file"] = {
            "class": "logging.handlers.WatchedFileHandler",
            "filename": log_file,
            "formatter": "timestamped",
            "encoding": "utf-8",
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "timestamped": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"}
        },
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": "WARNING"},
        "loggers": {
            # Replaces Django's own handlers (console in DEBUG only, mail_admins); its records
            # reach ours through the root logger.
            "django": {"handlers": [], "level": "INFO"},
            "django.request": {"level": "ERROR"},
            "dagsorden": {"level": level},
        },
    }


LOGGING = logging_config(level=os.environ.get("DAGSORDEN_LOG_LEVEL", "INFO"))

# The municipality this installation serves (OParl Body).
DAGSORDEN_BODY_NAME = os.environ.get("DAGSORDEN_BODY_NAME", "Eksempel Kommune")
# Absolute links in e-mails.
DAGSORDEN_SITE_URL = os.environ.get("DAGSORDEN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# What reading one imported document may cost; only the limits named here change, the rest
# keep their defaults (dagsorden/importers/parsers/limits.py): file_bytes, pages,
# page_objects, characters, unpacked_bytes, memory_bytes, seconds. E.g. {"pages": 1000}.
DAGSORDEN_IMPORT_LIMITS: dict[str, int | float] = {}

LOGIN_URL = "/log-ind/"
LOGIN_REDIRECT_URL = "/arbejde/"
LOGOUT_REDIRECT_URL = "/"

# E-mail: printed to the console in development; SMTP (EMAIL_HOST etc.) in production.
EMAIL_BACKEND = os.environ.get(
    "DAGSORDEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DAGSORDEN_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DAGSORDEN_FROM_EMAIL", "dagsorden@localhost")

# Case attachments: what an upload may be. The size limit applies while a file arrives
# (``core/uploads.py``): no upload handler keeps more of any file than this.
DAGSORDEN_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "dagsorden.core.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Files up to this size are held in memory while they arrive, larger ones in a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # 2.5 MiB
# Form fields besides files: the paste view keeps 2,000,000 characters of pasted HTML (up to
# 3 bytes each in UTF-8) and the case form comes with it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DAGSORDEN_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
}
