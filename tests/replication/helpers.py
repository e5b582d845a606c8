"""Shared helpers of these tests."""

from __future__ import annotations

from tests.workloads.helpers import run

SOURCE = """
provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}
"""


def replication(*accounts: str, filters: str = "") -> str:
    destinations = "\n".join(
        f'      destination {{\n        region      = "eu-west-1"\n        registry_id = "{a}"\n      }}'
        for a in accounts
    )
    return f"""
resource "aws_ecr_replication_configuration" "r" {{
  replication_configuration {{
    rule {{
{destinations}
{filters}
    }}
  }}
}}
"""


PROD = 'repository_filter {\n  filter      = "prod"\n  filter_type = "PREFIX_MATCH"\n}'


def registry_policy(statement: str, resource: str = "arn:aws:ecr:eu-west-1:222233334444:repository/*") -> str:
    return f"""
resource "aws_ecr_registry_policy" "dest" {{
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [merge({statement}, {{ Effect = "Allow", Resource = "{resource}" }})]
  }})
}}
"""


def dest(tmp_path, statement: str, filters: str = PROD, resource: str | None = None, options=None):
    policy = registry_policy(statement, resource) if resource else registry_policy(statement)
    config = SOURCE + replication("222233334444", filters=filters) + policy
    return run(tmp_path, {"main.tf": config}, "ECR502", options)
