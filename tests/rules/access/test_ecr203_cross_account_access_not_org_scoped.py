"""ECR203: unit tests of the check."""

from __future__ import annotations

from tests.iam.helpers import (
    repository_policy,
    run,
    statements,
)
from tests.rules import rule_check

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def test_ecr203_three_accounts():
    policy = repository_policy(
        statements(
            {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["222222222222", "333333333333"]}, "Action": PULL},
            {"Sid": "B", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444444444444:role/r"}, "Action": PULL},
        )
    )
    (m,), _ = run(rule_check("ECR203"), policy, account="111111111111")
    assert m.pointer == "Statement[0]"
    assert "3 accounts" in m.message and "444444444444" in m.message and 'statement "B"' in m.message


def test_ecr203_owner_and_threshold():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": ["111111111111", "222222222222", "333333333333"]}, "Action": PULL}
        )
    )
    assert run(rule_check("ECR203"), policy, account="111111111111") == ([], [])
    assert len(run(rule_check("ECR203"), policy)[0]) == 1


def test_ecr203_account_wildcard_and_org_condition():
    wildcard = repository_policy(
        statements({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": PULL})
    )
    (m,), _ = run(rule_check("ECR203"), wildcard)
    assert "any account" in m.message
    scoped = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::*:root", "222222222222", "333333333333", "444444444444"]},
                "Action": PULL,
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            }
        )
    )
    assert run(rule_check("ECR203"), scoped) == ([], [])
