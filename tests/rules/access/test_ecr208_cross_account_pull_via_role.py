"""ECR208: unit tests of the check."""

from __future__ import annotations

from tests.iam.helpers import (
    role,
    run,
    statements,
)
from tests.rules import rule_check

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


PARTNER_TRUST = statements(
    {
        "Sid": "Partner",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::222233334444:root"},
        "Action": "sts:AssumeRole",
    }
)


def test_ecr208_pull_role_for_other_account():
    r = role(
        PARTNER_TRUST, statements({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", *PULL], "Resource": "*"})
    )
    (m,), _ = run(rule_check("ECR208"), r, account="111122223333")
    assert m.pointer == "assume_role_policy.Statement[0]"
    assert 'statement "Partner"' in m.message and "222233334444" in m.message and "ecr:BatchGetImage" in m.message
    managed = role(PARTNER_TRUST, managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"])
    assert len(run(rule_check("ECR208"), managed, account="111122223333")[0]) == 1


def test_ecr208_quiet_cases():
    pull = statements({"Effect": "Allow", "Action": PULL, "Resource": "*"})
    same = statements({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"})
    service = statements(
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
    )
    assert run(rule_check("ECR208"), role(same, pull), account="111122223333") == ([], [])
    assert run(rule_check("ECR208"), role(service, pull), account="111122223333") == ([], [])
    more = role(PARTNER_TRUST, pull, statements({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    assert run(rule_check("ECR208"), more, account="111122223333") == ([], [])
    push = role(PARTNER_TRUST, statements({"Effect": "Allow", "Action": [*PULL, "ecr:PutImage"], "Resource": "*"}))
    assert run(rule_check("ECR208"), push, account="111122223333") == ([], [])
    nothing = role(PARTNER_TRUST)
    assert run(rule_check("ECR208"), nothing, account="111122223333") == ([], [])


def test_ecr208_unknown_attachment_is_undecided():
    r = role(PARTNER_TRUST, managed=["arn:aws:iam::111122223333:policy/custom"])
    matches, unsure = run(rule_check("ECR208"), r, account="111122223333")
    assert not matches and unsure
