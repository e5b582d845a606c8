"""ECR604: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import EXECUTION_ROLE, run, task


def test_unknown_tag_is_undecided(tmp_path):
    config = 'variable "tag" {}\n' + EXECUTION_ROLE + task("111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:${var.tag}")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR604")
    assert found == [] and len(unsure) == 1


def test_latest_codebuild_image_and_dockerfile(tmp_path):
    files = {
        "main.tf": """
resource "aws_codebuild_project" "p" {
  name         = "p"
  service_role = "arn:aws:iam::111122223333:role/build"
  environment { image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/builder:latest" }
}
""",
        "app/Dockerfile": "FROM node:20 AS deps\nFROM deps\nFROM ubuntu:latest\n",
    }
    found, _ = run(tmp_path, files, "ECR604")
    assert sorted((f.span.path, f.span.start_line) for f in found) == [("app/Dockerfile", 3), ("main.tf", 4)]
