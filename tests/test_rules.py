"""Every rule folder: bad_* fixtures fire, good_* fixtures stay quiet, findings and undecided records
match the snapshot.

Needs no edits when a rule is added. Expectations may also be written in fixtures as
`# expect: ECR101` on the line before a finding.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

import pytest

from ecrlint.catalog import load_catalog
from ecrlint.model import MODEL_TYPES
from ecrlint.query import compile_query
from ecrlint.ruletest import snapshot_entry

from .pipeline import run_pipeline

CATALOG = load_catalog()
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(ECR\d{3}(?:\s*,\s*ECR\d{3})*)")


def _fixtures():
    for rule in CATALOG:
        for fixture in rule.fixtures():
            yield pytest.param(rule, fixture, id=f"{rule.id}/{os.path.basename(fixture)}")


def _files(fixture: str) -> list[str]:
    if os.path.isfile(fixture):
        return [fixture]
    return sorted(os.path.join(d, n) for d, _, names in os.walk(fixture) for n in names)


def _expected_lines(fixture: str, rule_id: str, cwd: str) -> set[tuple[str, int]]:
    expected = set()
    for path in _files(fixture):
        try:
            lines = open(path, encoding="utf-8").read().splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(lines, 1):
            m = EXPECT.search(line)
            if m and rule_id in [x.strip() for x in m.group(1).split(",")]:
                expected.add((os.path.relpath(path, cwd).replace(os.sep, "/"), number + 1))
    return expected


def _run(rule, fixture):
    """Run one fixture alone, as its own little repository: neighbours in tests/ must not leak in."""
    with tempfile.TemporaryDirectory() as cwd:
        name = os.path.basename(fixture)
        target = os.path.join(cwd, name)
        (shutil.copytree if os.path.isdir(fixture) else shutil.copyfile)(fixture, target)
        findings, undecided, model = run_pipeline(target, cwd=cwd)
    mine = [f for f in findings if f.rule_id == rule.id and not f.suppressions]
    return mine, model, os.path.dirname(fixture), [u for rule_id, u in undecided if rule_id == rule.id]


@pytest.mark.parametrize("rule,fixture", list(_fixtures()))
def test_fixture(rule, fixture):
    mine, model, cwd, _ = _run(rule, fixture)
    name = os.path.basename(fixture)
    expected = _expected_lines(fixture, rule.id, cwd)
    if name.startswith("bad_"):
        assert mine, f"{rule.id} did not fire on {name}"
        if expected:
            got = {(f.span.path, f.span.start_line) for f in mine}
            assert got == expected, f"{rule.id} on {name}: findings at {sorted(got)}, expected {sorted(expected)}"
    else:
        assert not mine, f"{rule.id} fired on {name}: " + "; ".join(f"{f.span}: {f.message}" for f in mine)
        if rule.query:
            kinds = compile_query(rule.query).kinds
            selected = model.of(*(MODEL_TYPES[k] for k in kinds))
            assert selected, f"{name} contains nothing {rule.id} selects ({', '.join(kinds)}): it tests nothing"


def _undecided_entry(fixture, rule_id, record):
    """What a rule could not decide is pinned as strictly as what it finds: where, and why."""
    s = record.span
    return {
        "fixture": os.path.basename(fixture),
        "rule": rule_id,
        "undecided": True,
        "path": s.path,
        "start": [s.start_line, s.start_col],
        "end": [s.end_line, s.end_col],
        "address": record.address,
        "reason": record.reason,
    }


@pytest.mark.parametrize("rule", CATALOG, ids=[r.id for r in CATALOG])
def test_snapshot(rule, update_snapshots):
    fixtures = rule.fixtures()
    if not fixtures:
        pytest.skip(f"{rule.id} has no fixtures")
    entries = []
    for fixture in fixtures:
        mine, _, _, unsure = _run(rule, fixture)
        entries.extend(snapshot_entry(fixture, f) for f in mine)
        entries.extend(_undecided_entry(fixture, rule.id, u) for u in unsure)
    path = os.path.join(rule.folder, "tests", "findings.snap.json")
    text = json.dumps(entries, indent=2, sort_keys=True) + "\n"
    if update_snapshots or not os.path.exists(path):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        if not update_snapshots:
            pytest.fail(f"wrote a new snapshot {path}: review it and run again")
    with open(path, encoding="utf-8") as handle:
        assert handle.read() == text, f"findings of {rule.id} changed; review and run pytest --update-snapshots"


def test_every_rule_has_bad_and_good_fixtures():
    for rule in CATALOG:
        names = [os.path.basename(f) for f in rule.fixtures()]
        assert any(n.startswith("bad_") for n in names), f"{rule.id} has no bad_ fixture"
        assert any(n.startswith("good_") for n in names), f"{rule.id} has no good_ fixture"
