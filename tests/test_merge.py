"""One finding per fact: instances of one source line merge; what differs stays apart; fingerprints and
baselines do not depend on how many instances there are."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import jsonschema

from ecrlint.findings import Finding
from ecrlint.merge import merge_findings
from ecrlint.render import render
from ecrlint.source import Span
from ecrlint.suppress import apply_baseline, write_baseline

from .render.render_helpers import SARIF_SCHEMA, SCHEMA_DIR, make_context

SPAN = Span("modules/repo/main.tf", 8, 26, 8, 34)
NAMES = {
    'aws_ecr_repository.this["orders"]': {"orders"},
    'aws_ecr_repository.this["billing"]': {"billing"},
    'aws_ecr_repository.this["search"]': {"search"},
}


def _finding(key: str, message: str | None = None, **extra) -> Finding:
    address = f'aws_ecr_repository.this["{key}"]'
    text = message or f"{key} allows image tags to be overwritten: tag mutability is MUTABLE"
    return Finding("ECR101", "mutable-image-tags", "high", text, SPAN, address=address, pointer="mut", **extra)


def test_instances_with_the_same_message_become_one_finding_at_the_source_line():
    (merged,) = merge_findings([_finding("orders"), _finding("billing"), _finding("search")], NAMES)
    assert merged.address == "aws_ecr_repository.this"
    assert merged.span == SPAN
    assert merged.instances == tuple(sorted(f'aws_ecr_repository.this["{k}"]' for k in ("billing", "orders", "search")))
    assert merged.message.startswith("aws_ecr_repository.this allows image tags to be overwritten")
    assert merged.message.endswith(
        '(3 instances: aws_ecr_repository.this["billing"], '
        'aws_ecr_repository.this["orders"], aws_ecr_repository.this["search"])'
    )


def test_instances_that_differ_stay_separate():
    other = _finding("search", "search allows image tags to be overwritten: tag mutability is MUTABLE_WITH_EXCLUSION")
    merged = merge_findings([_finding("orders"), _finding("billing"), other], NAMES)
    assert len(merged) == 2
    assert sorted(len(f.instances) for f in merged) == [0, 2]


def test_module_callers_merge_and_a_name_is_replaced_only_as_a_whole_word():
    names = {"module.a.aws_ecr_repository.this": {"app"}, "module.b.aws_ecr_repository.this": {"app-b"}}
    first = Finding(
        "ECR104", "n", "medium", "app is encrypted (application key)", SPAN, address="module.a.aws_ecr_repository.this"
    )
    second = Finding(
        "ECR104",
        "n",
        "medium",
        "app-b is encrypted (application key)",
        SPAN,
        address="module.b.aws_ecr_repository.this",
    )
    (merged,) = merge_findings([first, second], names)
    assert merged.message.startswith("aws_ecr_repository.this is encrypted (application key) (2 instances:")


def test_single_findings_and_plain_resources_are_untouched():
    plain = Finding("ECR101", "n", "high", "x", SPAN, address="aws_ecr_repository.app")
    single = _finding("orders")
    assert merge_findings([plain, single], NAMES) == sorted([plain, single], key=Finding.sort_key)


def test_fingerprint_does_not_depend_on_the_number_of_instances():
    one = merge_findings([_finding("orders")], NAMES)[0]
    three = merge_findings([_finding("orders"), _finding("billing"), _finding("search")], NAMES)[0]
    assert one.fingerprint == three.fingerprint


def test_findings_of_one_fact_are_reported_once_at_the_first():
    a = Finding(
        "ECR701",
        "n",
        "info",
        "no SCP",
        Span("a/main.tf", 3, 1, 3, 9),
        address="aws_config_config_rule.x",
        details={"fact": ("ECR_X", "?")},
    )
    b = Finding(
        "ECR701",
        "n",
        "info",
        "no SCP",
        Span("b/main.tf", 3, 1, 3, 9),
        address="aws_config_config_rule.y",
        details={"fact": ("ECR_X", "?")},
    )
    (merged,) = merge_findings([b, a])
    assert merged.span.path == "a/main.tf" and merged.details is None
    assert merged.instances == ("aws_config_config_rule.x", "aws_config_config_rule.y")
    assert "the same in 2 places" in merged.message


def test_baseline_records_each_instance_and_a_new_instance_shows_again(tmp_path):
    path = str(tmp_path / "baseline.json")
    two = merge_findings([_finding("orders"), _finding("billing")], NAMES)
    write_baseline(path, two, cwd=str(tmp_path))
    entries = json.load(open(path, encoding="utf-8"))["findings"]
    assert sorted(e["address"] for e in entries) == [
        'aws_ecr_repository.this["billing"]',
        'aws_ecr_repository.this["orders"]',
    ]
    same, stale = apply_baseline(two, entries, path, [], cwd=str(tmp_path))
    assert same[0].suppressions and not stale
    three = merge_findings([_finding("orders"), _finding("billing"), _finding("search")], NAMES)
    grown, stale = apply_baseline(three, entries, path, [], cwd=str(tmp_path))
    assert not grown[0].suppressions and not stale  # the known instances are not stale either


def test_json_and_sarif_list_the_instances():
    (merged,) = merge_findings([_finding("orders"), _finding("billing")], NAMES)
    data = json.loads(render("json", [merged], make_context()))
    assert data["findings"][0]["instances"] == list(merged.instances)
    with open(os.path.join(SCHEMA_DIR, "findings.schema.json"), encoding="utf-8") as handle:
        assert not list(jsonschema.Draft202012Validator(json.load(handle)).iter_errors(data))
    log = json.loads(render("sarif", [merged], make_context()))
    result = log["runs"][0]["results"][0]
    assert result["properties"]["instances"] == list(merged.instances)
    names = [loc["fullyQualifiedName"] for loc in result["locations"][0]["logicalLocations"]]
    assert names == ["aws_ecr_repository.this", *merged.instances]
    if os.path.isfile(SARIF_SCHEMA):
        with open(SARIF_SCHEMA, encoding="utf-8") as handle:
            assert not list(jsonschema.Draft4Validator(json.load(handle)).iter_errors(log))


def test_a_name_inside_an_action_or_a_longer_word_stays():
    names = {"module.a.aws_iam_role.r": {"ecr"}, "module.b.aws_iam_role.r": {"ecr"}}
    findings = [
        Finding(
            "ECR206",
            "n",
            "medium",
            f"Role ecr allows ecr:* and ecr-public:* ({m})",
            SPAN,
            address=f"module.{m}.aws_iam_role.r",
        )
        for m in ("a", "b")
    ]
    merged = merge_findings(findings, names)
    assert len(merged) == 2  # the messages differ ("(a)", "(b)"), so each stays as written
    same = [replace(f, message="Role ecr allows ecr:* and ecr-public:*") for f in findings]
    (one,) = merge_findings(same, names)
    assert one.message.startswith("Role aws_iam_role.r allows ecr:* and ecr-public:* (2 instances:")
