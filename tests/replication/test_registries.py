"""Whether a registry policy's resources can reach a replication filter's prefixes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.iam.arns import glob_match
from ecrlint.replication.registries import could_start_with


@pytest.mark.parametrize(
    "pattern,prefix,expected",
    [
        ("repository/*", "repository/prod", True),
        ("repository/prod*", "repository/prod", True),
        ("repository/prod-*", "repository/prod", True),
        ("repository/prod-*", "repository/pr", True),
        ("repository/dev/*", "repository/prod", False),
        ("repository/p?od", "repository/prod", True),
        ("repository/p?od", "repository/prodx", False),
        ("repository/*/api", "repository/team/", True),
        ("repository/", "repository/x", False),
    ],
)
def test_could_start_with(pattern, prefix, expected):
    assert could_start_with(pattern, prefix) is expected


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.text("ab*?", max_size=6), st.text("ab", max_size=4))
def test_could_start_with_agrees_with_brute_force(pattern, prefix):
    suffixes = [""] + ["".join(p) for n in range(1, len(pattern) + 1) for p in itertools.product("ab", repeat=n)]
    expected = any(glob_match(pattern, prefix + s) for s in suffixes)
    assert could_start_with(pattern, prefix) is expected
