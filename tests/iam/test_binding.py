"""Policies bind to the repositories and roles of their own root: the same address in another root is
another object."""

from __future__ import annotations

from ..network.helpers import analyse, of_rule

REPOSITORY = """
resource "aws_ecr_repository" "app" {
  name                 = "%s"
  image_tag_mutability = "IMMUTABLE"
}
"""

LIFECYCLE = """
resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = jsonencode({ rules = [{ rulePriority = 1, selection = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }, action = { type = "expire" } }] })
}
"""


def test_lifecycle_policy_of_one_root_does_not_cover_the_same_address_in_another(tmp_path):
    files = {"a/main.tf": REPOSITORY % "orders" + LIFECYCLE, "b/main.tf": REPOSITORY % "billing"}
    findings, _, model = analyse(tmp_path, files)
    assert [f.span.path for f in of_rule(findings, "ECR107")] == ["src/b/main.tf"]
