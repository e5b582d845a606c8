"""Fuzz session plumbing: keep ecrlint's cache out of the user's home, print how many inputs ran."""

from __future__ import annotations

import json
import os

import pytest

from . import harness


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dirs(tmp_path_factory):
    """A cache ecrlint may keep goes to a temp dir, never to the real user cache."""
    home = tmp_path_factory.mktemp("fuzz-home")
    saved = {key: os.environ.get(key) for key in ("XDG_CACHE_HOME",)}
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    harness.cleanup()


def pytest_terminal_summary(terminalreporter):
    lines = harness.summary_lines()
    if lines:
        terminalreporter.write_sep("-", "ecrlint fuzz")
        for line in lines:
            terminalreporter.write_line(line)
    report = os.environ.get("ECRLINT_FUZZ_REPORT")
    if report and harness.STATS:
        with open(report, "w", encoding="utf-8") as handle:
            failures = {k: {**v, "tests": sorted(v["tests"])} for k, v in harness.FAILURES.items()}
            data = {"profile": "long" if harness.LONG else "bounded", "tests": harness.STATS, "failures": failures}
            json.dump(data, handle, indent=1)
