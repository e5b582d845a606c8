"""The whole-run cache answers only while nothing the run read has changed."""

from __future__ import annotations

import json
import os

import pytest

from ecrlint import runner
from ecrlint.runner import Settings, run

MUTABLE = """
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = var.mutability
}

variable "mutability" {
  default = "MUTABLE"
}
"""


def _ids(result) -> list[str]:
    return [f.rule_id for f in result.findings]


def _settings(tmp_path, path, **kw) -> Settings:
    return Settings(paths=[str(path)], cwd=str(tmp_path), cache_dir=str(tmp_path / "cache"), **kw)


class _NoAnalysis:
    """Stands in for the analysis: calling it means the cache did not answer."""

    def __init__(self, monkeypatch):
        self.calls = 0
        real = runner._analyse

        def counting(*args, **kw):
            self.calls += 1
            return real(*args, **kw)

        monkeypatch.setattr(runner, "_analyse", counting)


def test_an_unchanged_tree_is_answered_from_the_cache(tmp_path, monkeypatch):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    analyses = _NoAnalysis(monkeypatch)
    first = run(_settings(tmp_path, tmp_path / "tf"))
    second = run(_settings(tmp_path, tmp_path / "tf"))
    assert analyses.calls == 1
    assert "ECR101" in _ids(first)
    assert second.findings == first.findings and second.undecided == first.undecided


def test_a_changed_file_is_analysed_again(tmp_path, monkeypatch):
    (tmp_path / "tf").mkdir()
    main = tmp_path / "tf" / "main.tf"
    main.write_text(MUTABLE)
    analyses = _NoAnalysis(monkeypatch)
    assert "ECR101" in _ids(run(_settings(tmp_path, tmp_path / "tf")))
    main.write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    assert "ECR101" not in _ids(run(_settings(tmp_path, tmp_path / "tf")))
    assert analyses.calls == 2


def test_a_changed_module_in_a_skipped_folder_is_analysed_again(tmp_path, monkeypatch):
    # A registry module lives under .terraform, which discovery skips; the run reads it anyway.
    live = tmp_path / "live"
    module_dir = live / ".terraform" / "modules" / "images"
    module_dir.mkdir(parents=True)
    (live / "main.tf").write_text('module "images" {\n  source = "example/images/aws"\n}\n')
    manifest = {"Modules": [{"Key": "images", "Source": "example/images/aws", "Dir": ".terraform/modules/images"}]}
    (live / ".terraform" / "modules" / "modules.json").write_text(json.dumps(manifest))
    module = module_dir / "main.tf"
    module.write_text(MUTABLE)
    analyses = _NoAnalysis(monkeypatch)
    assert "ECR101" in _ids(run(_settings(tmp_path, live)))
    assert "ECR101" in _ids(run(_settings(tmp_path, live)))
    assert analyses.calls == 1
    module.write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    assert "ECR101" not in _ids(run(_settings(tmp_path, live)))
    assert analyses.calls == 2
    (module_dir / "more.tf").write_text('resource "aws_ecr_repository" "more" {\n  name = "more"\n}\n')
    assert "ECR101" in _ids(run(_settings(tmp_path, live)))  # a new file in a folder the run listed
    assert analyses.calls == 3


def test_changed_variable_file_and_settings_are_analysed_again(tmp_path, monkeypatch):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    values = tmp_path / "prod.tfvars"
    values.write_text('mutability = "MUTABLE"\n')
    analyses = _NoAnalysis(monkeypatch)
    assert "ECR101" in _ids(run(_settings(tmp_path, tmp_path / "tf", var_files=[str(values)])))
    values.write_text('mutability = "IMMUTABLE"\n')
    assert "ECR101" not in _ids(run(_settings(tmp_path, tmp_path / "tf", var_files=[str(values)])))
    run(_settings(tmp_path, tmp_path / "tf", var_files=[str(values)], select=["ECR1"]))
    assert analyses.calls == 3


