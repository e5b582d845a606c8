"""SARIF 2.1.0 output: schema-valid, rules from the catalogue, results shaped for GitHub."""

from __future__ import annotations

import json
import os

import jsonschema
import pytest
from render_helpers import SARIF_SCHEMA, finding, make_context, make_rule, sample_findings

from ecrlint.findings import Finding, Suppression
from ecrlint.render import render
from ecrlint.source import Span


@pytest.fixture(scope="module")
def validator():
    if not os.path.isfile(SARIF_SCHEMA):
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    return jsonschema.Draft4Validator(schema)


def sarif(findings, **ctx):
    return json.loads(render("sarif", findings, make_context(**ctx)))


def test_validates_against_the_sarif_schema(validator):
    for kwargs in ({}, {"show_suppressed": True}):
        log = sarif(sample_findings(), **kwargs)
        errors = list(validator.iter_errors(log))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert not list(validator.iter_errors(sarif([])))


def test_log_and_driver():
    log = sarif(sample_findings())
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ecrlint"
    assert driver["version"] == driver["semanticVersion"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/ecrlint/ecrlint"
    assert "%SRCROOT%" in run["originalUriBaseIds"]


def test_rules_only_those_with_results_sorted_and_indexed():
    run = sarif(sample_findings())["runs"][0]
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert ids == ["ECR101", "ECR104", "ECR107", "ECR201", "ECR701", "ECR900"]  # ECR102 is only suppressed
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    assert "ECR900" in {r["ruleId"] for r in run["results"]}  # parse errors are results of the same run


def test_rule_descriptor_from_the_catalogue():
    rules = {r["id"]: r for r in sarif(sample_findings())["runs"][0]["tool"]["driver"]["rules"]}
    ecr101 = rules["ECR101"]
    assert ecr101["name"] == "mutable-image-tags"
    assert ecr101["shortDescription"] == {"text": "Repository allows image tags to be overwritten"}
    assert ecr101["fullDescription"]["text"].startswith("With mutable tags")
    assert (
        ecr101["help"]["text"] == 'terraform: Set image_tag_mutability = "IMMUTABLE".\ncloudformation: Set IMMUTABLE.'
    )
    assert "**Terraform:**" in ecr101["help"]["markdown"] and "**CloudFormation:**" in ecr101["help"]["markdown"]
    assert ecr101["helpUri"].startswith("https://docs.aws.amazon.com/")
    assert ecr101["defaultConfiguration"] == {"level": "error"}
    assert ecr101["properties"] == {
        "precision": "high",
        "security-severity": "8.0",
        "tags": ["security", "supply-chain"],
    }
    assert rules["ECR104"]["properties"]["tags"] == ["security", "data-protection", "kms"]
    assert rules["ECR104"]["help"]["text"] == "Use a customer managed KMS key."
    scores = {
        rid: (r["defaultConfiguration"]["level"], r["properties"]["security-severity"]) for rid, r in rules.items()
    }
    assert scores["ECR201"] == ("error", "9.5")
    assert scores["ECR104"] == ("warning", "5.5")
    assert scores["ECR107"] == ("note", "3.0")
    assert scores["ECR701"] == ("note", "0.0")


def test_long_texts_are_clipped_to_github_limits():
    rule = make_rule(rationale="x" * 3000)
    log = sarif([finding()], rules=[rule])
    assert len(log["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"]) == 1024


def test_rule_missing_from_the_catalogue_gets_a_descriptor(validator):
    stray = Finding("ECR950", "made-up", "medium", "something", Span("a.tf", 1, 1, 1, 2))
    log = sarif([stray])
    assert not list(validator.iter_errors(log))
    (rule,) = log["runs"][0]["tool"]["driver"]["rules"]
    assert rule["id"] == "ECR950" and rule["shortDescription"]["text"] and rule["help"]["text"]


def test_result_shape():
    results = sarif(sample_findings())["runs"][0]["results"]
    first = next(r for r in results if r["ruleId"] == "ECR101")
    f = sample_findings()[0]
    assert first["level"] == "error"
    assert first["message"] == {"text": f.message}
    (location,) = first["locations"]
    assert location["physicalLocation"] == {
        "artifactLocation": {"uri": "infra/ecr.tf", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 26, "endLine": 3, "endColumn": 35},
    }
    assert location["logicalLocations"] == [{"fullyQualifiedName": "aws_ecr_repository.app", "kind": "resource"}]
    assert first["partialFingerprints"] == {"ecrlint/v1": f.fingerprint}
    assert first["suppressions"] == []
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {
        "ECR101": "error",
        "ECR104": "warning",
        "ECR107": "note",
        "ECR201": "error",
        "ECR701": "note",
        "ECR900": "error",
    }


def test_result_level_follows_the_finding_severity_override():
    (result,) = sarif([finding(severity="low")])["runs"][0]["results"]
    assert result["level"] == "note"


def test_logical_locations_for_cdk_and_none_without_address():
    results = {r["ruleId"]: r for r in sarif(sample_findings())["runs"][0]["results"]}
    assert results["ECR107"]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "Repo1234", "kind": "resource"},
        {"fullyQualifiedName": "App/Repo/Resource", "kind": "object"},
    ]
    assert "logicalLocations" not in results["ECR900"]["locations"][0]


