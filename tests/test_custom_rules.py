"""Custom rules: checked against the model when they load, listed, explained and tested like shipped ones."""

from __future__ import annotations

import os
import re

import pytest

from ecrlint.catalog import CatalogError, load_rule
from ecrlint.cli import main
from ecrlint.query.fields import model_reference

from .conftest import ROOT

HEADER = """\
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
"""
QUERY = (
    'query: |\n  repository r\n  where r.name == "app"\n  report r.name\nmessage: "{r.name} is not a meaningful name"\n'
)
BAD = 'resource "aws_ecr_repository" "x" {\n  # expect: ECR950\n  name = "app"\n}\n'
GOOD = 'resource "aws_ecr_repository" "x" {\n  name = "payments"\n}\n'


def _rule(root, body: str = QUERY, fixtures: dict[str, str] | None = None):
    folder = root / "team-rules" / "naming" / "ECR950-named-app"
    (folder / "tests").mkdir(parents=True)
    (folder / "rule.yaml").write_text(HEADER + body)
    for name, text in (fixtures if fixtures is not None else {"bad_app.tf": BAD, "good_named.tf": GOOD}).items():
        (folder / "tests" / name).write_text(text)
    return folder


def _load_error(tmp_path, body: str) -> str:
    folder = _rule(tmp_path, body)
    with pytest.raises(CatalogError) as err:
        load_rule(str(folder / "rule.yaml"))
    return str(err.value).replace(str(folder), "RULE")


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            QUERY.replace("where r.name", "where r.nmae"),
            "RULE/rule.yaml:13:9: query: r.nmae: Repository has no field 'nmae' (did you mean 'name'?)",
        ),
        (
            QUERY.replace("report r.name", "report r.inline_policy.statementz"),
            "RULE/rule.yaml:14:10: query: r.inline_policy.statementz: PolicyDocument has no field 'statementz'",
        ),
        (
            QUERY.replace("report r.name", "report r.policies.document"),
            "RULE/rule.yaml:14:10: query: r.policies.document: r.policies has no fields",
        ),
        (
            QUERY.replace("r.name ==", "r.name = ="),
            "RULE/rule.yaml:13:16: query: invalid query: No terminal matches '='",
        ),
        (
            QUERY.replace("  repository r", "  repositry r"),
            "RULE/rule.yaml:12:3: query: unknown model type 'repositry'",
        ),
        (
            QUERY.replace("{r.name} is", "{r.nam} is"),
            "RULE/rule.yaml:15: message: r.nam: Repository has no field 'nam'",
        ),
        ('query: "repository r where r.nmae == 1 report r.name"\nmessage: m\n', "RULE/rule.yaml:11:"),
    ],
    ids=["field", "nested-field", "below-a-list", "syntax", "model-type", "message-placeholder", "one-line-query"],
)
def test_a_query_the_model_cannot_answer_is_an_error_at_load(tmp_path, body, expected):
    assert _load_error(tmp_path, body).startswith(expected)


@pytest.mark.parametrize(
    "query",
    [
        'repository r where r.tags.team == "x" report r.tags',  # below a Value: the input decides
        "repository r where count(r.inline_policy.statements) > 0 report r.inline_policy",
        'repository r where r.display_name == "app" report r.name',  # a method the query calls
        'repository | repository_creation_template r where r.prefix == "x" report r.prefix',  # on one of them
    ],
)
def test_paths_the_model_has_load(tmp_path, query):
    folder = _rule(tmp_path, f'query: |\n  {query}\nmessage: "{{r.address}}"\n')
    assert load_rule(str(folder / "rule.yaml")).query == query + "\n"


def test_a_field_on_none_of_the_selected_types_is_an_error(tmp_path):
    body = 'query: "repository | repository_creation_template r where r.nothing == 1 report r.name"\nmessage: m\n'
    assert "(nor on repository_creation_template)" in _load_error(tmp_path, body)


def test_check_reports_a_bad_custom_query_as_a_usage_error(tmp_path, monkeypatch, capsys):
    _rule(tmp_path, QUERY.replace("where r.name", "where r.nmae"))
    (tmp_path / "main.tf").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "main.tf", "--no-cache", "--rules", "team-rules"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ecrlint: error: team-rules/naming/ECR950-named-app/rule.yaml:13:9: query: r.nmae")


