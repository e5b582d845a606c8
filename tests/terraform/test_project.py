"""How Terraform projects are read as Terraform reads them: which variable files load, which
folders are roots, callers of a module scanned alone, module cycles and duplicate declarations."""

from __future__ import annotations

import os
import subprocess

from ..pipeline import run_pipeline

REPO = """
variable "mutability" {{
  type    = string{default}
}}

resource "aws_ecr_repository" "this" {{
  name                 = "orders"
  image_tag_mutability = var.mutability
}}
"""


def write(root, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    return str(root)


def ids(findings, rule_id="ECR101"):
    return [f for f in findings if f.rule_id == rule_id]


def test_only_the_variable_files_terraform_loads_by_itself(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REPO.format(default=""),
            "prod.tfvars": 'mutability = "MUTABLE"\n',
            "staging.tfvars": 'mutability = "IMMUTABLE"\n',
        },
    )
    findings, undecided, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert not ids(findings)
    reasons = [u.reason for rule, u in undecided if rule == "ECR101"]
    assert reasons and "prod.tfvars, staging.tfvars" in reasons[0] and "-var-file" in reasons[0]


def test_auto_variable_files_load_in_terraform_order(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REPO.format(default=""),
            "terraform.tfvars": 'mutability = "IMMUTABLE"\n',
            "a.auto.tfvars": 'mutability = "MUTABLE"\n',
        },
    )
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [finding] = ids(findings)
    assert "a.auto.tfvars" in finding.message  # *.auto.tfvars come after terraform.tfvars


def test_var_file_setting_adds_a_file(tmp_path):
    write(tmp_path, {"main.tf": REPO.format(default=""), "envs/prod.tfvars": 'mutability = "MUTABLE"\n'})
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path), var_files=[str(tmp_path / "envs" / "prod.tfvars")])
    assert len(ids(findings)) == 1


def test_scenarios_name_where_a_finding_holds(tmp_path):
    write(
        tmp_path,
        {
            "app/main.tf": REPO.format(default=""),
            "app/envs/prod.tfvars": 'mutability = "MUTABLE"\n',
            "app/envs/staging.tfvars": 'mutability = "IMMUTABLE"\n',
        },
    )
    scenarios = {str(tmp_path / "app"): {"prod": ["envs/prod.tfvars"], "staging": ["envs/staging.tfvars"]}}
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path), scenarios=scenarios)
    [finding] = ids(findings)
    assert finding.message.endswith("(when prod)")


def test_a_finding_in_every_scenario_is_reported_once_without_a_name(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REPO.format(default=""),
            "prod.tfvars": 'mutability = "MUTABLE"\n',
            "dev.tfvars": 'mutability = "MUTABLE"\n',
        },
    )
    scenarios = {str(tmp_path): {"prod": ["prod.tfvars"], "dev": ["dev.tfvars"]}}
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path), scenarios=scenarios)
    [finding] = ids(findings)
    assert "when" not in finding.message
    # Other rules on the same repository are not doubled either.
    assert len(ids(findings, "ECR104")) == 1


def test_a_module_calling_itself_is_reported_and_its_folder_still_analysed(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'module "self" {\n  source = "./"\n  count  = 10\n}\n'
            + REPO.format(default='\n  default = "MUTABLE"')
        },
    )
    findings, _, model = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert len(ids(findings)) == 1
    [cycle] = ids(findings, "ECR900")
    assert (cycle.span.start_line, "module cycle") == (2, "module cycle") and "cycle" in cycle.message
    assert len(model.objects) == 1  # the self-call is not expanded ten times over


def test_modules_calling_each_other_are_both_analysed(tmp_path):
    write(
        tmp_path,
        {
            "a/main.tf": 'module "b" {\n  source = "../b"\n}\nresource "aws_ecr_repository" "a" {\n  name = "a"\n}\n',
            "b/main.tf": 'module "a" {\n  source = "../a"\n}\nresource "aws_ecr_repository" "b" {\n  name = "b"\n}\n',
        },
    )
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert sorted(f.span.path for f in ids(findings)) == ["a/main.tf", "b/main.tf"]
    assert [f.span.path for f in ids(findings, "ECR900")] == ["b/main.tf"]


def test_a_module_called_only_with_count_zero_is_still_analysed(tmp_path):
    write(
        tmp_path,
        {
            "root/main.tf": 'module "repo" {\n  source = "../repo"\n  count  = 0\n}\n',
            "repo/main.tf": REPO.format(default='\n  default = "MUTABLE"'),
        },
    )
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert [f.span.path for f in ids(findings)] == ["repo/main.tf"]


def test_a_resource_declared_twice_is_reported_at_the_second(tmp_path):
    block = 'resource "aws_ecr_repository" "r" {\n  name = "x"\n}\n'
    write(tmp_path, {"a.tf": block, "b.tf": block})
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [duplicate] = ids(findings, "ECR900")
    assert duplicate.span.path == "b.tf" and "declared twice" in duplicate.message and "a.tf:1" in duplicate.message


