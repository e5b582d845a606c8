"""ECR204: unit tests of the check."""

from __future__ import annotations

from tests.iam.helpers import (
    repository_policy,
    run,
    statements,
)
from tests.rules import rule_check

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def _lambda_statement(condition=None):
    st = {"Sid": "LambdaPull", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": PULL}
    if condition:
        st["Condition"] = condition
    return statements(st)


def test_ecr204_fires_without_source_condition():
    (m,), _ = run(rule_check("ECR204"), repository_policy(_lambda_statement()))
    assert 'statement "LambdaPull"' in m.message and "lambda.amazonaws.com" in m.message


def test_ecr204_source_conditions():
    for condition in (
        {"StringLike": {"aws:sourceARN": "arn:aws:lambda:us-east-1:123456789012:function:*"}},
        {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}},
    ):
        assert run(rule_check("ECR204"), repository_policy(_lambda_statement(condition))) == (
            [],
            [],
        )
    for condition in (
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},  # not a source condition
        {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:*:function:*"}},
    ):
        assert len(run(rule_check("ECR204"), repository_policy(_lambda_statement(condition)))[0]) == 1


def test_ecr204_other_services_and_non_pull():
    other = statements({"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": PULL})
    assert run(rule_check("ECR204"), repository_policy(other)) == ([], [])
    describe = statements(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "ecr:DescribeImages"}
    )
    assert run(rule_check("ECR204"), repository_policy(describe)) == ([], [])
