"""Registry and remote modules: read through a module model, or listed as not analysed."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
import textwrap

import pytest

from ecrlint.findings import MODULE_NOT_ANALYSED
from ecrlint.options import Options
from ecrlint.terraform.module_models import (
    SHIPPED_DIR,
    ModelCatalog,
    choose_version,
    normalise_source,
    shipped_models,
)

from .conftest import ROOT
from .pipeline import run_pipeline

ECR_CALL = """
module "orders" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.0"

  repository_name                 = "orders"
  repository_image_tag_mutability = "MUTABLE"
  create_lifecycle_policy         = false
}
"""


def _write(folder, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(text))
    return str(folder)


def _ids(findings, rule_id):
    return [f for f in findings if f.rule_id == rule_id]


# -- sources and versions ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source,expected",
    [
        ("terraform-aws-modules/ecr/aws", ("terraform-aws-modules/ecr/aws", None, False)),
        ("registry.terraform.io/Terraform-AWS-Modules/ecr/aws", ("terraform-aws-modules/ecr/aws", None, False)),
        (
            "git::https://github.com/terraform-aws-modules/terraform-aws-ecr.git?ref=v2.3.0",
            ("github.com/terraform-aws-modules/terraform-aws-ecr", "v2.3.0", True),
        ),
        (
            "git@github.com:terraform-aws-modules/terraform-aws-vpc.git//modules/vpc-endpoints?ref=tags/5.1.0",
            ("github.com/terraform-aws-modules/terraform-aws-vpc//modules/vpc-endpoints", "5.1.0", True),
        ),
    ],
)
def test_sources_are_normalised(source, expected):
    assert normalise_source(source) == expected


@pytest.mark.parametrize(
    "constraint,major,said",
    [
        ("~> 2.0", 2, "major 2"),
        ("2.1.0", 2, "major 2"),
        (">= 1.0, < 3.0", 2, "major 2"),
        ("~> 1.6.0", 1, "major 1"),
        (">= 1.0", 3, "major 3"),  # terraform init installs the newest allowed
        (None, 3, "no version constraint: the latest model"),
        ("~> 9.0", 3, "newer than the models"),
        ("~> 0.1", 1, "older than the models"),
    ],
)
def test_the_version_constraint_picks_the_major(constraint, major, said):
    model = next(m for m in shipped_models() if m.source == "terraform-aws-modules/ecr/aws")
    version, why = choose_version(model, constraint)
    assert major in version.majors
    assert said in why


def test_models_with_majors_whose_defaults_differ_are_told_apart(tmp_path):
    for sub, mutability in (("v1", "MUTABLE"), ("v2", "IMMUTABLE")):
        _write(
            tmp_path / "models" / "acme__repo__aws",
            {f"{sub}/main.tf": f'variable "mutability" {{ default = "{mutability}" }}\n' + REPO_MODEL_TF},
        )
    _write(
        tmp_path / "models" / "acme__repo__aws",
        {"model.yaml": "source: acme/repo/aws\nversions:\n  - {majors: [2], dir: v2}\n  - {majors: [1], dir: v1}\n"},
    )
    for version, fires in (("~> 1.0", True), ("~> 2.0", False), (None, False)):
        pin = f'  version = "{version}"\n' if version else ""
        _write(tmp_path / "repo", {"main.tf": f'module "r" {{\n  source = "acme/repo/aws"\n{pin}  name = "x"\n}}\n'})
        options = Options(extra={"module_models": (str(tmp_path / "models"),)})
        findings, _, _ = run_pipeline(str(tmp_path / "repo"), cwd=str(tmp_path), options=options)
        assert bool(_ids(findings, "ECR101")) is fires, version


REPO_MODEL_TF = """
variable "name" {}
resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = var.mutability
}
"""


# -- locations -----------------------------------------------------------------------------------
def test_findings_point_at_the_argument_or_at_the_call(tmp_path):
    findings, _, _ = run_pipeline(_write(tmp_path, {"main.tf": ECR_CALL}), cwd=str(tmp_path))
    mutable = _ids(findings, "ECR101")
    assert [(f.span.path, f.span.start_line) for f in mutable] == [("main.tf", 7)]  # the argument
    assert mutable[0].address == "module.orders.aws_ecr_repository.this[0]"
    # AES256 is the module's default (no encryption input): reported at the module block.
    kms = _ids(findings, "ECR104")
    assert [(f.span.path, f.span.start_line) for f in kms] == [("main.tf", 2)]
    assert all("module_models" not in f.span.path and "<" not in f.span.path for f in findings)


def test_a_default_says_which_model_and_version_decided_it(tmp_path):
    call = ECR_CALL.replace('repository_image_tag_mutability = "MUTABLE"\n', "").replace('"~> 2.0"', '"~> 1.0"')
    call = call.replace("repository_name", "repository_image_scan_on_push = false\n  repository_name")
    findings, _, _ = run_pipeline(_write(tmp_path, {"main.tf": call}), cwd=str(tmp_path))
    assert not _ids(findings, "ECR101")  # the module's default is IMMUTABLE
    scan = _ids(findings, "ECR102")
    assert scan and scan[0].span.start_line == 6  # the caller's argument


def test_a_suppression_on_the_call_applies(tmp_path):
    call = ECR_CALL.replace('module "orders"', '# ecrlint:ignore ECR104 -- AES256 is our standard\nmodule "orders"')
    findings, _, _ = run_pipeline(_write(tmp_path, {"main.tf": call}), cwd=str(tmp_path))
    kms = _ids(findings, "ECR104")
    assert kms and all(f.suppressions for f in kms)


# -- installed modules come first ----------------------------------------------------------------
def test_installed_sources_are_used_before_a_model(tmp_path):
    repo = _write(
        tmp_path,
        {
            "main.tf": ECR_CALL,
            ".terraform/modules/modules.json": json.dumps(
                {"Modules": [{"Key": "", "Dir": "."}, {"Key": "orders", "Dir": ".terraform/modules/orders"}]}
            ),
            # the installed code creates a repository that ignores the input
            ".terraform/modules/orders/main.tf": """
                variable "repository_image_tag_mutability" {}
                resource "aws_ecr_repository" "installed" {
                  name                 = "orders"
                  image_tag_mutability = "IMMUTABLE"
                }
            """,
        },
    )
    findings, undecided, model = run_pipeline(repo, cwd=str(tmp_path))
    assert [o.address for o in model.objects if o.kind == "repository"] == [
        "module.orders.aws_ecr_repository.installed"
    ]
    assert not _ids(findings, "ECR101")


# -- modules that are not analysed ---------------------------------------------------------------
UNAVAILABLE = """
module "consul" {
  source  = "hashicorp/consul/aws"
  version = "0.12.0"
}

