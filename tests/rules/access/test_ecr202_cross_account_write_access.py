"""ECR202: unit tests of the check."""

from __future__ import annotations

from ecrlint.values import unknown
from tests.iam.helpers import (
    SPAN,
    registry_policy,
    repository_policy,
    run,
    statements,
)
from tests.rules import rule_check

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


PUSH = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]


def test_ecr202_cross_account_push():
    policy = repository_policy(
        statements(
            {
                "Sid": "CiPush",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:role/ci"},
                "Action": PUSH,
            }
        )
    )
    (m,), _ = run(rule_check("ECR202"), policy, account="111122223333")
    assert 'statement "CiPush"' in m.message and "arn:aws:iam::444455556666:role/ci" in m.message
    assert "outside the owner account 111122223333" in m.message and "ecr:PutImage" in m.message


def test_ecr202_wildcards_and_unknown_owner():
    policy = repository_policy(
        statements({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:Put*"})
    )
    (m,), _ = run(rule_check("ECR202"), policy)
    assert "owner account is not known" in m.message
    assert 'via "ecr:Put*"' in m.message
    # repository-level actions only: a repository policy cannot grant registry settings
    assert "ecr:PutRegistryPolicy" not in m.message


def test_ecr202_quiet_for_same_account_and_reads():
    same = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "ecr:*"}))
    assert run(rule_check("ECR202"), same, account="111122223333") == ([], [])
    reads = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": PULL}))
    assert run(rule_check("ECR202"), reads, account="111122223333") == ([], [])


def test_ecr202_one_finding_per_statement():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": ["444455556666", "555566667777"]}, "Action": "ecr:PutImage"}
        )
    )
    (m,), _ = run(rule_check("ECR202"), policy, account="111122223333")
    assert "444455556666" in m.message and "555566667777" in m.message


def test_ecr202_deny_removes_writes():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:*"},
            {"Effect": "Deny", "Principal": {"AWS": "444455556666"}, "NotAction": PULL},
        )
    )
    assert run(rule_check("ECR202"), policy, account="111122223333") == ([], [])


def test_ecr202_everyone_pinned_to_accounts():
    policy = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:PutImage",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "444455556666"}},
            }
        )
    )
    (m,), _ = run(rule_check("ECR202"), policy, account="111122223333")
    assert "444455556666" in m.message


def test_ecr202_registry_replication_is_not_write_abuse():
    policy = registry_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                "Resource": "arn:aws:ecr:us-west-2:111122223333:repository/*",
            }
        )
    )
    assert run(rule_check("ECR202"), policy) == ([], [])


def test_ecr202_unknown_account_is_undecided():
    policy = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "x"}, "Action": "ecr:PutImage"}))
    policy.document.statements[0].principal["AWS"][0] = unknown(
        "no default", SPAN, symbolic="arn:aws:iam::${var.p}:root"
    )
    matches, unsure = run(rule_check("ECR202"), policy, account="111122223333")
    assert not matches and unsure


def test_ecr202_organization_wide_write():
    policy = repository_policy(
        statements(
            {
                "Sid": "OrgPush",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:PutImage",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            }
        )
    )
    (m,), _ = run(rule_check("ECR202"), policy, account="111122223333")
    assert "aws:PrincipalOrgID o-a1b2c3d4e5" in m.message
    owner_only = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:PutImage",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}},
            }
        )
    )
    assert run(rule_check("ECR202"), owner_only, account="111122223333") == ([], [])


def test_ecr202_everyone_unrestricted_write():
    policy = repository_policy(
        statements({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ecr:BatchDeleteImage"})
    )
    (m,), _ = run(rule_check("ECR202"), policy, account="111122223333")
    assert "everyone" in m.message and "ecr:BatchDeleteImage" in m.message
