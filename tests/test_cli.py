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
    code, short, _ = run(["explain", "mutable-image-tags"])
    assert code == 0 and "Why" in short and "How to fix" in short
    assert "Flagged (" not in short and "ecrlint explain ECR101 --full" in short
    code, full, _ = run(["explain", "mutable-image-tags", "--full"])
    assert code == 0 and full.startswith(short.split("\nExamples:")[0]) and "Flagged (bad_mutable.tf)" in full


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


# -- hostile strings, output files and pipes ---------------------------------------------------------

REPO_TF = 'resource "aws_ecr_repository" "app" {\n  name = "app"\n  image_tag_mutability = "MUTABLE"\n}\n'
BROKEN_TF = 'resource "aws_ecr_repository" "broken" {\n  name =\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(REPO_TF)
    (tmp_path / "infra" / "broken.tf").write_text(BROKEN_TF)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def test_a_value_with_a_newline_cannot_inject_a_workflow_command(project, capsys):
    (project / "infra" / "main.tf").write_text(
        REPO_TF.replace('"app"\n', '"x\\n::error file=a,line=1::pwned\\ud800"\n')
    )
    for fmt in ("text", "github"):
        assert main(["check", "infra", "--no-cache", "--format", fmt]) == 1
        out = capsys.readouterr().out
        assert "x\ufffd::error" in out or "x%0A::error" in out
        assert not [line for line in out.splitlines() if line.startswith("::error file=a")]


def test_non_utf8_file_name_does_not_lose_the_report(project, capsys):
    name = os.fsdecode(b"caf\xe9.tf")
    (project / "infra" / name).write_text(REPO_TF.replace('"app"', '"cafe"'))
    for fmt in ("json", "sarif", "gitlab"):
        assert main(["check", "infra", "--no-cache", "--format", fmt]) == 1
        out = capsys.readouterr().out
        json.loads(out)
        assert "cafe allows image tags" in out  # the finding in that file is there
        assert r"caf\\xe9.tf" in out or "caf%5Cxe9.tf" in out  # its name readable, byte by byte


