"""ECR404: unit tests of the check (moved from tests/lifecycle/test_checks.py)."""

from __future__ import annotations

from ecrlint.findings import Match
from ecrlint.model import Model, Repository
from ecrlint.values import Branch, Branches, Value
from tests.lifecycle.helpers import (
    CHECKS,
    SAFE,
    SINCE_ANY,
    SPAN,
    check_context,
    matches,
    policy_value,
    rule,
)


def test_404_since_pushed_over_any():
    [m] = matches("ECR404", SINCE_ANY)
    assert m.message == (
        "the policy can expire every image in the repository: with images A[x] 31d, "
        "rule 1 expires A (pushed 31d ago, more than 30 days)"
    )
    assert m.pointer == "rules[0]"


def test_404_quiet_when_counts_keep_the_newest():
    assert matches("ECR404", SAFE) == []
    policy = {"rules": [rule(1, "untagged", "sinceImagePushed", 1), rule(2, "any", "imageCountMoreThan", 3)]}
    assert matches("ECR404", policy) == []


def test_404_archive_then_expire():
    policy = {
        "rules": [
            rule(1, "any", "sinceImagePushed", 30, action="transition"),
            rule(2, "any", "sinceImageTransitioned", 365, storage="archive"),
        ]
    }
    [m] = matches("ECR404", policy)
    assert m.pointer == "rules[1]"
    assert "archived 366d ago" in m.message


def test_branches_name_the_outcome():
    repo = Repository(address="Resources.Repo", span=SPAN, source_format="cloudformation")
    repo.inline_lifecycle_policy = Value(
        Branches(
            (
                Branch("condition IsProd is true", policy_value(SAFE)),
                Branch("condition IsProd is false", policy_value(SINCE_ANY)),
            )
        ),
        SPAN,
    )
    found = [m for m in CHECKS["ECR404"](Model([repo]), check_context()) if isinstance(m, Match)]
    assert len(found) == 1
    assert found[0].message.endswith("(when condition IsProd is false)")
