"""ECR701: unit tests of the check (moved from tests/network/test_checks.py)."""

from __future__ import annotations

from tests.network.helpers import analyse, of_rule, undecided_of

RULE = """
resource "aws_config_config_rule" "tags" {
  name = "ecr-private-tag-immutability-enabled"
  source {
    owner             = "AWS"
    source_identifier = "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
  }
}
"""


def _scp(statement: str, kind: str = '"SERVICE_CONTROL_POLICY"') -> str:
    return f"""
    resource "aws_organizations_policy" "guardrail" {{
      name    = "guardrail"
      type    = {kind}
      content = jsonencode({{ Version = "2012-10-17", Statement = [{statement}] }})
    }}
    """


def test_region_guardrail_with_not_action_is_not_a_control(tmp_path):
    statement = """{
      Effect    = "Deny"
      NotAction = ["iam:*", "sts:*"]
      Resource  = "*"
      Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1"] } }
    }"""
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + _scp(statement)})
    assert len(of_rule(findings, "ECR701")) == 1


def test_deny_on_ecr_wildcard_is_a_control(tmp_path):
    statement = '{ Effect = "Deny", Action = "ecr:Put*", Resource = "*" }'
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + _scp(statement)})
    assert not of_rule(findings, "ECR701")


def test_tag_policy_is_not_an_scp(tmp_path):
    statement = '{ Effect = "Deny", Action = "ecr:PutImageTagMutability", Resource = "*" }'
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + _scp(statement, '"TAG_POLICY"')})
    assert len(of_rule(findings, "ECR701")) == 1


def test_deny_in_a_policy_of_undecided_type_makes_it_undecided(tmp_path):
    statement = '{ Effect = "Deny", Action = "ecr:PutImageTagMutability", Resource = "*" }'
    config = 'variable "kind" {}\n' + RULE + _scp(statement, "var.kind")
    findings, undecided, _ = analyse(tmp_path, {"main.tf": config})
    assert not of_rule(findings, "ECR701")
    (reason,) = undecided_of(undecided, "ECR701")
    assert "var.kind" in reason.reason


def test_policy_of_undecided_type_without_a_deny_changes_nothing(tmp_path):
    statement = '{ Effect = "Allow", Action = "ecr:DescribeRepositories", Resource = "*" }'
    config = 'variable "kind" {}\n' + RULE + _scp(statement, "var.kind")
    findings, _, _ = analyse(tmp_path, {"main.tf": config})
    assert len(of_rule(findings, "ECR701")) == 1


def test_role_inline_deny_is_a_control(tmp_path):
    role = """
    resource "aws_iam_role" "ci" {
      name               = "ci"
      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
      inline_policy {
        name   = "no-mutability-changes"
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Deny", Action = "ecr:PutImageTagMutability", Resource = "*" }]
        })
      }
    }
    """
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + role})
    assert not of_rule(findings, "ECR701")
