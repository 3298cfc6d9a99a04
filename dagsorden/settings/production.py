"""Production: secrets and hosts from the environment, HTTPS everywhere."""

from __future__ import annotations

import os

from dagsorden.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DAGSORDEN_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["DAGSORDEN_ALLOWED_HOSTS"].split(",")

# Secure by default; only a local benchmark behind no TLS proxy sets this to "0".
SECURE_SSL_REDIRECT = os.environ.get("DAGSORDEN_SECURE_SSL_REDIRECT", "1") != "0"
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
EMAIL_BACKEND = os.environ.get(
    "DAGSORDEN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)

# Errors to standard error, and to DAGSORDEN_LOG_FILE too when it is set.
LOGGING = logging_config(  # noqa: F405
    level=os.environ.get("DAGSORDEN_LOG_LEVEL", "INFO"),
    log_file=os.environ.get("DAGSORDEN_LOG_FILE") or None,
)
