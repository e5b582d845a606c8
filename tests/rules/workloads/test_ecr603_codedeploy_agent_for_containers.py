"""ECR603: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import run


def test_agent_beside_a_group_of_unknown_platform_is_undecided(tmp_path):
    config = """
resource "aws_instance" "i" {
  ami       = "ami-0c1a2b3c4d5e6f708"
  user_data = "#!/bin/bash\\nservice codedeploy-agent start\\n"
}
resource "aws_codedeploy_deployment_group" "ecs" {
  app_name              = "orders"
  deployment_group_name = "orders"
  service_role_arn      = "arn:aws:iam::111122223333:role/cd"
  ecs_service {
    cluster_name = "c"
    service_name = "s"
  }
}
resource "aws_codedeploy_deployment_group" "other" {
  app_name              = "legacy"
  deployment_group_name = "legacy"
  service_role_arn      = "arn:aws:iam::111122223333:role/cd"
}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR603")
    assert found == [] and "aws_codedeploy_deployment_group.other" in unsure[0].reason


def test_agent_without_any_ecs_deployment_is_quiet(tmp_path):
    config = """
resource "aws_instance" "i" {
  ami       = "ami-0c1a2b3c4d5e6f708"
  user_data = "#!/bin/bash\\nservice codedeploy-agent start\\n"
}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR603")
    assert found == [] and unsure == []
