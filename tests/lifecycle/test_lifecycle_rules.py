"""What the four lifecycle rules share: where policies are read, undecided inputs, repeatable searches."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ecrlint.findings import Match, Undecided
from ecrlint.model import Model, Repository, RepositoryCreationTemplate
from ecrlint.values import unknown
from tests.lifecycle.helpers import (
    CHECKS,
    SAFE,
    SHADOWED,
    SINCE_ANY,
    SPAN,
    check_context,
    dumps,
    matches,
    policy_model,
    policy_value,
    rule,
    run_check,
)

RULES_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "rules", "lifecycle")


def _policy_fixtures():
    for folder in sorted(os.listdir(RULES_DIR)):
        tests = os.path.join(RULES_DIR, folder, "tests")
        for name in sorted(os.listdir(tests)):
            if name.endswith(".policy.json"):
                yield pytest.param(folder[:6], os.path.join(tests, name), id=f"{folder[:6]}/{name}")


SCRIPT = """
import json, sys
sys.path.insert(0, {root!r})
from tests.lifecycle.helpers import run_check
from ecrlint.findings import Match
text = {text!r}
heavy = "hypothesis" in sys.modules
out = [m.message for rid in ("ECR401", "ECR402", "ECR403", "ECR404") for m in run_check(rid, text) if isinstance(m, Match)]
print(json.dumps({{"messages": out, "hypothesis_at_start": heavy, "hypothesis": "hypothesis" in sys.modules}}))
"""


def _subprocess(policy: dict, tmp_path, seed: str) -> dict:
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("HYPOTHESIS_PROFILE", None)
    code = SCRIPT.format(root=root, text=dumps(policy))
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize("rule_id, path", list(_policy_fixtures()))
def test_policy_fixtures(rule_id, path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    found = [m for m in run_check(rule_id, policy_model(text, os.path.basename(path))) if isinstance(m, Match)]
    if os.path.basename(path).startswith("bad_"):
        assert found, f"{rule_id} did not fire on {path}"
    else:
        assert not found, [m.message for m in found]


def test_repository_and_template_sources():
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    repo.inline_lifecycle_policy = policy_value(SINCE_ANY)
    template = RepositoryCreationTemplate(
        address="aws_ecr_repository_creation_template.t", span=SPAN, source_format="terraform"
    )
    template.lifecycle_policy = policy_value(SHADOWED)
    model = Model([repo, template])
    found = [m for m in CHECKS["ECR402"](model, check_context()) if isinstance(m, Match)]
    assert [(m.address, m.pointer) for m in found] == [
        ("Resources.Repo", "lifecycle_policy.rules[0]"),
        ("aws_ecr_repository_creation_template.t", "lifecycle_policy.rules[0]"),
    ]
    found = [m for m in CHECKS["ECR403"](model, check_context()) if isinstance(m, Match)]
    assert [(m.address, m.pointer) for m in found] == [
        ("aws_ecr_repository_creation_template.t", "lifecycle_policy.rules[1].selection")
    ]


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_unknown_document_is_undecided(rule_id):
    repo = Repository(address="aws_ecr_repository.r", span=SPAN, source_format="terraform")
    repo.inline_lifecycle_policy = unknown("file() of a path outside the scanned root", SPAN)
    out = list(CHECKS[rule_id](Model([repo]), check_context()))
    assert out and all(isinstance(x, Undecided) for x in out)
    assert out[0].reason == "file() of a path outside the scanned root"


@pytest.mark.parametrize("rule_id", ["ECR402", "ECR403", "ECR404"])
def test_invalid_policy_is_not_analysed(rule_id):
    policy = {"rules": [rule(1, "any", "sinceImagePushed", 30), rule(2, "any", "sinceImagePushed", 30)]}
    assert matches(rule_id, policy) == []
    assert matches("ECR401", policy)


def test_unresolved_count_is_undecided_for_the_analysis():
    doc = policy_value(SINCE_ANY)
    doc.data["rules"].data[0].data["selection"].data["countNumber"] = unknown("var.days has no default", SPAN)
    repo = Repository(address="aws_ecr_repository.r", span=SPAN, source_format="terraform")
    repo.inline_lifecycle_policy = doc
    out = list(CHECKS["ECR404"](Model([repo]), check_context()))
    assert [type(x).__name__ for x in out] == ["Undecided"]
    assert out[0].reason == "var.days has no default"
    assert [x for x in CHECKS["ECR401"](Model([repo]), check_context()) if isinstance(x, Match)] == []


def test_search_results_do_not_change_between_runs():
    policy = {
        "rules": [rule(1, "tagged", "sinceImagePushed", 9, patterns=["*-rc*"]), rule(2, "any", "imageCountMoreThan", 4)]
    }
    first = [(m.pointer, m.message, m.details) for rid in ("ECR402", "ECR404") for m in matches(rid, policy)]
    second = [(m.pointer, m.message, m.details) for rid in ("ECR402", "ECR404") for m in matches(rid, policy)]
    assert first == second and first


def test_same_counterexamples_in_fresh_processes_and_no_files_written(tmp_path):
    policy = {
        # Later pushes may not carry a tag of the kind of latest's other tags, so the witness needs more tags
        # than the floor allows for: it is not proven minimal, and the search runs.
        "rules": [rule(1, "tagged", "imageCountMoreThan", 2, patterns=["a*", "*b"])]
    }
    a = _subprocess(policy, tmp_path, "1")
    b = _subprocess(policy, tmp_path, "2")
    assert a["messages"] == b["messages"] and a["messages"]
    assert a["hypothesis"]  # the search ran
    assert list(tmp_path.iterdir()) == []  # no example database, no files


def test_hypothesis_is_not_imported_for_safe_policies(tmp_path):
    result = _subprocess(SAFE, tmp_path, "0")
    assert result["messages"] == []
    assert not result["hypothesis_at_start"] and not result["hypothesis"]
