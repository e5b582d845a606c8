"""JUnit XML: one <testsuite> per file with findings, one failing <testcase> per rule in it.

    <testsuites name="ecrlint" tests="2" failures="2" errors="0" time="0">
      <testsuite name="infra/ecr.tf" tests="2" failures="2" errors="0" skipped="0" time="0" file="infra/ecr.tf">
        <testcase name="ECR101 mutable-image-tags" classname="infra/ecr.tf" time="0">
          <failure message="..." type="high">infra/ecr.tf:3:26: [high] ...</failure>

The <failure> text lists every finding of that rule in that file, one per line; `type`
is the highest severity among them. A (rule, file) pair whose findings are all below
`--fail-on` (they do not fail the run), or all suppressed (shown with `show_suppressed`),
becomes a <skipped> case. A clean run yields one passing case
so CI systems show that the check ran. No timestamps or host names: output is
deterministic.

The elements and attributes used are those of Jenkins' junit-10.xsd (xunit-plugin), the
shape GitLab, GitHub test reporters and Jenkins read: that schema allows `file` and
`skipped` on <testsuite> but not on <testcase> / <testsuites>, so they are only written
there. `tests/render/test_junit.py` checks output against that shape.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from ..findings import SEVERITY_RANK, Finding
from . import RenderContext, ordered, split_suppressed, suppression_reason

# Characters XML 1.0 cannot hold at all, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def _line(finding: Finding) -> str:
    line = f"{finding.span}: [{finding.severity}] {finding.message}"
    if finding.construct_path:
        line += f" (construct: {finding.construct_path})"
    if finding.suppressions:
        line += f" [suppressed: {suppression_reason(finding)}]"
    return line


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _skip_reason(group: list[Finding], fail_on: str | None) -> str:
    below = sum(1 for f in group if not f.suppressions)
    reasons = []
    if below:
        reasons.append(f"below --fail-on {fail_on}: {_plural(below, 'finding')}")
    if len(group) > below:
        reasons.append(f"suppressed: {_plural(len(group) - below, 'finding')}")
    return "; ".join(reasons)


def _set_counts(element: ET.Element, tests: int, failures: int, skipped: int | None) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    if skipped is not None:  # junit-10.xsd has no `skipped` on <testsuites>
        element.set("skipped", str(skipped))
    element.set("time", "0")


def _system_out(text: str) -> ET.Element:
    element = ET.Element("system-out")
    element.text = text
    return element


def render(findings: list[Finding], ctx: RenderContext) -> str:
    kept, suppressed = split_suppressed(findings)
    shown = ordered(kept + suppressed) if ctx.show_suppressed else kept
    root = ET.Element("testsuites", {"name": "ecrlint"})
    threshold = SEVERITY_RANK.get(ctx.fail_on, -1) if ctx.fail_on else -1
    totals = [0, 0, 0]  # tests, failures, skipped
    by_file = sorted(shown, key=lambda f: (f.span.path, f.rule_id))  # stable: keeps output order inside
    for path, in_file in groupby(by_file, key=lambda f: f.span.path):
        suite = ET.SubElement(root, "testsuite", {"name": _clean(path)})
        _set_counts(suite, 0, 0, 0)  # placeholders keep the attribute order; set below
        suite.set("file", _clean(path))
        counts = [0, 0, 0]
        for rule_id, group in groupby(in_file, key=lambda f: f.rule_id):
            group = list(group)
            case = ET.SubElement(
                suite,
                "testcase",
                {"name": _clean(f"{rule_id} {group[0].rule_name}"), "classname": _clean(path), "time": "0"},
            )
            counts[0] += 1
            failing = [f for f in group if not f.suppressions and SEVERITY_RANK.get(f.severity, -1) >= threshold]
            text = "\n".join(_clean(_line(f)) for f in group)
            if failing:
                worst = max(failing, key=lambda f: SEVERITY_RANK.get(f.severity, -1)).severity
                message = f"{_plural(len(failing), 'finding')} of {rule_id} {group[0].rule_name} in {path}"
                failure = ET.SubElement(case, "failure", {"message": _clean(message), "type": worst})
                failure.text = text
                counts[1] += 1
            else:
                skipped = ET.SubElement(case, "skipped", {"message": _clean(_skip_reason(group, ctx.fail_on))})
                skipped.text = text
                counts[2] += 1
        _set_counts(suite, *counts)
        totals = [a + b for a, b in zip(totals, counts)]
    if not len(root):
        suite = ET.SubElement(root, "testsuite", {"name": "ecrlint"})
        files = _plural(ctx.files_scanned, "file")
        ET.SubElement(suite, "testcase", {"name": "no findings", "classname": "ecrlint", "time": "0"})
        suite.append(_system_out(f"No findings in {files}."))
        _set_counts(suite, 1, 0, 0)
        totals = [1, 0, 0]
    _set_counts(root, totals[0], totals[1], None)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
