"""Settings shared by every environment. Defaults suit a developer's machine.

``DATABASE_URL`` selects the database (``sqlite:///path`` or ``postgres://...``); without
it the embedded SQLite file under ``var/`` is used.
"""

from __future__ import annotations

import os
from pathlib import Path

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
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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

# Case attachments: what an upload may be.
DAGSORDEN_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
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
