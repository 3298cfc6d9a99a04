"""Helpers for the project's own management commands: one-line errors, exit code 2."""

from __future__ import annotations

import sys
from typing import NoReturn

from django.core.management.base import BaseCommand


def fail(command: BaseCommand, message: str, *, code: int = 2) -> NoReturn:
    """Bad input: one line on stderr, no traceback, a non-zero exit."""
    command.stderr.write(message.replace("\n", " "), style_func=lambda text: text)
    sys.exit(code)
