"""docs/rules/ is generated from rules/: a test keeps them in sync."""

from __future__ import annotations

import os

from ecrlint.catalog import load_catalog
from ecrlint.docs import pages, write_pages

from .conftest import ROOT

DOCS = os.path.join(ROOT, "docs", "rules")


def test_rule_pages_are_current(update_snapshots):
    rules = load_catalog()
    expected = pages(rules)
    if update_snapshots:
        for name in os.listdir(DOCS) if os.path.isdir(DOCS) else []:
            if name not in expected:
                os.remove(os.path.join(DOCS, name))
        write_pages(rules, DOCS)
    present = sorted(os.listdir(DOCS))
    assert present == sorted(expected), "docs/rules is stale: run pytest --update-snapshots"
    for name, text in expected.items():
        with open(os.path.join(DOCS, name), encoding="utf-8") as handle:
            assert handle.read() == text, f"docs/rules/{name} is stale: run pytest --update-snapshots"


def test_every_page_has_rationale_fix_and_examples():
    for rule in load_catalog():
        page = pages([rule])[f"{rule.id}.md"]
        assert "## Why is this a problem?" in page and "## How to fix it" in page
        if rule.engine is None:
            assert "## Flagged" in page, f"{rule.id} page shows no flagged example"