def test_rules_and_explain_show_custom_rules(tmp_path, monkeypatch, capsys):
    _rule(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "--rules", "team-rules"]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"^ECR950  named-app +info +default +Repository is called app$", listing, re.M)
    assert "ECR101" in listing
    assert main(["explain", "named-app", "--rules", "team-rules", "--full"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("ECR950 named-app [info]") and "Flagged (bad_app.tf)" in text
    assert main(["explain", "ECR950"]) == 2  # without the folder, no such rule


def test_test_rules_passes_a_good_rule_folder(tmp_path, capsys):
    _rule(tmp_path)
    assert main(["test-rules", str(tmp_path / "team-rules")]) == 0
    assert capsys.readouterr().out == "ok    ECR950 bad_app.tf\nok    ECR950 good_named.tf\n2 passed, 0 failed\n"


def test_test_rules_reports_each_failure(tmp_path, capsys):
    fixtures = {
        "bad_quiet.tf": GOOD,  # does not fire
        "bad_elsewhere.tf": 'resource "aws_ecr_repository" "x" {\n  name = "app"\n  # expect: ECR950\n}\n',
        "good_fires.tf": BAD,
        "good_empty.tf": 'variable "x" {}\n',  # nothing the query selects
    }
    _rule(tmp_path, fixtures=fixtures)
    assert main(["test-rules", str(tmp_path / "team-rules")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "FAIL  ECR950 bad_elsewhere.tf: fired at [('bad_elsewhere.tf', 2)], expected [('bad_elsewhere.tf', 4)]",
        "FAIL  ECR950 bad_quiet.tf: did not fire",
        "FAIL  ECR950 good_empty.tf: holds nothing the rule selects (repository): it tests nothing",
        "FAIL  ECR950 good_fires.tf: fired: good_fires.tf:3: app is not a meaningful name",
        "0 passed, 4 failed",
    ]


def test_test_rules_needs_both_kinds_of_fixture(tmp_path, capsys):
    folder = _rule(tmp_path, fixtures={"bad_app.tf": BAD})
    assert main(["test-rules", str(tmp_path / "team-rules")]) == 1
    assert f"FAIL  ECR950: no good_* fixture in {folder / 'tests'}" in capsys.readouterr().out


def test_test_rules_compares_and_updates_snapshots(tmp_path, capsys):
    folder = _rule(tmp_path)
    snapshot = folder / "tests" / "findings.snap.json"
    assert main(["test-rules", str(tmp_path / "team-rules"), "--update-snapshots"]) == 0
    assert '"message": "app is not a meaningful name"' in snapshot.read_text()
    (folder / "rule.yaml").write_text((folder / "rule.yaml").read_text().replace("meaningful", "useful"))
    capsys.readouterr()
    assert main(["test-rules", str(tmp_path / "team-rules")]) == 1
    assert "FAIL  ECR950 findings.snap.json: findings differ from the snapshot" in capsys.readouterr().out


def test_test_rules_runs_python_checks_of_the_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ECRLINT_ALLOW_PYTHON_RULES", raising=False)
    folder = _rule(tmp_path, "check: check.py:run\n")
    (folder / "check.py").write_text(
        "from ecrlint.rule_api import match\n"
        "from ecrlint.model.objects import Repository\n\n\n"
        "def run(model, ctx):\n"
        "    for repo in model.of(Repository):\n"
        "        if repo.name is not None and repo.name.data == 'app':\n"
        "            yield match(repo, 'called app', repo.name)\n"
    )
    assert main(["test-rules", str(tmp_path / "team-rules")]) == 0, capsys.readouterr().out


def test_test_rules_with_a_broken_rule_or_no_rules_is_a_usage_error(tmp_path, capsys):
    _rule(tmp_path, QUERY.replace("r.name ==", "r.nmae =="))
    assert main(["test-rules", str(tmp_path / "team-rules")]) == 2
    assert "rule.yaml:13:9: query: r.nmae" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["test-rules", str(tmp_path / "empty")]) == 2
    assert "no rule.yaml found" in capsys.readouterr().err


MODEL_SECTION = re.compile(r"(<!-- model:start -->\n)(.*?)(<!-- model:end -->)", re.S)


def test_readme_model_reference_is_current(update_snapshots):
    readme = os.path.join(ROOT, "README.md")
    with open(readme, encoding="utf-8") as handle:
        text = handle.read()
    expected = model_reference()
    if update_snapshots and MODEL_SECTION.search(text).group(2) != expected:
        with open(readme, "w", encoding="utf-8") as handle:
            handle.write(MODEL_SECTION.sub(lambda m: m.group(1) + expected + m.group(3), text))
        return
    assert MODEL_SECTION.search(text).group(2) == expected, (
        "README model reference is stale: run pytest --update-snapshots"
    )