def test_an_override_file_redefines_a_block_without_error(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": 'resource "aws_ecr_repository" "r" {\n  name = "x"\n}\n',
            "main_override.tf": 'resource "aws_ecr_repository" "r" {\n  name = "x"\n  image_tag_mutability = "IMMUTABLE"\n}\n',
        },
    )
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert not ids(findings, "ECR900") and not ids(findings)


def _project(tmp_path) -> str:
    write(
        tmp_path,
        {
            "envs/prod/main.tf": (
                'module "orders" {\n  source     = "../../modules/repo"\n  mutability = "MUTABLE"\n}\n'
                'resource "aws_ecr_repository" "own" {\n  name = "own"\n}\n'
            ),
            "modules/repo/main.tf": REPO.format(default='\n  default = "IMMUTABLE"'),
        },
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return str(tmp_path)


def test_a_module_scanned_alone_is_evaluated_with_its_callers_inputs(tmp_path):
    root = _project(tmp_path)
    for target in ("modules/repo", "modules/repo/main.tf"):
        findings, _, _ = run_pipeline(os.path.join(root, target), cwd=root)
        [finding] = ids(findings)
        assert finding.span.path == "modules/repo/main.tf"
        assert finding.address == "module.orders.aws_ecr_repository.this"
        assert "envs/prod/main.tf:3" in finding.message
        assert finding.callers == ("envs/prod",)  # the root that calls the module, named in every format
        # The caller itself was not scanned: its own repository is context, not a finding.
        assert not [f for f in findings if f.span.path.startswith("envs/")]


def test_a_module_without_callers_keeps_its_defaults(tmp_path):
    write(tmp_path, {"modules/repo/main.tf": REPO.format(default='\n  default = "MUTABLE"')})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    findings, _, _ = run_pipeline(str(tmp_path / "modules" / "repo"), cwd=str(tmp_path))
    [finding] = ids(findings)
    assert finding.address == "aws_ecr_repository.this"


def test_a_local_module_outside_the_scanned_folder_is_followed(tmp_path):
    root = _project(tmp_path)
    findings, _, _ = run_pipeline(os.path.join(root, "envs/prod"), cwd=root)
    assert sorted(f.span.path for f in ids(findings)) == ["envs/prod/main.tf", "modules/repo/main.tf"]


def test_findings_in_installed_module_code_are_shown_at_the_calling_block(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": (
                'module "ecr" {\n  source  = "example/ecr/aws"\n  version = "1.0.0"\n}\n\n'
                "# ecrlint:ignore ECR104 keys are managed centrally\n"
                'module "quiet" {\n  source  = "example/ecr/aws"\n  version = "1.0.0"\n}\n'
            ),
            ".terraform/modules/modules.json": (
                '{"Modules": [{"Key": "", "Source": "", "Dir": "."},'
                ' {"Key": "ecr", "Source": "registry.terraform.io/example/ecr/aws", "Dir": ".terraform/modules/ecr"},'
                ' {"Key": "quiet", "Source": "registry.terraform.io/example/ecr/aws", "Dir": ".terraform/modules/quiet"}]}'
            ),
            ".terraform/modules/ecr/main.tf": 'resource "aws_ecr_repository" "this" {\n  name = "app"\n}\n',
            ".terraform/modules/quiet/main.tf": 'resource "aws_ecr_repository" "this" {\n  name = "quiet"\n}\n',
        },
    )
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [mutable, _] = ids(findings)
    assert (mutable.span.path, mutable.span.start_line) == ("main.tf", 1)
    assert ".terraform/modules/ecr/main.tf:1" in mutable.message
    assert all(".terraform" not in f.span.path for f in findings)
    kept = [f for f in ids(findings, "ECR104") if not f.suppressions]
    assert [(f.span.path, f.span.start_line) for f in kept] == [("main.tf", 1)]


def test_a_module_file_named_alone_is_evaluated_with_the_examples_below_it(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": REPO.format(default='\n  default = "IMMUTABLE"'),
            "examples/complete/main.tf": 'module "ecr" {\n  source     = "../.."\n  mutability = "MUTABLE"\n}\n',
        },
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    findings, _, _ = run_pipeline(str(tmp_path / "main.tf"), cwd=str(tmp_path))
    [finding] = ids(findings)
    assert finding.address == "module.ecr.aws_ecr_repository.this" and finding.span.path == "main.tf"


def test_module_findings_name_their_caller_in_text_json_and_sarif(tmp_path, capsys, monkeypatch):
    import json

    from ecrlint.cli import main

    root = _project(tmp_path)
    monkeypatch.chdir(root)
    main(["check", "--no-cache", "--select", "ECR101", "modules/repo"])
    assert "[called from envs/prod]" in capsys.readouterr().out
    main(["check", "--no-cache", "--select", "ECR101", "--format", "json", "modules/repo"])
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["called_from"] == ["envs/prod"]
    main(["check", "--no-cache", "--select", "ECR101", "--format", "sarif", "modules/repo"])
    [result] = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert result["properties"]["calledFrom"] == ["envs/prod"]
    assert (
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "module.orders.aws_ecr_repository.this"
    )
