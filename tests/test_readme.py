"""The README's rule table is generated from rules/, so it cannot drift."""

from __future__ import annotations

import os
import re

from ecrlint.catalog import load_catalog

from .conftest import ROOT

README = os.path.join(ROOT, "README.md")
SECTION = re.compile(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", re.S)


def rule_table() -> str:
    rows = ["| id | name | severity | default | what it flags |", "|---|---|---|---|---|"]
    for rule in load_catalog():
        selection = "on" if rule.default else "opt-in"
        rows.append(f"| {rule.id} | `{rule.name}` | {rule.severity} | {selection} | {rule.title} |")
    return "\n".join(rows) + "\n"


def test_readme_rule_table_is_current(update_snapshots):
    text = open(README, encoding="utf-8").read()
    current = SECTION.search(text).group(2)
    expected = rule_table()
    if update_snapshots and current != expected:
        text = SECTION.sub(lambda m: m.group(1) + expected + m.group(3), text)
        open(README, "w", encoding="utf-8").write(text)
        return
    assert current == expected, "README rule table is stale: run pytest --update-snapshots"
