"""ECR606: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import lines, run

BUILD_ROLE = """
resource "aws_iam_role" "build" {
  name               = "build"
  assume_role_policy = "{}"
}
"""


def _project(buildspec_attr: str = "") -> str:
    return f"""
resource "aws_codebuild_project" "p" {{
  name         = "p"
  service_role = aws_iam_role.build.arn
  source {{
    type = "CODEPIPELINE"
    {buildspec_attr}
  }}
}}
"""


def test_pushes_to_other_registries_need_no_ecr_role(tmp_path):
    files = {
        "main.tf": BUILD_ROLE + _project(),
        "buildspec.yml": "phases:\n  build:\n    commands:\n      - docker push ghcr.io/a/b:1\n",
    }
    found, unsure = run(tmp_path, files, "ECR606")
    assert found == [] and unsure == []


def test_unresolved_push_target_is_undecided(tmp_path):
    files = {
        "main.tf": BUILD_ROLE + _project(),
        "buildspec.yml": "phases:\n  build:\n    commands:\n      - docker push $TARGET\n",
    }
    found, unsure = run(tmp_path, files, "ECR606")
    assert found == [] and "line 4 of buildspec buildspec.yml pushes $TARGET" in unsure[0].reason


def test_named_buildspec_is_linked_by_its_path(tmp_path):
    push = "phases:\n  build:\n    commands:\n      - docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1\n"
    files = {
        "infra/main.tf": BUILD_ROLE + _project('buildspec = "ci/push.yml"'),
        "ci/push.yml": push,
        "ci/buildspec.yml": "version: 0.2\n",
    }
    # push.yml is not named like a buildspec, so it is not read as one: the link finds no file
    found, unsure = run(tmp_path / "a", files, "ECR606")
    assert found == [] and "ci/push.yml" in unsure[0].reason
    files = {
        "infra/main.tf": BUILD_ROLE + _project('buildspec = "ci/buildspec-push.yml"'),
        "ci/buildspec-push.yml": push,
    }
    found, _ = run(tmp_path / "b", files, "ECR606")
    assert [(f.span.path, f.span.start_line) for f in found] == [("ci/buildspec-push.yml", 4)]


def test_default_buildspec_is_the_nearest_at_or_above_the_project(tmp_path):
    push = "phases:\n  build:\n    commands:\n      - docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1\n"
    files = {"infra/main.tf": BUILD_ROLE + _project(), "infra/x/buildspec.yml": push, "buildspec.yml": push}
    found, _ = run(tmp_path, files, "ECR606")
    # the nearest folder at or above the project's wins: the root one (infra/x is below infra)
    assert [(f.span.path, f.span.start_line) for f in found] == [("buildspec.yml", 4)]


def test_repository_policy_may_grant_push(tmp_path):
    config = (
        BUILD_ROLE
        + """
resource "aws_iam_role_policy" "token" {
  role   = aws_iam_role.build.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" }] })
}
resource "aws_ecr_repository" "a" { name = "a" }
resource "aws_ecr_repository_policy" "a" {
  repository = aws_ecr_repository.a.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:role/build" },
    Action = ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
              "ecr:CompleteLayerUpload", "ecr:PutImage"] }] })
}
"""
        + _project()
    )
    push = "phases:\n  build:\n    commands:\n      - docker push 111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1\n"
    found, unsure = run(tmp_path, {"main.tf": config, "buildspec.yml": push}, "ECR606")
    assert found == [] and "repository policy" in unsure[0].reason
    assert lines(found) == []