@pytest.mark.parametrize(
    "target,needle",
    [
        ("missing/out.json", "no such folder"),
        ("infra", "it is a directory"),
    ],
)
def test_output_mistakes_are_one_line_before_the_analysis(project, capsys, target, needle):
    assert main(["check", "infra", "--format", "json", "--output", target]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err and "internal error" not in err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_output_is_a_usage_error(project, capsys):
    target = project / "out.json"
    target.write_text("old")
    target.chmod(0o444)
    assert main(["check", "infra", "--format", "json", "--output", str(target)]) == 2
    assert "read-only" in capsys.readouterr().err
    (project / "ro").mkdir()
    (project / "ro").chmod(0o555)
    try:
        assert main(["check", "infra", "--format", "json", "--output", "ro/out.json"]) == 2
        assert "read-only" in capsys.readouterr().err
    finally:
        (project / "ro").chmod(0o755)


def test_output_dash_is_stdout(project, capsys):
    assert main(["check", "infra", "--format", "json", "--output", "-"]) == 1
    assert json.loads(capsys.readouterr().out)["findings"]
    assert not (project / "-").exists()


def test_output_is_replaced_atomically(project, capsys, monkeypatch):
    target = project / "out.json"
    target.write_text("previous report")
    target.chmod(0o640)
    assert main(["check", "infra", "--format", "json", "--output", str(target)]) == 1
    assert json.loads(target.read_text())["findings"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)  # the file keeps its mode
    assert sorted(os.listdir(project)) == ["infra", "out.json"]  # no temporary file left behind

    # a failure half-way through writing leaves the previous report whole, and no temporary file
    target.write_text("previous report")

    def failing_chunks(fmt, findings, ctx):
        yield "{"
        raise RuntimeError("renderer broke")

    monkeypatch.setattr("ecrlint.render.render_chunks", failing_chunks)
    assert main(["check", "infra", "--format", "json", "--output", str(target)]) == 2
    assert target.read_text() == "previous report"
    assert sorted(os.listdir(project)) == ["infra", "out.json"]


def test_docs_onto_an_existing_file_is_a_usage_error(project, capsys):
    assert main(["docs", "infra/main.tf"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a folder" in err
    assert (project / "infra" / "main.tf").read_text() == REPO_TF


def test_piping_into_head_exits_quietly(tmp_path):
    # more than a pipe buffer of output, and a reader that stops after the first line
    proc = subprocess.Popen(
        [sys.executable, "-m", "ecrlint", "check", "examples", "--no-cache", "-f", "sarif", "-f", "json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1  # the exit code still says there are findings
    assert err == ""


# -- parse errors, CLI habits --------------------------------------------------------------------------


def test_parse_errors_are_reported_whatever_select_says(project, capsys):
    assert main(["check", "infra", "--select", "ECR101", "--format", "json", "--output", "-"]) == 1
    ids = sorted({f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]})
    assert ids == ["ECR101", "ECR900"]


def test_exit_zero_reports_but_exits_0(project, capsys):
    assert main(["check", "infra", "--exit-zero"]) == 0
    assert "ECR101" in capsys.readouterr().out


def test_quiet_prints_findings_only(project, capsys):
    assert main(["check", "infra", "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "ECR101" in out and "finding" not in out.splitlines()[-1]
    (project / "infra" / "broken.tf").unlink()
    assert main(["check", "infra", "-q", "--select", "ECR201"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["check", "infra", "-q", "--write-baseline", "base.json"]) == 0
    assert capsys.readouterr().err == ""


def test_colour_follows_color_flag_and_no_color(project, capsys, monkeypatch):
    assert main(["check", "infra", "--color", "always"]) == 1
    assert "\x1b[" in capsys.readouterr().out
    assert main(["check", "infra", "--color", "never"]) == 1
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    assert main(["check", "infra"]) == 1
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["check", "infra"]) == 1
    assert "\x1b[" not in capsys.readouterr().out
    # never into files, whatever the flag
    assert main(["check", "infra", "--color", "always", "-f", "text", "-o", "out.txt"]) == 1
    assert "\x1b[" not in (project / "out.txt").read_text()


def test_statistics_counts_findings_per_rule(project, capsys):
    (project / "infra" / "second.tf").write_text(REPO_TF.replace('"app"', '"two"'))
    assert main(["check", "infra", "--statistics", "-f", "json", "-o", "out.json"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2  ECR101  mutable-image-tags"
    assert "1  ECR900  unparsable-input" in lines
    assert json.loads((project / "out.json").read_text())["findings"]  # files are still written


def test_lifecycle_help_has_no_stray_argument():
    code, out, _ = run(["lifecycle", "--help"])
    assert code == 0 and "rest" not in out and "simulate" in out


def test_malformed_account_id_on_the_command_line_is_a_usage_error(project, capsys):
    assert main(["check", "infra", "--account-id", "12345"]) == 2
    assert "--account-id must be 12 digits" in capsys.readouterr().err


def test_junit_marks_findings_below_fail_on_as_skipped(project, capsys):
    assert main(["check", "infra", "--fail-on", "critical", "-f", "junit"]) == 0
    out = capsys.readouterr().out
    assert 'failures="0"' in out and "below --fail-on critical" in out


def test_config_and_baseline_are_not_scanned_inputs(project, capsys):
    (project / ".ecrlint.yaml").write_text("baseline: infra/base.json\n")
    assert main(["check", "infra", "--write-baseline", "infra/base.json"]) == 0
    capsys.readouterr()
    assert main(["check", ".", "-f", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["files_scanned"] == 2  # main.tf and broken.tf only


def test_bare_ignore_without_a_rule_id_is_reported(project, capsys):
    (project / "infra" / "main.tf").write_text("# ecrlint:ignore\n" + REPO_TF)
    assert main(["check", "infra", "--select", "ECR901", "-f", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule_id"], f["span"]["start_line"], f["message"]) for f in findings if f["rule_id"] == "ECR901"] == [
        ("ECR901", 1, "suppression names no rule: add the rule id")
    ]


def test_sarif_lists_selected_rules_and_uses_project_root_uris(project, capsys, monkeypatch):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = shared_path("schemas", "sarif-schema-2.1.0.json")
    (project / ".ecrlint.yaml").write_text("severity:\n  ECR101: low\n")
    monkeypatch.chdir(project / "infra")
    assert main(["check", ".", "--select", "ECR1", "-f", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    run_ = log["runs"][0]
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    assert "ECR105" in rules and "ECR900" in rules  # selected, whether or not they fired
    assert rules["ECR101"]["defaultConfiguration"]["level"] == "note"
    assert rules["ECR101"]["properties"]["security-severity"] == "3.0"
    assert run_["automationDetails"]["id"] == "ecrlint/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]}
    assert uris == {"infra/main.tf", "infra/broken.tf"}  # relative to the config's folder, not the cwd
    if os.path.isfile(schema_path):
        with open(schema_path, encoding="utf-8") as handle:
            validator = jsonschema.Draft7Validator(json.load(handle))
        assert not list(validator.iter_errors(log))


def test_sarif_uris_without_config_are_relative_to_the_git_top(project, capsys, monkeypatch):
    (project / ".git").mkdir()
    monkeypatch.chdir(project / "infra")
    assert main(["check", ".", "-f", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"infra/main.tf", "infra/broken.tf"}


def test_containerfile_is_read_as_a_dockerfile(project, capsys):
    (project / "Containerfile").write_text("FROM nginx:latest\n")
    assert main(["check", "Containerfile", "-f", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["files_scanned"] == 1 and data["findings"]
