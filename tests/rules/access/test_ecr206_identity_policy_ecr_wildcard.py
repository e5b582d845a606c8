"""ECR206: unit tests of the check."""

from __future__ import annotations

from ecrlint.values import unknown
from tests.iam.helpers import (
    SPAN,
    identity_policy,
    role,
    run,
    statements,
)
from tests.rules import rule_check

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


PUSH = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]


def test_ecr206_ecr_star_on_everything():
    policy = identity_policy(statements({"Sid": "Admin", "Effect": "Allow", "Action": "ecr:*", "Resource": "*"}))
    (m,), _ = run(rule_check("ECR206"), policy)
    assert 'statement "Admin"' in m.message and "ecr:*" in m.message and m.pointer == "Statement[0]"
    star = identity_policy(statements({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    (m,), _ = run(rule_check("ECR206"), star)
    assert 'via "*"' in m.message


def test_ecr206_writes_and_scoping():
    push = identity_policy(statements({"Effect": "Allow", "Action": PUSH, "Resource": "*"}))
    assert len(run(rule_check("ECR206"), push)[0]) == 1
    any_repo = identity_policy(
        statements({"Effect": "Allow", "Action": PUSH, "Resource": "arn:aws:ecr:*:*:repository/*"})
    )
    assert len(run(rule_check("ECR206"), any_repo)[0]) == 1
    scoped = identity_policy(
        statements(
            {"Effect": "Allow", "Action": "ecr:*", "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/a/*"}
        )
    )
    assert run(rule_check("ECR206"), scoped) == ([], [])
    tag = identity_policy(
        statements(
            {
                "Effect": "Allow",
                "Action": PUSH,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}},
            }
        )
    )
    assert run(rule_check("ECR206"), tag) == ([], [])


def test_ecr206_reads_and_registry_actions_are_quiet():
    reads = identity_policy(
        statements({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", *PULL], "Resource": "*"})
    )
    assert run(rule_check("ECR206"), reads) == ([], [])
    registry = identity_policy(
        statements({"Effect": "Allow", "Action": "ecr:PutReplicationConfiguration", "Resource": "*"})
    )
    assert run(rule_check("ECR206"), registry) == ([], [])


def test_ecr206_role_inline_and_managed():
    trust = statements({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    r = role(
        trust,
        statements({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}),
        managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"],
    )
    matches, _ = run(rule_check("ECR206"), r)
    assert sorted(m.pointer for m in matches) == ["inline_policies[0].Statement[0]", "managed_policy_arns[0]"]


def test_ecr206_not_resource_and_symbolic_resources():
    not_resource = identity_policy(
        statements(
            {
                "Effect": "Allow",
                "Action": "ecr:PutImage",
                "NotResource": "arn:aws:ecr:us-east-1:111122223333:repository/prod",
            }
        )
    )
    (m,), _ = run(rule_check("ECR206"), not_resource)
    assert "NotResource" in m.message
    named = identity_policy(statements({"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "x"}))
    named.document.statements[0].resource[0] = unknown(
        "after apply", SPAN, symbolic="arn:aws:ecr:${region}:${account_id}:repository/app"
    )
    assert run(rule_check("ECR206"), named) == ([], [])
    opaque = identity_policy(statements({"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "x"}))
    opaque.document.statements[0].resource[0] = unknown("variable", SPAN, symbolic="${var.resource}")
    matches, unsure = run(rule_check("ECR206"), opaque)
    assert not matches and unsure
