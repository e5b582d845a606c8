"""ECR401: unit tests of the check (moved from tests/lifecycle/test_checks.py)."""

from __future__ import annotations

import json

from ecrlint.findings import Match
from ecrlint.model import Model, Repository
from ecrlint.source import Span
from ecrlint.values import Branch, Branches, Value, known
from tests.lifecycle.helpers import (
    CHECKS,
    SAFE,
    SPAN,
    check_context,
    matches,
    policy_value,
    rule,
)


def test_401_each_violation_located():
    policy = {"rules": [rule(1, "any", "imageCountMoreThan", 10), rule(2, "untagged", "sinceImagePushed", 7)]}
    [m] = matches("ECR401", policy)
    assert m.pointer == "rules[0].rulePriority"
    assert m.span.start_line == 4  # "rulePriority": 1 of the first rule in the indented JSON
    assert "highest rulePriority" in m.message


def test_401_text_that_is_not_json():
    obj = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    obj.inline_lifecycle_policy = known('{"rules": [}', Span("t.yaml", 9, 30, 9, 44))
    [m] = [x for x in CHECKS["ECR401"](Model([obj]), check_context()) if isinstance(x, Match)]
    assert m.pointer == "lifecycle_policy"
    assert m.message.startswith("the lifecycle policy is not valid JSON")
    assert m.span == Span("t.yaml", 9, 30, 9, 44)


def test_401_quiet_on_valid_policy():
    assert matches("ECR401", SAFE) == []


def test_finding_in_every_branch_is_reported_once():
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    bad = {"rules": [rule(1, "any", "imageCountMoreThan", 10), rule(2, "untagged", "sinceImagePushed", 7)]}
    other = json.loads(json.dumps(bad))
    other["rules"][1]["selection"]["countNumber"] = 14
    repo.inline_lifecycle_policy = Value(
        Branches(
            (Branch("condition A is true", policy_value(bad)), Branch("condition A is false", policy_value(other)))
        ),
        SPAN,
    )
    found = [m for m in CHECKS["ECR401"](Model([repo]), check_context()) if isinstance(m, Match)]
    assert [m.message for m in found] == [
        'a tagStatus "any" rule must have the highest rulePriority, but rules[1] has 2 and this one 1'
    ]
