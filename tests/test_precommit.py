"""The pre-commit hook, run by pre-commit itself on a changed file whose policy lives elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap

import pytest

from .conftest import ROOT

REPOSITORY = """
resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_kms_key" "images" {
  description = "images"
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.images.arn
  }
}
"""

LIFECYCLE = """
resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }
      action       = { type = "expire" }
    }]
  })
}
"""


def _git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env.update(GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def pre_commit():
    exe = shutil.which("pre-commit")
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    return exe


def _try_repo(pre_commit, project, changed, home):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [pre_commit, "try-repo", ROOT, "ecrlint", "--files", changed, "--verbose"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def test_hook_on_changed_file_resolves_policy_in_another_file(pre_commit, tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    home = tmp_path_factory.mktemp("pre-commit-home")
    (project / "infra").mkdir()
    (project / "infra" / "repository.tf").write_text(textwrap.dedent(REPOSITORY))
    (project / "infra" / "lifecycle.tf").write_text(textwrap.dedent(LIFECYCLE))
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "init")
    # Only repository.tf changed; its lifecycle policy is in lifecycle.tf (ECR107 must not fire).
    clean = _try_repo(pre_commit, project, "infra/repository.tf", home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    # A real problem in the changed file fails the hook.
    (project / "infra" / "repository.tf").write_text(textwrap.dedent(REPOSITORY).replace("IMMUTABLE", "MUTABLE"))
    failing = _try_repo(pre_commit, project, "infra/repository.tf", home)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "ECR101" in failing.stdout
    assert "ECR107" not in failing.stdout
