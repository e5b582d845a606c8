"""One finding per fact across Terraform scenarios.

A root configured with scenarios (named sets of variable files) is evaluated once per scenario.
The same finding from several scenarios is reported once; when it holds in only some of them,
its message names them ("when prod").
"""

from __future__ import annotations

import re
from dataclasses import replace

from .findings import Finding, Undecided

# Where a value came from differs between scenarios ("from var.x from prod.tfvars:1") while the
# finding is the same.
_TRACE = re.compile(r" \(from [^()]*\)")


def _when(names: list[str], every: tuple[str, ...]) -> str:
    return "" if set(names) >= set(every) else f" (when {' or '.join(names)})"


def merge_findings(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    groups: dict[tuple, list[Finding]] = {}
    for finding in findings:
        if finding.scenario is None:
            out.append(finding)
            continue
        key = (finding.rule_id, finding.span, finding.address, finding.pointer, _TRACE.sub("", finding.message))
        groups.setdefault(key, []).append(finding)
    for group in groups.values():
        group.sort(key=lambda f: f.scenario.name)
        first = group[0]
        names = sorted({f.scenario.name for f in group})
        out.append(replace(first, message=first.message + _when(names, first.scenario.of), scenario=None))
    return out


def merge_undecided(undecided: list[tuple[str, Undecided]]) -> list[tuple[str, Undecided]]:
    out: list[tuple[str, Undecided]] = []
    groups: dict[tuple, list[tuple[str, Undecided]]] = {}
    for rule_id, item in undecided:
        if item.scenario is None:
            out.append((rule_id, item))
            continue
        groups.setdefault((rule_id, item.span, item.address, item.pointer, item.reason), []).append((rule_id, item))
    for (rule_id, *_), group in groups.items():
        group.sort(key=lambda pair: pair[1].scenario.name)
        first = group[0][1]
        names = sorted({item.scenario.name for _, item in group})
        out.append((rule_id, replace(first, reason=first.reason + _when(names, first.scenario.of), scenario=None)))
    return out
