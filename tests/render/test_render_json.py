"""JSON output: every Finding field, schema-valid, sorted keys, 2-space indent."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from render_helpers import SCHEMA_DIR, finding, make_context, sample_findings

from ecrlint.render import render


@pytest.fixture(scope="module")
def validator():
    with open(os.path.join(SCHEMA_DIR, "findings.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_output_validates_against_the_schema(validator, undecided):
    for ctx in (
        make_context(),
        make_context(show_suppressed=True, show_unknown=True, undecided=undecided, baseline_stale=["x"]),
    ):
        data = json.loads(render("json", sample_findings(), ctx))
        errors = list(validator.iter_errors(data))
        assert not errors, [e.message for e in errors]
    assert not list(validator.iter_errors(json.loads(render("json", [], make_context()))))


def test_schema_rejects_what_the_output_never_holds(validator):
    data = json.loads(render("json", sample_findings(), make_context()))
    data["findings"][0]["extra"] = 1
    assert list(validator.iter_errors(data))
    data = json.loads(render("json", sample_findings(), make_context()))
    data["findings"].append(data["suppressed"][0])  # a suppressed finding in `findings`
    assert list(validator.iter_errors(data))


def test_layout_sorted_keys_indent_and_trailing_newline():
    out = render("json", sample_findings(), make_context())
    assert out.endswith("}\n") and not out.endswith("\n\n")
    data = json.loads(out)
    assert out == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert list(data) == ["baseline_stale", "findings", "schema_version", "summary", "suppressed", "tool", "undecided"]
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "ecrlint", "version": "0.1.0"}


def test_every_finding_field_is_written():
    f = sample_findings()[0]
    data = json.loads(render("json", [f], make_context()))
    (item,) = data["findings"]
    assert item == {
        "rule_id": "ECR101",
        "rule_name": "mutable-image-tags",
        "severity": "high",
        "message": f.message,
        "span": {"path": "infra/ecr.tf", "start_line": 3, "start_column": 26, "end_line": 3, "end_column": 35},
        "address": "aws_ecr_repository.app",
        "pointer": "image_tag_mutability",
        "construct_path": None,
        "fingerprint": f.fingerprint,
        "suppressions": [],
    }


def test_details_suppressions_and_construct_path():
    data = json.loads(render("json", sample_findings(), make_context()))
    by_rule = {item["rule_id"]: item for item in data["findings"]}
    assert by_rule["ECR201"]["details"] == {"statement": 0, "actions": ["ecr:BatchGetImage"], "principals": ["*", "b"]}
    assert "details" not in by_rule["ECR101"]
    assert by_rule["ECR107"]["construct_path"] == "App/Repo/Resource"
    suppressed = {item["rule_id"]: item["suppressions"] for item in data["suppressed"]}
    assert suppressed == {
        "ECR101": [{"kind": "inline", "justification": "tags are promoted, never overwritten"}],
        "ECR102": [{"kind": "baseline", "justification": ""}, {"kind": "config", "justification": "legacy/** ignored"}],
    }


def test_summary_counts(undecided):
    ctx = make_context(undecided=undecided, show_unknown=True, baseline_stale=["b", "a"])
    data = json.loads(render("json", sample_findings(), ctx))
    assert data["summary"] == {
        "files_scanned": 5,
        "findings": 6,
        "by_severity": {"critical": 1, "high": 2, "medium": 1, "low": 1, "info": 1},
        "suppressed": 2,
        "undecided": 2,
        "baseline_stale": 2,
    }
    assert data["baseline_stale"] == ["a", "b"]
    assert [u["rule_id"] for u in data["undecided"]] == ["ECR101", "ECR999"]
    assert data["undecided"][0]["rule_name"] == "mutable-image-tags"
    assert data["undecided"][1]["rule_name"] is None


def test_undecided_listed_only_with_show_unknown_but_always_counted(undecided):
    data = json.loads(render("json", [], make_context(undecided=undecided)))
    assert data["undecided"] == [] and data["summary"]["undecided"] == len(undecided)


def test_non_ascii_messages_round_trip():
    f = finding(message="répertoire « app » — ✓")
    out = render("json", [f], make_context())
    assert out.isascii()
    assert json.loads(out)["findings"][0]["message"] == "répertoire « app » — ✓"
