"""ECR403: unit tests of the check (moved from tests/lifecycle/test_checks.py)."""

from __future__ import annotations

from tests.lifecycle.helpers import SHADOWED, matches, rule


def test_403_shadowed_prefix():
    [m] = matches("ECR403", SHADOWED)
    assert m.pointer == "rules[1].selection"
    assert m.message == (
        'rule 2 never expires any image: every image it selects (tags with prefix "release-hotfix") is claimed '
        'first by rule 1 (tags with prefix "release"); e.g. with images A[release-hotfix1] 8d, rule 2 would '
        "expire A (pushed 8d ago, more than 7 days) but rule 1 claims it"
    )
    assert m.details["claimed_by"] == ["rules[0]"]


def test_403_joint_shadowing_of_any():
    # Neither higher rule alone claims every image, together they do.
    policy = {
        "rules": [
            rule(1, "untagged", "imageCountMoreThan", 5),
            rule(2, "tagged", "imageCountMoreThan", 5, patterns=["*"]),
            rule(3, "any", "sinceImagePushed", 30),
        ]
    }
    [m] = matches("ECR403", policy)
    assert m.pointer == "rules[2].selection"
    assert "claimed first by higher-priority rules" in m.message


def test_403_not_shadowed_when_order_is_right():
    policy = {"rules": [SHADOWED["rules"][1] | {"rulePriority": 1}, SHADOWED["rules"][0] | {"rulePriority": 2}]}
    assert matches("ECR403", policy) == []


def test_403_pattern_needing_both_tags_is_not_shadowed_by_one():
    policy = {
        "rules": [
            rule(1, "tagged", "imageCountMoreThan", 5, patterns=["alpha*", "beta*"]),
            rule(2, "tagged", "sinceImagePushed", 5, patterns=["alpha*"]),
        ]
    }
    assert matches("ECR403", policy) == []
