"""Shared test helpers: run fixtures through the same pipeline as the CLI."""

from __future__ import annotations

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")


def pytest_configure(config):
    # Keep the suite away from the user's cache: every run of the tests starts cold.
    import tempfile

    os.environ["ECRLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="ecrlint-test-cache-")


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true", help="rewrite findings.snap.json files")


@pytest.fixture
def update_snapshots(request) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


def shared_path(*parts: str) -> str:
    """A path under ../shared, or skip: users' clones do not have it."""
    path = os.path.join(SHARED, *parts)
    if not os.path.exists(path):
        pytest.skip(f"{path} is not available")
    return path
