"""The command line end to end: examples, formats, exit codes, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecrlint.cli import main

from .conftest import ROOT, shared_path

EXAMPLES = os.path.join(ROOT, "examples")


def run(args, cwd=ROOT):
    proc = subprocess.run(
        [sys.executable, "-m", "ecrlint", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    return proc.returncode, proc.stdout, proc.stderr


def test_examples_text_exit_1():
    code, out, err = run(["check", "examples"])
    assert code == 1, err
    assert "ECR101 [high]" in out
    assert "Traceback" not in out + err
    # the clean module is quiet
    assert "examples/terraform/clean" not in out


def test_output_is_byte_identical_between_runs(tmp_path):
    outputs = []
    for n in range(2):
        target = tmp_path / f"out{n}.json"
        code, _, err = run(["check", "examples", "--format", "json", "--output", str(target)])
        assert code == 1, err
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_json_output_lists_findings_with_spans(tmp_path):
    target = tmp_path / "out.json"
    run(["check", "examples/terraform", "--extend-select", "ECR104", "--format", "json", "--output", str(target)])
    data = json.loads(target.read_text())
    assert data["schema_version"] == 1
    ids = {f["rule_id"] for f in data["findings"]}
    assert {"ECR101", "ECR102", "ECR104", "ECR106", "ECR107", "ECR900"} <= ids
    module_finding = [f for f in data["findings"] if "payments" in f["message"] and f["rule_id"] == "ECR101"]
    assert module_finding[0]["address"] == 'module.repository["payments"].aws_ecr_repository.this'


def test_sarif_validates_against_official_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.load(open(shared_path("schemas", "sarif-schema-2.1.0.json")))
    target = tmp_path / "out.sarif"
    code, _, err = run(["check", "examples", "--format", "sarif", "--output", str(target)])
    assert code == 1, err
    sarif = json.loads(target.read_text())
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(sarif))
    assert not errors, errors[0].message
    assert sarif["runs"][0]["results"]


def test_clean_module_exits_0():
    code, out, err = run(["check", "examples/terraform/clean"])
    assert code == 0, out + err
    assert "No findings" in out


def test_fail_on_threshold():
    code, _, _ = run(["check", "examples/terraform/registry", "--fail-on", "critical"])
    assert code == 0


def test_select_and_ignore(tmp_path):
    code, out, _ = run(["check", "examples/terraform", "--select", "ECR106"])
    assert code == 1 and "ECR106" in out and "ECR101" not in out
    code, out, _ = run(["check", "examples/terraform", "--ignore", "ECR1", "--ignore", "ECR900"])
    assert code == 0, out


def test_usage_errors_exit_2_with_one_line(capsys):
    assert main(["check", "no/such/path"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err
    assert main(["check", "--select", "ECR999", "examples"]) == 2
    assert main(["check", "--bogus"]) == 2


def test_version_is_fast_and_prints():
    code, out, _ = run(["--version"])
    assert code == 0 and out.startswith("ecrlint ")


def test_rules_and_explain():
    code, out, _ = run(["rules"])
    assert code == 0 and "ECR101  mutable-image-tags" in out
    code, out, _ = run(["explain", "mutable-image-tags"])
    assert code == 0 and "Why" in out and "Flagged (bad_mutable.tf)" in out


def test_real_world_corpus_runs_without_traceback():
    corpus = shared_path("corpus", "real")
    code, out, err = run(["check", corpus, "--format", "json"])
    assert code in (0, 1), err
    assert "Traceback" not in err
    json.loads(out)


def test_every_rule_fires_in_the_examples(tmp_path):
    from ecrlint.catalog import load_catalog

    target = tmp_path / "out.json"
    run(["check", "examples", "--select", "ALL", "--format", "json", "--output", str(target)])
    fired = {f["rule_id"] for f in json.loads(target.read_text())["findings"]}
    assert [r.id for r in load_catalog() if r.id not in fired] == []
