"""Unit tests of the shipped rules' checks, one file per rule: `tests/rules/<group>/test_<id>.py`
mirrors `rules/<group>/<ID>-<name>/`, whose `check.py` each test loads as ecrlint does, by path.
The rules' fixtures and snapshots stay in the rule folders (`tests/test_rules.py` runs them)."""

from __future__ import annotations

import sys
from functools import cache
from types import ModuleType


@cache
def rule_check(rule_id: str):
    """The check function of a shipped rule, loaded from its folder as a run loads it."""
    from ecrlint.catalog import load_catalog
    from ecrlint.rule_loader import load_check

    (rule,) = [r for r in load_catalog() if r.id == rule_id]
    return load_check(rule)


def rule_module(rule_id: str) -> ModuleType:
    """The module of a shipped rule's check, for tests of its helpers."""
    return sys.modules[rule_check(rule_id).__module__]
