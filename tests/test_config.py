"""Configuration keys, discovery of the file, validation errors, and command-line precedence."""

from __future__ import annotations

import json
import textwrap

import pytest

from ecrlint.cli import main

REPO = """
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "MUTABLE"
  force_delete         = true
}
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(REPO)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _config(project, text, name=".ecrlint.yaml"):
    (project / name).write_text(textwrap.dedent(text).lstrip())


def _ids(project, capsys, *extra):
    out = project / "out.json"
    code = main(["check", "infra", "--format", "json", "--output", str(out), *extra])
    data = json.loads(out.read_text())
    return code, sorted({f["rule_id"] for f in data["findings"]}), data


def test_select_and_ignore_by_prefix_and_name(project, capsys):
    _config(project, "select: [ECR1]\nignore: [force-delete-enabled, ECR107, basic-scanning-only]\n")
    code, ids, _ = _ids(project, capsys)
    assert ids == ["ECR101", "ECR102", "ECR104"] and code == 1


def test_pyproject_section_is_found_walking_up(project, capsys):
    _config(project, '[tool.ecrlint]\nselect = ["ECR106"]\n', name="pyproject.toml")
    _, ids, _ = _ids(project, capsys)
    assert ids == ["ECR106"]


def test_pyproject_without_section_is_ignored(project, capsys):
    _config(project, "[tool.other]\nx = 1\n", name="pyproject.toml")
    _, ids, _ = _ids(project, capsys)
    assert "ECR101" in ids


def test_command_line_overrides_file(project, capsys):
    _config(project, "select: [ECR106]\nfail-on: critical\n")
    code, ids, _ = _ids(project, capsys, "--select", "ECR101", "--fail-on", "high")
    assert ids == ["ECR101"] and code == 1


def test_fail_on(project, capsys):
    _config(project, "fail-on: critical\n")
    code, _, _ = _ids(project, capsys)
    assert code == 0


def test_severity_override(project, capsys):
    _config(project, "severity:\n  ECR101: low\n  force-delete-enabled: critical\n")
    _, _, data = _ids(project, capsys)
    severities = {f["rule_id"]: f["severity"] for f in data["findings"]}
    assert severities["ECR101"] == "low" and severities["ECR106"] == "critical"


def test_per_path_ignores(project, capsys):
    _config(project, "per-path-ignores:\n  'infra/**': [ECR101]\n  'legacy/**': [ECR106]\n")
    _, ids, data = _ids(project, capsys)
    assert "ECR101" not in ids
    kinds = {s["kind"] for f in data["suppressed"] for s in f["suppressions"]}
    assert kinds == {"config"}
    # the ignore for legacy/** matched nothing: reported as unused
    unused = [f for f in data["findings"] if f["rule_id"] == "ECR901"]
    assert len(unused) == 1 and "ECR106" in unused[0]["message"]


def test_exclude(project, capsys):
    (project / "infra" / "vendor").mkdir()
    (project / "infra" / "vendor" / "x.tf").write_text(REPO.replace('"app"', '"vendored"'))
    _config(project, "exclude: ['vendor/']\n")
    _, _, data = _ids(project, capsys)
    assert not any("vendored" in f["message"] for f in data["findings"])


def test_rules_dirs_and_account_and_lists(project, capsys):
    rules = project / "my-rules" / "ECR950-named-app"
    (rules / "tests").mkdir(parents=True)
    (rules / "rule.yaml").write_text(
        textwrap.dedent(
            """
            id: ECR950
            name: named-app
            title: Repository is called app
            severity: info
            category: operations
            inputs: [terraform]
            rationale: Teams agreed that no repository may be called app, to keep names meaningful.
            remediation: Rename the repository after the service it holds.
            help_uri: https://example.com/naming
            since: "0.1.0"
            query: |
              repository r
              where r.name == "app"
              report r.name
            message: "{r.name} is not a meaningful name"
            """
        ).lstrip()
    )
    _config(
        project,
        """
        rules-dirs: [my-rules]
        account-id: "111122223333"
        internal-markers: [secret]
        protected-tags: ["release-*"]
        lifecycle-budget: 50
        """,
    )
    _, ids, data = _ids(project, capsys)
    assert "ECR950" in ids


@pytest.mark.parametrize(
    "text,needle",
    [
        ("selekt: [ECR1]\n", "unknown key 'selekt'"),
        ("fail-on: severe\n", "fail-on"),
        ("severity:\n  ECR101: loud\n", "severity.ECR101"),
        ("lifecycle-budget: 0\n", "lifecycle-budget"),
        ("account-id: '12'\n", "account-id"),
    ],
)
def test_invalid_config_is_exit_2_naming_file_and_key(project, capsys, text, needle):
    _config(project, text)
    assert main(["check", "infra"]) == 2
    err = capsys.readouterr().err
    assert ".ecrlint.yaml" in err and needle in err and err.count("\n") == 1
