"""The pre-commit hook, run by pre-commit itself on a changed file whose policy lives elsewhere."""

from __future__ import annotations

import os
import re
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


# -- the hook's file filter and the documented rev, without running pre-commit ----------------------


def _hook() -> dict:
    import yaml

    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        (hook,) = yaml.safe_load(handle)
    return hook


@pytest.mark.parametrize(
    "path",
    [
        "infra/main.tf",
        "infra/prod.tfvars",
        "stack.template.json",
        "cfn/stack.yaml",
        "buildspec.yml",
        "ci/buildspec-release.yaml",
        "Dockerfile",
        "docker/Dockerfile.prod",
        "app.dockerfile",
        "Containerfile",
        "images/Containerfile.base",
        "dockerfile",
    ],
)
def test_hook_files_include_every_input_ecrlint_reads(path):
    from ecrlint.discover import kind_of

    hook = _hook()
    assert re.search(hook["files"], path), path
    assert not re.search(hook["exclude"], path)
    assert kind_of(os.path.basename(path)) is not None  # and ecrlint reads what the hook passes


@pytest.mark.parametrize("path", ["README.md", "src/app.py", "Dockerfiles/notes.txt", "dockerfile_notes.md"])
def test_hook_files_leave_other_files_alone(path):
    assert not re.search(_hook()["files"], path)


def test_hook_skips_installed_terraform_modules():
    assert re.search(_hook()["exclude"], "infra/.terraform/modules/x/main.tf")


def test_readme_rev_is_a_commit_or_tag_that_exists():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    revs = re.findall(r"^\s*rev:\s*(\S+)", readme, re.M)
    revs += re.findall(r"github\.com/ecrlint/ecrlint@([0-9a-f]{40})", readme)
    assert revs, "the README documents no rev"
    if shutil.which("git") is None or not os.path.exists(os.path.join(ROOT, ".git")):
        pytest.skip("not a git checkout")
    tags = subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for rev in set(revs):
        if rev in tags:
            continue
        assert re.fullmatch(r"[0-9a-f]{40}", rev), f"{rev} is neither a tag nor a full commit hash"
        found = subprocess.run(["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True)
        if found.returncode != 0:
            shallow = subprocess.run(
                ["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True
            )
            if shallow.stdout.strip() == "true":
                pytest.skip("shallow clone: older commits are not here")
        assert found.returncode == 0, f"rev {rev} is not a commit of this repository"
