"""`ecrlint test-rules DIR`: run a rules folder's fixtures, as the shipped rules' own tests do.

For each rule in DIR, each `tests/bad_*` fixture must make it fire (at the lines marked
`# expect: ECRnnn`, when the fixture marks any), each `tests/good_*` fixture must leave it quiet
(and, for a query rule, hold something the query selects, or it tests nothing), and every rule
needs at least one of each. When `tests/findings.snap.json` exists, the findings must match it;
`--update-snapshots` writes it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass

from .catalog import Rule, builtin_rules_dir, load_catalog

EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(ECR\d{3}(?:\s*,\s*ECR\d{3})*)")
SNAPSHOT = "findings.snap.json"


@dataclass(frozen=True)
class Outcome:
    rule_id: str
    fixture: str  # file or folder name, or "" for the rule as a whole
    problem: str | None  # None: passed

    def line(self) -> str:
        where = f"{self.rule_id} {self.fixture}".rstrip()
        return f"ok    {where}" if self.problem is None else f"FAIL  {where}: {self.problem}"


def run_rule_tests(directory: str, update_snapshots: bool = False) -> list[Outcome]:
    """The outcome of every fixture of every rule in `directory` (folders named on the command line,
    so their Python checks may run)."""
    catalog = load_catalog((directory,), validate_builtin=False, python_rules=True)
    shipped = os.path.realpath(builtin_rules_dir())
    rules = [r for r in catalog if r.folder and not os.path.realpath(r.folder).startswith(shipped + os.sep)]
    outcomes: list[Outcome] = []
    for rule in rules:
        outcomes.extend(_test_rule(rule, catalog, update_snapshots))
    return outcomes


def _test_rule(rule: Rule, catalog: list[Rule], update_snapshots: bool) -> list[Outcome]:
    fixtures = rule.fixtures()
    names = [os.path.basename(f) for f in fixtures]
    outcomes = []
    for prefix in ("bad_", "good_"):
        if not any(n.startswith(prefix) for n in names):
            outcomes.append(Outcome(rule.id, "", f"no {prefix}* fixture in {os.path.join(rule.folder, 'tests')}"))
    entries = []
    for fixture in fixtures:
        findings, model = _run(rule, fixture, catalog)
        outcomes.append(Outcome(rule.id, os.path.basename(fixture), _judge(rule, fixture, findings, model)))
        entries.extend(snapshot_entry(fixture, f) for f in findings)
    if fixtures:
        problem = _compare_snapshot(rule, entries, update_snapshots)
        if problem:
            outcomes.append(Outcome(rule.id, SNAPSHOT, problem))
    return outcomes


def _run(rule: Rule, fixture: str, catalog: list[Rule]):
    """The rule's findings on one fixture, copied alone into an empty folder so neighbours do not leak in."""
    from .pipeline import Settings, run

    with tempfile.TemporaryDirectory() as cwd:
        target = os.path.join(cwd, os.path.basename(fixture))
        (shutil.copytree if os.path.isdir(fixture) else shutil.copyfile)(fixture, target)
        result = run(Settings(paths=[target], cwd=cwd, select=[rule.id], python_rules=True), catalog)
    return [f for f in result.findings if f.rule_id == rule.id and not f.suppressions], result.model


def _judge(rule: Rule, fixture: str, findings: list, model) -> str | None:
    name = os.path.basename(fixture)
    if name.startswith("bad_"):
        if not findings:
            return "did not fire"
        expected = _expected_lines(fixture, rule.id)
        got = {(f.span.path, f.span.start_line) for f in findings}
        if expected and got != expected:
            return f"fired at {sorted(got)}, expected {sorted(expected)}"
        return None
    if findings:
        return "fired: " + "; ".join(f"{f.span.path}:{f.span.start_line}: {f.message}" for f in findings)
    if rule.query:
        from .model import MODEL_TYPES
        from .query import compile_query

        kinds = compile_query(rule.query).kinds
        if not model.of(*(MODEL_TYPES[k] for k in kinds)):
            return f"holds nothing the rule selects ({', '.join(kinds)}): it tests nothing"
    return None


def _expected_lines(fixture: str, rule_id: str) -> set[tuple[str, int]]:
    """(path as the run shows it, line) after each `# expect: ECRnnn` naming the rule."""
    files = [fixture] if os.path.isfile(fixture) else [os.path.join(d, n) for d, _, ns in os.walk(fixture) for n in ns]
    expected = set()
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            m = EXPECT.search(line)
            if m and rule_id in [x.strip() for x in m.group(1).split(",")]:
                shown = os.path.relpath(path, os.path.dirname(fixture)).replace(os.sep, "/")
                expected.add((shown, number + 1))
    return expected


def snapshot_entry(fixture: str, finding) -> dict:
    """One finding as a rule's findings.snap.json records it (shared with the shipped rules' tests)."""
    s = finding.span
    return {
        "fixture": os.path.basename(fixture),
        "rule": finding.rule_id,
        "path": s.path,
        "start": [s.start_line, s.start_col],
        "end": [s.end_line, s.end_col],
        "address": finding.address,
        "message": finding.message,
    }


def _compare_snapshot(rule: Rule, entries: list[dict], update: bool) -> str | None:
    path = os.path.join(rule.folder, "tests", SNAPSHOT)
    text = json.dumps(entries, indent=2, sort_keys=True) + "\n"
    if update:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return None
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        if handle.read() != text:
            return "findings differ from the snapshot; review them and run with --update-snapshots"
    return None
