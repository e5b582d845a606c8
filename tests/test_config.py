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


# -- account ids, misspelt keys, two files, errors that name the file ------------------------------


@pytest.mark.parametrize(
    "name,text",
    [
        (".ecrlint.yaml", "account-id: 111122223333\n"),
        ("pyproject.toml", "[tool.ecrlint]\naccount-id = 111122223333\n"),
    ],
)
def test_account_id_may_be_an_unquoted_number(project, name, text):
    (project / name).write_text(text)
    from ecrlint.config import load_config

    assert load_config(None, "infra").get("account-id") == "111122223333"


def test_unquoted_account_id_with_leading_zeros_keeps_its_digits(project):
    # YAML 1.1 would read 001122334455 as an octal number; the id is the text as written
    _config(project, "account-id: 001122334455\n")
    from ecrlint.config import load_config

    assert load_config(None, "infra").get("account-id") == "001122334455"


def test_short_numeric_account_id_is_still_an_error(project, capsys):
    (project / "pyproject.toml").write_text("[tool.ecrlint]\naccount-id = 12\n")
    assert main(["check", "infra"]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml" in err and "account-id" in err


@pytest.mark.parametrize(
    "key,expected",
    [("fail_on", "fail-on"), ("selec", "select"), ("rules_dirs", "rules-dirs"), ("Account-ID", "account-id")],
)
def test_unknown_key_suggests_the_nearest_known_one(project, capsys, key, expected):
    _config(project, f"{key}: x\n")
    assert main(["check", "infra"]) == 2
    err = capsys.readouterr().err
    assert f"unknown key {key!r} (did you mean {expected!r}?)" in err


def test_unknown_key_far_from_any_gets_no_guess(project, capsys):
    _config(project, "zzzzqqq: 1\n")
    assert main(["check", "infra"]) == 2
    err = capsys.readouterr().err
    assert "unknown key 'zzzzqqq'" in err and "did you mean" not in err


def test_two_configuration_files_in_one_folder_is_an_error_naming_both(project, capsys):
    _config(project, "fail-on: high\n")
    (project / "pyproject.toml").write_text("[tool.ecrlint]\nfail-on = 'low'\n")
    assert main(["check", "infra"]) == 2
    err = capsys.readouterr().err
    assert ".ecrlint.yaml and [tool.ecrlint] in " in err and "pyproject.toml" in err and err.count("\n") == 1
    # a pyproject.toml without the section does not count
    (project / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert main(["check", "infra"]) == 1


@pytest.mark.parametrize(
    "text,needle",
    [
        ("select: [ECR999]\n", "select: unknown rule or prefix: ECR999"),
        ("ignore: [no-such-rule]\n", "ignore: unknown rule or prefix: no-such-rule"),
        ("severity:\n  ECR999: low\n", "severity: unknown rule 'ECR999'"),
        ("rules-dirs: [nowhere]\n", "rules-dirs:"),
        ("var-files: [nothing.tfvars]\n", "var-files: no such variable file"),
    ],
)
def test_every_config_error_names_its_file(project, capsys, text, needle):
    _config(project, text)
    assert main(["check", "infra"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"ecrlint: error: {project / '.ecrlint.yaml'}: ") and needle in err, err
    assert err.count("\n") == 1


def test_config_that_is_not_utf8_names_its_file(project, capsys):
    (project / ".ecrlint.yaml").write_bytes(b"fail-on: \xff\n")
    assert main(["check", "infra"]) == 2
    assert ".ecrlint.yaml: not UTF-8" in capsys.readouterr().err
