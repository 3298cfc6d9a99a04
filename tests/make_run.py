"""Run a test under the settings `make run` serves with, as well as under the test settings.

`make run` leaves ``DAGSORDEN_DEBUG`` at its default, so ``dagsorden/settings/base.py``
turns ``DEBUG`` on; the test settings (and pytest-django) turn it off. Code paths differ
between the two (Django's debug cursor formats every statement's parameters), and a
defect seen only by people trying the demo is still a defect: the workflow tests and the
browser test run once under each.

Use it with ``pytestmark = pytest.mark.usefixtures("run_settings")`` after importing
``run_settings`` from here.
"""

from __future__ import annotations

from typing import Any

import pytest

# What `make run` gets from dagsorden/settings/base.py with DAGSORDEN_DEBUG unset ("1").
MAKE_RUN_DEBUG = True


@pytest.fixture(params=[False, MAKE_RUN_DEBUG], ids=["test-settings", "make-run-settings"])
def run_settings(request: pytest.FixtureRequest, settings: Any) -> bool:
    """``settings.DEBUG`` as the test settings have it, then as `make run` has it. The live
    server of the browser tests reads the same settings object, so it follows too."""
    settings.DEBUG = request.param
    return bool(request.param)
