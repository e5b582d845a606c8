"""ECR605: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import run


def test_get_login_in_comments_is_ignored_and_dockerfile_is_read(tmp_path):
    files = {
        "buildspec.yml": "version: 0.2\n# was: $(aws ecr get-login)\nphases: {}\n",
        "Dockerfile": "FROM amazon/aws-cli:2.15.0\nRUN $(aws ecr get-login --no-include-email)\n",
    }
    found, _ = run(tmp_path, files, "ECR605")
    assert [(f.span.path, f.span.start_line) for f in found] == [("Dockerfile", 2)]
    assert found[0].span.start_col == 7


def test_long_build_with_unknown_buildspec_is_undecided(tmp_path):
    config = """
resource "aws_codebuild_project" "p" {
  name          = "p"
  service_role  = "arn:aws:iam::111122223333:role/build"
  build_timeout = 900
  source {
    type      = "GITHUB"
    buildspec = "ci/missing.yml"
  }
}
"""
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR605")
    assert found == [] and "ci/missing.yml" in unsure[0].reason