def test_uris_are_percent_encoded_and_absolute_paths_are_file_uris():
    results = {r["ruleId"]: r for r in sarif(sample_findings())["runs"][0]["results"]}
    artifact = results["ECR900"]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "broken%2C%20dir/bad%3Afile.json", "uriBaseId": "%SRCROOT%"}
    (result,) = sarif([finding(path="/abs/dir/x.tf")])["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///abs/dir/x.tf"}


def test_suppressed_results_left_out_by_default():
    results = sarif(sample_findings())["runs"][0]["results"]
    assert all(r["suppressions"] == [] for r in results)
    assert len(results) == 6


def test_suppressed_results_with_show_suppressed():
    run = sarif(sample_findings(), show_suppressed=True)["runs"][0]
    results = run["results"]
    assert len(results) == 8
    assert all("suppressions" in r for r in results)  # present on all results of the run, or on none
    suppressed = {r["ruleId"]: r["suppressions"] for r in results if r["suppressions"]}
    assert suppressed["ECR101"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "tags are promoted, never overwritten",
            "properties": {"ecrlintKind": "inline"},
        }
    ]
    assert [s["kind"] for s in suppressed["ECR102"]] == ["external", "external"]
    assert "justification" not in suppressed["ECR102"][0]
    assert "ECR102" in [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    metadata = finding(suppressions=(Suppression("metadata", "cdk"),))
    (result,) = sarif([metadata], show_suppressed=True)["runs"][0]["results"]
    assert result["suppressions"][0]["kind"] == "inSource"


def test_readable_and_byte_stable():
    out = render("sarif", sample_findings(), make_context())
    assert out.endswith("\n") and '\n  "runs": [\n' in out
    assert out == render("sarif", list(reversed(sample_findings())), make_context())


def test_every_selected_rule_is_described_even_without_results(validator):
    log = sarif([finding()], selected=("ECR104", "ECR101", "ECR201"))
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["ECR101", "ECR104", "ECR201"]
    assert run["results"][0]["ruleIndex"] == 0
    assert not list(validator.iter_errors(log))


def test_severity_overrides_reach_the_rule_metadata(validator):
    log = sarif([finding(severity="low")], selected=("ECR101", "ECR201"), severities={"ECR101": "low"})
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ECR101"]["defaultConfiguration"] == {"level": "note"}
    assert rules["ECR101"]["properties"]["security-severity"] == "3.0"
    assert rules["ECR201"]["defaultConfiguration"] == {"level": "error"}  # not overridden: the catalogue's
    assert rules["ECR201"]["properties"]["security-severity"] == "9.5"
    assert not list(validator.iter_errors(log))


def test_automation_details_name_the_category():
    run = sarif([])["runs"][0]
    assert run["automationDetails"] == {"id": "ecrlint/"}


def test_uris_are_relative_to_the_project_root_not_the_working_directory(validator):
    root = os.path.abspath(os.sep + "project")
    findings = [finding(path="ecr.tf"), finding("ECR104", path="../other/x.tf"), finding("ECR201", path="/abs/y.tf")]
    log = sarif(findings, project_root=root, cwd=os.path.join(root, "infra"))
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"])
    assert uris == ["file:///abs/y.tf", "infra/ecr.tf", "other/x.tf"]
    # a path that leaves the project becomes an absolute URI rather than one starting with ../
    log = sarif([finding(path="../../outside.tf")], project_root=root, cwd=os.path.join(root, "infra"))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file:///outside.tf"}
    assert not list(validator.iter_errors(log))


def test_uris_when_the_working_directory_is_outside_the_project(validator):
    base = os.path.abspath(os.sep + "work")
    ctx = {"project_root": os.path.join(base, "shared", "corpus"), "cwd": os.path.join(base, "tool")}
    log = sarif([finding(path="../shared/corpus/app/main.tf")], **ctx)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "app/main.tf", "uriBaseId": "%SRCROOT%"}
