"""Tests: fast password hashing, in-memory mail, media in a temporary folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dagsorden.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="dagsorden-test-media-"))