module "shared" {
  source = "git::https://example.com/platform/modules.git//ecr?ref=v3"
}

module "bucket" {
  source = "s3::https://s3-eu-west-1.amazonaws.com/modules/ecr.zip"
}

module "missing" {
  source = "./modules/does-not-exist"
}

module "empty" {
  source = "./docs"
}
"""


def test_unavailable_modules_are_undecided_records(tmp_path):
    findings, undecided, _ = run_pipeline(
        _write(tmp_path, {"main.tf": UNAVAILABLE, "docs/README.md": "notes\n"}), cwd=str(tmp_path)
    )
    records = [(rule, u) for rule, u in undecided if u.pointer == MODULE_NOT_ANALYSED]
    assert [u.address for _, u in records] == [
        "module.consul",
        "module.shared",
        "module.bucket",
        "module.missing",
        "module.empty",
    ]
    assert {rule for rule, _ in records} == {"ECR900"}
    reasons = {u.address: u.reason for _, u in records}
    assert "registry module without a module model" in reasons["module.consul"]
    assert "terraform init" in reasons["module.consul"]
    assert "git module" in reasons["module.shared"]
    assert "S3 module" in reasons["module.bucket"]
    assert "does not exist" in reasons["module.missing"]
    assert 'its folder "./docs" has no Terraform files' in reasons["module.empty"]
    assert [u.span.start_line for _, u in records] == [2, 7, 11, 15, 19]
    assert not findings  # not a finding: nothing is known about them


def test_records_stay_whichever_rules_are_selected(tmp_path):
    _, undecided, _ = run_pipeline(_write(tmp_path, {"main.tf": UNAVAILABLE}), cwd=str(tmp_path), select=["ECR101"])
    assert sum(u.pointer == MODULE_NOT_ANALYSED for _, u in undecided) == 5


def test_a_modelled_module_is_not_listed(tmp_path):
    _, undecided, _ = run_pipeline(_write(tmp_path, {"main.tf": ECR_CALL}), cwd=str(tmp_path))
    assert not [u for _, u in undecided if u.pointer == MODULE_NOT_ANALYSED]


def _cli(*args, cwd):
    env = {**os.environ, "PYTHONPATH": ROOT}
    return subprocess.run(
        [sys.executable, "-m", "ecrlint", "check", "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )


def test_the_summary_counts_them_without_show_unknown(tmp_path):
    _write(tmp_path, {"main.tf": UNAVAILABLE})
    proc = _cli(".", cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    assert last == "No findings in 1 file; 5 modules not analysed (sources not available)."
    assert "module.consul" not in proc.stdout  # the records themselves only with --show-unknown
    shown = _cli(".", "--show-unknown", cwd=str(tmp_path)).stdout
    summary = json.loads(_cli(".", "--format", "json", cwd=str(tmp_path)).stdout)["summary"]
    assert summary["modules_not_analysed"] == 5 and summary["undecided"] == 0
    assert 'module.consul (source "hashicorp/consul/aws") is not analysed' in shown


# -- models of one's own -------------------------------------------------------------------------
def test_module_models_option_adds_a_model(tmp_path):
    _write(
        tmp_path / "models" / "acme__repo__aws",
        {
            "model.yaml": "source: app.terraform.io/acme/repo/aws\nversions:\n  - {majors: [1], dir: v1}\n",
            "v1/main.tf": 'variable "mutability" { default = "MUTABLE" }\n' + REPO_MODEL_TF,
        },
    )
    _write(
        tmp_path / "repo", {"main.tf": 'module "r" {\n  source = "app.terraform.io/acme/repo/aws"\n  name = "x"\n}\n'}
    )
    without = _cli("repo", cwd=str(tmp_path))
    assert "1 module not analysed" in without.stdout
    proc = _cli("repo", "--module-models", "models", cwd=str(tmp_path))
    assert "ECR101" in proc.stdout and "not analysed" not in proc.stdout
    assert "repo/main.tf:1:1: ECR101" in proc.stdout  # the default: at the call
    # the configuration key does the same
    _write(tmp_path / "repo", {".ecrlint.yaml": "module-models: [../models]\n"})
    assert "ECR101" in _cli("repo", cwd=str(tmp_path)).stdout


def test_a_missing_model_folder_is_a_usage_error(tmp_path):
    proc = _cli(".", "--module-models", "nowhere", cwd=str(tmp_path))
    assert proc.returncode == 2 and "no such module model folder" in proc.stderr


def test_a_broken_model_is_ecr900(tmp_path):
    _write(tmp_path / "models" / "bad", {"model.yaml": "source: acme/bad/aws\nversions: [{majors: [1], dir: v9}]\n"})
    catalog = ModelCatalog((str(tmp_path / "models"),))
    assert [e.message for e in catalog.errors] == [
        f"module model version folder 'v9' does not exist in {tmp_path / 'models' / 'bad'}"
    ]
    _write(tmp_path / "repo", {"main.tf": ECR_CALL})
    options = Options(extra={"module_models": (str(tmp_path / "models"),)})
    findings, _, _ = run_pipeline(str(tmp_path / "repo"), cwd=str(tmp_path), options=options)
    assert [f.span.path for f in _ids(findings, "ECR900")] == [os.path.join("models", "bad", "model.yaml")]


# -- every shipped model is exercised --------------------------------------------------------------
def test_every_shipped_model_has_a_bad_and_a_good_call():
    calls = {"bad": "", "good": ""}
    for path in glob.glob(os.path.join(ROOT, "rules", "*", "*", "tests", "*_registry_module_*")):
        kind = os.path.basename(path).split("_", 1)[0]
        files = [path] if os.path.isfile(path) else glob.glob(os.path.join(path, "**", "*.tf"), recursive=True)
        calls[kind] += "".join(open(f, encoding="utf-8").read() for f in files)
    for model in shipped_models():
        for kind, text in calls.items():
            assert f'"{model.source}"' in text or any(r in text for r in model.repositories), (kind, model.source)
    assert len(shipped_models()) == len(os.listdir(SHIPPED_DIR)) - 1  # every folder but the README


def test_a_null_policy_document_argument_is_omitted(tmp_path):
    """Modules pass optional statement parts as null; Terraform reads null as absent (Allow, no NotAction)."""
    text = """
        data "aws_iam_policy_document" "p" {
          statement {
            sid         = null
            effect      = null
            actions     = ["ecr:BatchGetImage"]
            not_actions = null
            principals {
              type        = "AWS"
              identifiers = ["*"]
            }
          }
        }
        resource "aws_ecr_repository" "r" {
          name                 = "r"
          image_tag_mutability = "IMMUTABLE"
        }
        resource "aws_ecr_repository_policy" "p" {
          repository = aws_ecr_repository.r.name
          policy     = data.aws_iam_policy_document.p.json
        }
    """
    findings, _, _ = run_pipeline(_write(tmp_path, {"main.tf": text}), cwd=str(tmp_path))
    assert _ids(findings, "ECR201")
