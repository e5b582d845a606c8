"""ECR504: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import EXECUTION_ROLE, PROVIDER, messages, run, task


def test_docker_hub_advice_names_the_cache_rule(tmp_path):
    config = (
        PROVIDER
        + EXECUTION_ROLE
        + task("bitnami/redis:7.2")
        + """
resource "aws_ecr_pull_through_cache_rule" "hub" {
  ecr_repository_prefix = "hub"
  upstream_registry_url = "registry-1.docker.io"
}
"""
    )
    found, _ = run(tmp_path, {"main.tf": config}, "ECR504")
    assert len(found) == 1
    assert "aws_ecr_pull_through_cache_rule.hub" in found[0].message
    assert "<account>.dkr.ecr.<region>.amazonaws.com/hub/bitnami/redis:7.2" in found[0].message


def test_unknown_image_is_undecided_not_a_finding(tmp_path):
    config = 'variable "image" {}\n' + EXECUTION_ROLE + task("${var.image}")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR504")
    assert found == [] and len(unsure) == 1 and "var.image" in unsure[0].reason


def test_codebuild_images(tmp_path):
    config = """
resource "aws_codebuild_project" "curated" {
  name         = "curated"
  service_role = "arn:aws:iam::111122223333:role/build"
  environment { image = "aws/codebuild/standard:7.0" }
}
resource "aws_codebuild_project" "hub" {
  name         = "hub"
  service_role = "arn:aws:iam::111122223333:role/build"
  environment { image = "node:20" }
}
"""
    found, _ = run(tmp_path, {"main.tf": config}, "ECR504")
    assert messages(found) and all("CodeBuild project hub" in m for m in messages(found)) and len(found) == 1
