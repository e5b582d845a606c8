"""JUnit XML, checked against the shape of Jenkins' junit-10.xsd (xunit-plugin).

No XSD validator is installed (lxml/xmlschema are absent), so `check_junit10` encodes that
schema's elements, allowed and required attributes and allowed children by hand.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from render_helpers import finding, make_context, sample_findings

from ecrlint.findings import Suppression
from ecrlint.render import render

# element -> (required attributes, optional attributes, allowed children); from junit-10.xsd
JUNIT10 = {
    "testsuites": (set(), {"name", "time", "tests", "failures", "errors"}, {"testsuite"}),
    "testsuite": (
        {"name", "tests", "failures", "errors"},
        {"group", "time", "skipped", "timestamp", "hostname", "id", "package", "file", "log", "url"},
        {"testsuite", "properties", "testcase", "system-out", "system-err"},
    ),
    "testcase": (
        {"name"},
        {"time", "classname", "group"},
        {"skipped", "error", "failure", "system-out", "system-err"},
    ),
    "failure": (set(), {"type", "message"}, set()),
    "error": (set(), {"type", "message"}, set()),
    "skipped": (set(), {"type", "message"}, set()),
    "system-out": (set(), set(), set()),
    "system-err": (set(), set(), set()),
}
SUREFIRE_TIME = re.compile(r"(([0-9]{0,3},)*[0-9]{3}|[0-9]{0,3})*(\.[0-9]*)?")


def check_junit10(element: ET.Element) -> None:
    assert element.tag in JUNIT10, element.tag
    required, optional, children = JUNIT10[element.tag]
    attrs = set(element.attrib)
    assert required <= attrs, (element.tag, required - attrs)
    assert attrs <= required | optional, (element.tag, attrs - required - optional)
    if element.tag in ("testsuites", "testsuite") and "time" in attrs:
        assert SUREFIRE_TIME.fullmatch(element.get("time"))
    for child in element:
        assert child.tag in children, (element.tag, child.tag)
        check_junit10(child)


def check_counts(root: ET.Element) -> None:
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.get("errors")) == sum(1 for c in cases if c.find("error") is not None)
        assert int(suite.get("skipped")) == sum(1 for c in cases if c.find("skipped") is not None)
        for key in totals:
            totals[key] += int(suite.get(key))
    for key, value in totals.items():
        assert int(root.get(key)) == value


def parse(out: str) -> ET.Element:
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n') and out.endswith("</testsuites>\n")
    return ET.fromstring(out.encode("utf-8"))


def test_structure_and_counts():
    for ctx in (make_context(), make_context(show_suppressed=True)):
        root = parse(render("junit", sample_findings(), ctx))
        assert root.tag == "testsuites" and root.get("name") == "ecrlint"
        check_junit10(root)
        check_counts(root)


def test_one_failing_case_per_rule_and_file():
    findings = [
        finding(line=3),
        finding(line=9, message="second"),
        finding("ECR104", line=1, col=1, end_col=2),
        finding(path="other.tf", line=1),
    ]
    root = parse(render("junit", findings, make_context()))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["infra/ecr.tf", "other.tf"]
    assert suites[0].get("file") == "infra/ecr.tf"
    cases = suites[0].findall("testcase")
    assert [(c.get("name"), c.get("classname")) for c in cases] == [
        ("ECR101 mutable-image-tags", "infra/ecr.tf"),
        ("ECR104 no-customer-managed-key", "infra/ecr.tf"),
    ]
    failure = cases[0].find("failure")
    assert failure.get("type") == "high"
    assert failure.get("message") == "2 findings of ECR101 mutable-image-tags in infra/ecr.tf"
    assert failure.text.splitlines() == [
        "infra/ecr.tf:3:26: [high] mutable-image-tags at infra/ecr.tf:3",
        "infra/ecr.tf:9:26: [high] second",
    ]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "3", "0")


def test_failure_type_is_the_worst_severity():
    root = parse(render("junit", [finding(severity="low"), finding(line=5, severity="critical")], make_context()))
    assert root.find("testsuite/testcase/failure").get("type") == "critical"


def test_suppressed_pairs_are_skipped_cases_when_shown():
    findings = [finding(suppressions=(Suppression("inline", "why"),))]
    assert parse(render("junit", findings, make_context())).find("testsuite/testcase").get("name") == "no findings"
    root = parse(render("junit", findings, make_context(show_suppressed=True)))
    case = root.find("testsuite/testcase")
    assert case.find("failure") is None
    assert case.find("skipped").get("message") == "suppressed: 1 finding"
    assert "[suppressed: why]" in case.find("skipped").text
    check_counts(root)


def test_clean_run_is_one_passing_case():
    root = parse(render("junit", [], make_context(files_scanned=4)))
    check_junit10(root)
    check_counts(root)
    (case,) = root.iter("testcase")
    assert case.get("name") == "no findings" and len(case) == 0
    assert (root.get("tests"), root.get("failures")) == ("1", "0")


def test_special_and_invalid_xml_characters():
    f = finding(path="a&b/<x>.tf", message='quote " amp & lt < ctrl \x00\x1b end')
    out = render("junit", [f], make_context())
    root = parse(out)  # would raise on unescaped or invalid characters
    assert root.find("testsuite").get("name") == "a&b/<x>.tf"
    assert "ctrl \ufffd\ufffd end" in root.find("testsuite/testcase/failure").text


def test_findings_below_fail_on_are_skipped_not_failed():
    findings = [
        finding(severity="low"),  # ECR101 in infra/ecr.tf: below "high"
        finding("ECR104", severity="medium", suppressions=(Suppression("inline", "why"),)),
        finding("ECR104", line=5, severity="low"),
        finding("ECR201", path="policy.json", severity="critical"),
    ]
    root = parse(render("junit", findings, make_context(fail_on="high", show_suppressed=True)))
    check_junit10(root)
    check_counts(root)
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert cases["ECR101 mutable-image-tags"].find("failure") is None
    assert cases["ECR101 mutable-image-tags"].find("skipped").get("message") == "below --fail-on high: 1 finding"
    skipped = cases["ECR104 no-customer-managed-key"].find("skipped")
    assert skipped.get("message") == "below --fail-on high: 1 finding; suppressed: 1 finding"
    assert cases["ECR201 public-repository-policy"].find("failure").get("type") == "critical"
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    # without a threshold every unsuppressed finding fails, as before
    root = parse(render("junit", findings, make_context()))
    assert root.get("failures") == "3"