@pytest.mark.parametrize("damage", ["corrupt", "foreign"])
def test_a_damaged_entry_is_not_trusted(tmp_path, damage):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    expected = run(_settings(tmp_path, tmp_path / "tf")).findings
    entries = list((tmp_path / "cache").rglob("run/*/*.json"))
    assert entries
    for path in entries:
        signature, _, text = path.read_text().partition("\n")
        if damage == "corrupt":
            path.write_text(signature + "\n" + text[: len(text) // 2])
        else:  # well-formed, claims an empty result, but is not signed by this cache
            entry = json.loads(text)
            entry["data"] = {"@d": []}
            path.write_text("0" * len(signature) + "\n" + json.dumps(entry))
    assert run(_settings(tmp_path, tmp_path / "tf")).findings == expected


def test_no_cache_means_no_run_entry(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    run(Settings(paths=[str(tmp_path / "tf")], cwd=str(tmp_path), cache_dir=None))
    assert not (tmp_path / "cache").exists()


CUSTOM_RULE = """id: ECR990
name: custom-python-check
title: A team's own check
severity: low
category: operations
inputs: [terraform]
rationale: A check written in Python by the team.
remediation:
  all: Nothing.
help_uri: https://example.com/ECR990
since: "0.1.0"
check: team_checks.py:every_repository
"""

TEAM_CHECKS = """
from ecrlint.checks import match
from ecrlint.model.objects import Repository


def every_repository(model, ctx):
    for repo in model.of(Repository):
        yield match(repo, "seen")
"""


def test_custom_python_checks_turn_the_run_cache_off(tmp_path, monkeypatch):
    # Their code can change while every input stays the same.
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    rule_dir = tmp_path / "rules" / "ECR990-custom-python-check"
    rule_dir.mkdir(parents=True)
    (rule_dir / "rule.yaml").write_text(CUSTOM_RULE)
    (rule_dir / "team_checks.py").write_text(TEAM_CHECKS)
    analyses = _NoAnalysis(monkeypatch)
    settings = _settings(tmp_path, tmp_path / "tf", rules_dirs=(str(tmp_path / "rules"),), python_rules=True)
    assert "ECR990" in _ids(run(settings))
    assert "ECR990" in _ids(run(settings))
    assert analyses.calls == 2


def test_a_file_read_by_file_that_appears_later_is_a_change(tmp_path, monkeypatch):
    # The policy file is not a discovered kind; the first run only finds it missing.
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(
        MUTABLE
        + """
resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = file("${path.module}/policy.tpl")
}
"""
    )
    analyses = _NoAnalysis(monkeypatch)
    assert "ECR401" not in _ids(run(_settings(tmp_path, tmp_path / "tf")))
    (tmp_path / "tf" / "policy.tpl").write_text('{"rules": "not a list"}')
    assert "ECR401" in _ids(run(_settings(tmp_path, tmp_path / "tf")))
    assert analyses.calls == 2


def test_a_new_file_in_an_excluded_module_folder_is_a_change(tmp_path, monkeypatch):
    # Discovery walks legacy/ but excludes its files; the module call still reads them.
    (tmp_path / "tf" / "legacy").mkdir(parents=True)
    (tmp_path / "tf" / "main.tf").write_text('module "legacy" {\n  source = "./legacy"\n}\n')
    (tmp_path / "tf" / "legacy" / "main.tf").write_text('variable "unused" {\n  default = 1\n}\n')
    analyses = _NoAnalysis(monkeypatch)
    settings = _settings(tmp_path, tmp_path / "tf", exclude=("legacy/*.tf",))
    assert "ECR101" not in _ids(run(settings))
    assert "ECR101" not in _ids(run(settings))
    assert analyses.calls == 1
    (tmp_path / "tf" / "legacy" / "repo.tf").write_text('resource "aws_ecr_repository" "old" {\n  name = "old"\n}\n')
    assert "ECR101" in _ids(run(settings))
    assert analyses.calls == 2


def test_ecrlint_code_is_part_of_the_key(monkeypatch):
    from ecrlint import runcache

    first = runcache.code_digest()
    runcache.code_digest.cache_clear()
    assert runcache.code_digest() == first  # stable
    monkeypatch.setattr(runcache, "file_digest", lambda path: "changed")
    runcache.code_digest.cache_clear()
    try:
        assert runcache.code_digest() != first
    finally:
        monkeypatch.undo()
        runcache.code_digest.cache_clear()


@pytest.mark.parametrize("restored", [False, True], ids=["left-edited", "content-restored"])
def test_an_input_edited_during_the_run_with_its_old_mtime_back_is_not_stored(tmp_path, monkeypatch, restored):
    # The run hashes main.tf, then the analysis reads an edited main.tf whose mtime was set back
    # (`touch -d`). Its findings must not be filed under the hash of the content it did not read.
    (tmp_path / "tf").mkdir()
    main = tmp_path / "tf" / "main.tf"
    main.write_text(MUTABLE)
    old = os.stat(main)
    immutable = MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"')
    real = runner._analyse

    def editing(*args, **kw):
        main.write_text(immutable)
        os.utime(main, ns=(old.st_atime_ns, old.st_mtime_ns))
        result = real(*args, **kw)
        if restored:  # same content and mtime as when the key was made: only the inode change time shows
            main.write_text(MUTABLE)
            os.utime(main, ns=(old.st_atime_ns, old.st_mtime_ns))
        return result

    monkeypatch.setattr(runner, "_analyse", editing)
    assert "ECR101" not in _ids(run(_settings(tmp_path, tmp_path / "tf")))  # it read the edited file
    monkeypatch.undo()
    main.write_text(MUTABLE)
    os.utime(main, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert "ECR101" in _ids(run(_settings(tmp_path, tmp_path / "tf")))


def test_a_dependency_edited_during_the_run_with_its_old_mtime_back_is_not_stored(tmp_path, monkeypatch):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    values = tmp_path / "prod.tfvars"
    values.write_text('mutability = "MUTABLE"\n')
    old = os.stat(values)
    real = runner._analyse

    def editing(*args, **kw):
        values.write_text('mutability = "IMMUTABLE"\n')
        result = real(*args, **kw)
        values.write_text('mutability = "MUTABLE"\n')
        os.utime(values, ns=(old.st_atime_ns, old.st_mtime_ns))
        return result

    monkeypatch.setattr(runner, "_analyse", editing)
    settings = _settings(tmp_path, tmp_path / "tf", var_files=[str(values)])
    assert "ECR101" not in _ids(run(settings))
    monkeypatch.undo()
    assert "ECR101" in _ids(run(settings))
