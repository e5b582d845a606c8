"""`--exclude` and config `exclude`: relative to where they are written; `--force-exclude` for named files."""

from __future__ import annotations

import contextlib
import io
import json
import os

import pytest
import yaml

from ecrlint.cli import main
from ecrlint.discover import discover_files

from .helpers import write

REPO = 'resource "aws_ecr_repository" "{0}" {{\n  name = "{0}"\n  image_tag_mutability = "MUTABLE"\n}}\n'
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(
        tmp_path,
        {
            "infra/main.tf": REPO.format("app"),
            "infra/legacy/main.tf": REPO.format("legacy"),
            "other/legacy/main.tf": REPO.format("other"),
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _flagged(args: list[str]) -> set[str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--no-cache", "--format", "json", *args])
    assert code in (0, 1), err.getvalue()
    return {f["span"]["path"] for f in json.loads(out.getvalue())["findings"]}


def test_command_line_excludes_are_relative_to_the_working_directory(project):
    # Anchored at the working directory, not at the scanned folder `infra`.
    assert _flagged(["infra", "--exclude", "infra/legacy/"]) == {"infra/main.tf"}
    assert _flagged(["infra", "other", "--exclude", "infra/legacy/"]) == {"infra/main.tf", "other/legacy/main.tf"}


def test_a_name_pattern_matches_anywhere(project):
    assert _flagged([".", "--exclude", "legacy/"]) == {"infra/main.tf"}


def test_config_excludes_are_relative_to_the_config_file(project, monkeypatch):
    (project / ".ecrlint.yaml").write_text("exclude: ['infra/legacy/']\n")
    assert _flagged(["infra"]) == {"infra/main.tf"}
    monkeypatch.chdir(project / "other")  # the config is found above the scanned path, wherever we are
    assert _flagged(["../infra"]) == {"../infra/main.tf"}


def test_paths_outside_the_base_match_only_name_patterns(project):
    base = str(project / "other")
    found = discover_files(["infra"], ("legacy/", "infra/main.tf"), exclude_base=base)
    assert [f.path for f in found.files] == ["infra/main.tf"]


def test_named_files_are_read_unless_force_exclude(project):
    named = ["infra/legacy/main.tf", "--exclude", "infra/legacy/"]
    assert _flagged(named) == {"infra/legacy/main.tf"}
    assert _flagged([*named, "--force-exclude"]) == set()
    assert _flagged(["infra/main.tf", "--exclude", "infra/legacy/", "--force-exclude"]) == {"infra/main.tf"}


def test_force_exclude_config_key(project):
    (project / ".ecrlint.yaml").write_text("exclude: ['legacy/']\nforce-exclude: true\n")
    assert _flagged(["infra/legacy/main.tf"]) == set()
    assert _flagged(["infra/main.tf"]) == {"infra/main.tf"}


def test_force_exclude_drops_excluded_module_siblings(project):
    write(project, {"infra/generated.tf": REPO.format("generated")})
    args = ["infra/main.tf", "--exclude", "generated.tf"]
    assert _flagged(args) == {"infra/main.tf", "infra/generated.tf"}  # the named file's module, as before
    assert _flagged([*args, "--force-exclude"]) == {"infra/main.tf"}


def test_the_pre_commit_hook_forces_excludes():
    with open(os.path.join(ROOT, ".pre-commit-hooks.yaml"), encoding="utf-8") as handle:
        hooks = yaml.safe_load(handle)
    # In the entry, where a user's own `args:` cannot drop it.
    assert "--force-exclude" in hooks[0]["entry"].split()
    assert "--force-exclude" not in hooks[0].get("args", [])
