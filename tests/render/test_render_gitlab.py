"""GitLab Code Quality report."""

from __future__ import annotations

import json

from render_helpers import finding, make_context, sample_findings

from ecrlint.render import render


def test_issue_fields():
    f = sample_findings()[0]
    (issue,) = json.loads(render("gitlab", [f], make_context()))
    assert issue == {
        "type": "issue",
        "check_name": "ECR101",
        "description": f"ECR101 {f.message}",
        "categories": ["Security"],
        "fingerprint": f.fingerprint,
        "severity": "critical",
        "location": {"path": "infra/ecr.tf", "lines": {"begin": 3, "end": 3}},
    }


def test_severity_mapping_and_suppressed_omitted():
    issues = json.loads(render("gitlab", sample_findings(), make_context(show_suppressed=True)))
    assert {i["check_name"]: i["severity"] for i in issues} == {
        "ECR201": "blocker",
        "ECR101": "critical",
        "ECR900": "critical",
        "ECR104": "major",
        "ECR107": "minor",
        "ECR701": "info",
    }
    assert len(issues) == 6
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["location"]["lines"]["begin"], int)


def test_fingerprints_unique_within_a_report():
    # Same rule, file, resource and attribute: Finding.fingerprint is equal, GitLab would drop one.
    a = finding(line=3, address="aws_ecr_repository.app", pointer="image_tag_mutability")
    b = finding(line=9, address="aws_ecr_repository.app", pointer="image_tag_mutability")
    assert a.fingerprint == b.fingerprint
    issues = json.loads(render("gitlab", [b, a], make_context()))
    assert issues[0]["fingerprint"] == a.fingerprint
    assert issues[1]["fingerprint"] != a.fingerprint and len(issues[1]["fingerprint"]) == 32


def test_empty_report_is_an_empty_array():
    assert render("gitlab", [], make_context()) == "[]\n"
