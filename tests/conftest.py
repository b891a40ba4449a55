"""Shared fixtures: content sets and a fixed clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.content.loader import load_content
from bot.content.model import Content

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURE_CONTENT = TESTS / "data" / "content"
REAL_CONTENT = REPO / "content"
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="session")
def demo_content() -> Content:
    """A small, stable content set for engine tests (ky is deliberately incomplete)."""
    return load_content(FIXTURE_CONTENT)


@pytest.fixture(scope="session")
def real_content() -> Content:
    """The content the bot ships with."""
    return load_content(REAL_CONTENT)
