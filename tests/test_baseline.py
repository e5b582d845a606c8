"""Baselines: keyed without line numbers, so unrelated edits do not resurface old findings."""

from __future__ import annotations

import json

from ecrlint.cli import main

REPO = """resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "MUTABLE"
}
"""


def test_round_trip_survives_an_unrelated_edit_above(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    assert main(["check", ".", "--write-baseline", "baseline.json"]) == 0
    assert main(["check", ".", "--baseline", "baseline.json"]) == 0
    # an unrelated edit above the finding moves it down three lines
    (tmp_path / "main.tf").write_text('variable "unused" {\n  default = 1\n}\n' + REPO)
    assert main(["check", ".", "--baseline", "baseline.json"]) == 0
    # a new problem still fails the run
    (tmp_path / "main.tf").write_text(REPO.replace('"MUTABLE"', '"MUTABLE"\n  force_delete = true'))
    capsys.readouterr()
    assert main(["check", ".", "--baseline", "baseline.json"]) == 1
    assert "ECR106" in capsys.readouterr().out


def test_stale_entries_are_reported(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    main(["check", ".", "--write-baseline", "baseline.json"])
    (tmp_path / "main.tf").write_text(REPO.replace('"MUTABLE"', '"IMMUTABLE"'))
    capsys.readouterr()
    main(["check", ".", "--baseline", "baseline.json", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    stale = [f for f in data["findings"] if f["rule_id"] == "ECR901"]
    assert len(stale) == 1 and "stale baseline entry: ECR101" in stale[0]["message"]


def test_broken_baseline_is_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    (tmp_path / "baseline.json").write_text("{}")
    assert main(["check", ".", "--baseline", "baseline.json"]) == 2
    assert "cannot read baseline" in capsys.readouterr().err


def _json_findings(capsys, *args):
    capsys.readouterr()
    code = main(["check", *args, "--no-cache", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    return code, data


def test_baseline_key_in_the_configuration_file(tmp_path, monkeypatch, capsys):
    # the path used to be read one character at a time ("b", "a", ...): a usage error every time
    monkeypatch.chdir(tmp_path)
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(REPO)
    assert main(["check", "infra", "--write-baseline", "ecrlint-baseline.json"]) == 0
    (tmp_path / ".ecrlint.yaml").write_text("baseline: ecrlint-baseline.json\n")
    code, data = _json_findings(capsys, "infra")
    assert code == 0 and not data["findings"], data["findings"]
    assert {f["rule_id"] for f in data["suppressed"]} >= {"ECR101"}
    # relative to the configuration file's folder, from wherever ecrlint runs
    monkeypatch.chdir(tmp_path / "infra")
    code, data = _json_findings(capsys, ".")
    assert code == 0 and not data["findings"], data["findings"]


def test_files_not_scanned_keep_their_entries_quietly(tmp_path, monkeypatch, capsys):
    # pre-commit passes only the changed files: the others' entries are neither used nor stale
    monkeypatch.chdir(tmp_path)
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(REPO.replace('"app"', f'"{name}"'))
    assert main(["check", ".", "--write-baseline", "baseline.json"]) == 0
    code, data = _json_findings(capsys, "a/main.tf", "--baseline", "baseline.json")
    assert code == 0 and not data["findings"], data["findings"]
    # a stale entry for a scanned file is still reported
    (tmp_path / "a" / "main.tf").write_text(REPO.replace('"app"', '"a"').replace('"MUTABLE"', '"IMMUTABLE"'))
    code, data = _json_findings(capsys, "a/main.tf", "--baseline", "baseline.json")
    stale = [f["message"] for f in data["findings"] if f["rule_id"] == "ECR901"]
    assert len(stale) == 1 and "ECR101" in stale[0] and "a/main.tf" in stale[0]


def test_entries_of_rules_that_did_not_run_are_not_stale(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "main.tf").write_text(REPO)
    assert main(["check", ".", "--extend-select", "ECR104", "--write-baseline", "baseline.json"]) == 0
    assert "ECR104" in (tmp_path / "baseline.json").read_text()
    code, data = _json_findings(capsys, ".", "--baseline", "baseline.json")  # ECR104 is opt-in
    assert code == 0 and not data["findings"], data["findings"]


MODULE_CALL = """module "repo" {
  source = "./modules/repo"
  name   = "app"
}
"""
MODULE = """variable "name" {
  type = string
}

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "MUTABLE"
}
"""


def test_a_module_has_the_same_keys_scanned_alone_or_from_its_root(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "modules" / "repo").mkdir(parents=True)
    (tmp_path / "modules" / "repo" / "main.tf").write_text(MODULE)
    (tmp_path / "main.tf").write_text(MODULE_CALL)
    assert main(["check", ".", "--write-baseline", "baseline.json"]) == 0
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert {e["address"] for e in entries if e["rule"] == "ECR101"} == {"aws_ecr_repository.this"}
    code, data = _json_findings(capsys, "modules/repo/main.tf", "--baseline", "baseline.json")
    assert code == 0 and not data["findings"], data["findings"]
    assert "ECR101" in {f["rule_id"] for f in data["suppressed"]}


DOCKERFILE = "FROM 111122223333.dkr.ecr.eu-west-1.amazonaws.com/base/runtime\nRUN true\n"
BUILDSPEC = """version: 0.2
phases:
  pre_build:
    commands:
      - $(aws ecr get-login --no-include-email --region $AWS_DEFAULT_REGION)
"""


def test_dockerfile_and_buildspec_keys_have_no_line_numbers(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "buildspec.yml").write_text(BUILDSPEC)
    assert main(["check", ".", "--write-baseline", "baseline.json"]) == 0
    entries = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert {"ECR604", "ECR605"} <= {e["rule"] for e in entries}
    assert not any("line 1" in json.dumps(e) or "line 5" in json.dumps(e) for e in entries), entries
    capsys.readouterr()
    main(["check", ".", "--no-cache", "--format", "sarif"])
    before = {r["ruleId"]: r["partialFingerprints"] for r in json.loads(capsys.readouterr().out)["runs"][0]["results"]}
    # lines added above move both findings down
    (tmp_path / "Dockerfile").write_text("# syntax=docker/dockerfile:1\nARG X=1\n\n" + DOCKERFILE)
    (tmp_path / "buildspec.yml").write_text(BUILDSPEC.replace("version: 0.2\n", "version: 0.2\nenv:\n  shell: bash\n"))
    code, data = _json_findings(capsys, ".", "--baseline", "baseline.json")
    assert code == 0 and not data["findings"], data["findings"]
    main(["check", ".", "--no-cache", "--format", "sarif"])
    after = {r["ruleId"]: r["partialFingerprints"] for r in json.loads(capsys.readouterr().out)["runs"][0]["results"]}
    assert before["ECR604"] == after["ECR604"] and before["ECR605"] == after["ECR605"]


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "proj" / "infra").mkdir(parents=True)
    (tmp_path / "proj" / "infra" / "main.tf").write_text(REPO)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "proj", "--write-baseline", "proj/baseline.json"]) == 0
    assert json.loads((tmp_path / "proj" / "baseline.json").read_text())["findings"][0]["path"] == "infra/main.tf"
    monkeypatch.chdir(tmp_path / "proj" / "infra")
    code, data = _json_findings(capsys, ".", "--baseline", "../baseline.json")
    assert code == 0 and not data["findings"], data["findings"]
