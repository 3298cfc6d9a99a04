"""Shared fixtures: the real seed documents (a missing seed is a failure, never a skip)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

# --- Users for the public pages and the visibility gate (tests/test_pages.py, test_visibility.py)


@pytest.fixture
def staff_user(db: None) -> Any:
    """A signed-in administrator: sees closed items and unpublished meetings everywhere."""
    from django.contrib.auth.models import User

    from dagsorden.access.models import Role, RoleAssignment

    user = User.objects.create_user("sekretaer", is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def staff_client(staff_user: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(staff_user)
    return client


# --- Seed documents

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_NAMES = ("chefforum-2022-12-08.txt", "chefforum-2023-09-14.txt", "chefforum-2023-10-12.txt")


def seed_path(name: str) -> Path:
    path = SEEDS_DIR / name
    if not path.is_file():
        pytest.fail(f"seed document missing: {path} (tests read ../shared/seeds)")
    return path


@pytest.fixture(params=SEED_NAMES)
def seed(request: pytest.FixtureRequest) -> Path:
    """Each seed document in turn."""
    return seed_path(request.param)


@pytest.fixture
def seeds_dir() -> Path:
    for name in SEED_NAMES:
        seed_path(name)
    return SEEDS_DIR
