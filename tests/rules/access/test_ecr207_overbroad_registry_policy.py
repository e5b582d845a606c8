"""ECR207: unit tests of the check."""

from __future__ import annotations

from tests.iam.helpers import (
    registry_policy,
    repository_policy,
    run,
    statements,
)
from tests.rules import rule_check


def test_ecr207_everyone_and_account_wildcard():
    policy = registry_policy(
        statements(
            {"Sid": "Rep", "Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage", "Resource": "*"},
            {
                "Sid": "Ptc",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::*:root"},
                "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
                "Resource": "*",
            },
        )
    )
    matches, _ = run(rule_check("ECR207"), policy)
    assert [m.pointer for m in matches] == ["Statement[0]", "Statement[1]"]
    assert "ecr:ReplicateImage" in matches[0].message and "ecr:BatchImportUpstreamImage" in matches[1].message


def test_ecr207_quiet_cases():
    named = registry_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:ReplicateImage", "Resource": "*"}
        )
    )
    org = registry_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:ReplicateImage",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            }
        )
    )
    other = registry_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:DescribeImages", "Resource": "*"})
    )
    repo = repository_policy(statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage"}))
    for obj in (named, org, other, repo):
        assert run(rule_check("ECR207"), obj) == ([], [])
