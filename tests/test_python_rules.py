"""Python checks run only with the user's consent, and only from a file in the rule's own folder."""

from __future__ import annotations

import sys

import pytest

from ecrlint.cli import main

RULE = """\
id: ECR990
name: team-python-check
title: A team's own check in Python
severity: low
category: operations
inputs: [terraform]
rationale: A check written in Python by the team that owns these repositories.
remediation: Nothing to do; the check only shows that it ran.
help_uri: https://example.com/ECR990
since: "0.1.0"
check: {check}
"""

CHECK = """\
import os

with open(os.environ["ECRLINT_TEST_MARKER"], "a") as marker:
    marker.write("{name} imported\\n")

from ecrlint.rule_api import match
from ecrlint.model.objects import Repository


def run(model, ctx):
    for repo in model.of(Repository):
        yield match(repo, "seen by the team's check")
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "main.tf").write_text('resource "aws_ecr_repository" "app" {\n  name = "app"\n}\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ECRLINT_TEST_MARKER", str(tmp_path / "imported.txt"))
    monkeypatch.delenv("ECRLINT_ALLOW_PYTHON_RULES", raising=False)
    return tmp_path


def _rule(project, check: str = "check.py:run", code_name: str = "check.py"):
    folder = project / "team-rules" / "ECR990-team-python-check"
    folder.mkdir(parents=True)
    (folder / "rule.yaml").write_text(RULE.format(check=check))
    if code_name:
        (folder / code_name).write_text(CHECK.format(name=code_name))
    return folder


def _check(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", ".", "--no-cache", "--select", "ECR990", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _imported(project) -> str:
    marker = project / "imported.txt"
    return marker.read_text() if marker.exists() else ""


def test_rules_named_on_the_command_line_run_their_python(project, capsys):
    _rule(project)
    code, out, _ = _check(capsys, "--rules", "team-rules")
    assert code == 1 and "seen by the team's check" in out
    assert _imported(project) == "check.py imported\n"


@pytest.mark.parametrize(
    "config, env",
    [("", None), ("allow-python-rules: true\n", None), ("", "1"), ("allow-python-rules: false\n", "1")],
    ids=["neither", "config-only", "environment-only", "config-false"],
)
def test_a_configuration_cannot_run_python_on_its_own_say(project, capsys, monkeypatch, config, env):
    _rule(project)
    (project / ".ecrlint.yaml").write_text("rules-dirs: [team-rules]\n" + config)
    if env:
        monkeypatch.setenv("ECRLINT_ALLOW_PYTHON_RULES", env)
    code, out, err = _check(capsys)
    assert code == 2 and out == ""
    assert "team-rules/ECR990-team-python-check/rule.yaml:11: ECR990 runs Python (check.py:run)" in err
    assert "allow-python-rules: true" in err and "ECRLINT_ALLOW_PYTHON_RULES=1" in err and "--rules" in err
    assert _imported(project) == ""


def test_a_configuration_and_the_environment_together_allow_python(project, capsys, monkeypatch):
    _rule(project)
    (project / ".ecrlint.yaml").write_text("rules-dirs: [team-rules]\nallow-python-rules: true\n")
    monkeypatch.setenv("ECRLINT_ALLOW_PYTHON_RULES", "1")
    code, out, _ = _check(capsys)
    assert code == 1 and "seen by the team's check" in out
    assert _imported(project) == "check.py imported\n"


def test_query_rules_from_a_configuration_need_no_consent(project, capsys):
    folder = project / "team-rules" / "ECR991-named-app"
    folder.mkdir(parents=True)
    text = RULE.replace("ECR990", "ECR991").replace("team-python-check", "named-app").replace("check: {check}\n", "")
    (folder / "rule.yaml").write_text(
        text + 'query: |\n  repository r\n  where r.name == "app"\n  report r.name\nmessage: "{r.name} is app"\n'
    )
    (project / ".ecrlint.yaml").write_text("rules-dirs: [team-rules]\n")
    code = main(["check", ".", "--no-cache", "--select", "ECR991"])
    assert code == 1 and "app is app" in capsys.readouterr().out


@pytest.mark.parametrize(
    "check",
    ["evilcheck:run", "ecrlint.evaluate:not_analysed", "os:system", "evilcheck.py.run", "evil-check.py:run"],
)
def test_a_check_naming_a_module_imports_nothing(project, capsys, monkeypatch, check):
    # evilcheck.py sits in the working directory, on sys.path, and in the rule's folder: naming it as
    # a module must import none of them, even from a folder named on the command line.
    (project / "evilcheck.py").write_text(CHECK.format(name="evilcheck.py"))
    monkeypatch.syspath_prepend(str(project))
    _rule(project, check=check, code_name="evilcheck.py")
    code, out, err = _check(capsys, "--rules", "team-rules")
    assert code == 2 and out == ""
    assert err.startswith("ecrlint: error: team-rules/ECR990-team-python-check/rule.yaml:11: check: ")
    assert _imported(project) == "" and "evilcheck" not in sys.modules


def test_a_check_file_outside_the_rule_folder_is_refused(project, capsys):
    (project / "elsewhere.py").write_text(CHECK.format(name="elsewhere.py"))
    folder = _rule(project, code_name="")
    (folder / "check.py").symlink_to(project / "elsewhere.py")
    code, _, err = _check(capsys, "--rules", "team-rules")
    assert code == 2 and "check.py is not a file in" in err
    assert _imported(project) == ""


def test_a_missing_check_file_names_the_rule_file_and_line(project, capsys):
    _rule(project, code_name="")
    code, _, err = _check(capsys, "--rules", "team-rules")
    assert code == 2
    folder = "team-rules/ECR990-team-python-check"
    assert err == f"ecrlint: error: {folder}/rule.yaml:11: check: check.py is not a file in {folder}\n"
    assert _imported(project) == ""


def test_shipped_checks_still_run(project, capsys):
    (project / "main.tf").write_text('resource "aws_ecr_repository" "app" {\n  name = \n}\n')
    code = main(["check", ".", "--no-cache", "--select", "ECR900"])
    assert code == 1 and "ECR900" in capsys.readouterr().out


def test_a_hand_built_rule_naming_a_module_imports_nothing(project, monkeypatch):
    # The loader refuses such a rule file; the engine's loader refuses it again.
    from dataclasses import replace

    from ecrlint.catalog import CatalogError, load_catalog
    from ecrlint.rule_loader import load_check

    (project / "evilcheck.py").write_text(CHECK.format(name="evilcheck.py"))
    monkeypatch.syspath_prepend(str(project))
    shipped = next(r for r in load_catalog() if r.check)
    folder = _rule(project)
    with pytest.raises(CatalogError, match="not a Python file of the rule's folder"):
        load_check(replace(shipped, folder=str(folder), check="evilcheck:run"))
    with pytest.raises(CatalogError, match="not a Python file of the rule's folder"):
        load_check(replace(shipped, folder=str(folder), check="ecrlint.evaluate:not_analysed"))
    assert _imported(project) == "" and "evilcheck" not in sys.modules
    assert callable(load_check(shipped))


def test_a_check_file_that_fails_to_load_is_a_usage_error(project, capsys):
    folder = _rule(project, code_name="")
    (folder / "check.py").write_text("import no_such_module_anywhere\n")
    code, _, err = _check(capsys, "--rules", "team-rules")
    assert code == 2 and "check.py failed to load: ModuleNotFoundError" in err and "internal error" not in err
