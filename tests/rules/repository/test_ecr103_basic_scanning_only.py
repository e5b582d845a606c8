"""ECR103: unit tests of the check (moved from tests/network/test_checks.py)."""

from __future__ import annotations

from ecrlint.model import Model
from ecrlint.model.objects import Repository
from ecrlint.source import Span
from ecrlint.values import known
from tests.network.helpers import CTX, analyse, of_rule, undecided_of
from tests.rules import rule_check


def test_no_scanning_configuration_is_reported_once_per_registry(tmp_path):
    repositories = """
    resource "aws_ecr_repository" "a" { name = "a" }
    resource "aws_ecr_repository" "b" { name = "b" }
    """
    # Account unknown in both roots: one registry as far as can be told, so one finding for the run.
    findings, _, _ = analyse(tmp_path / "x", {"one/main.tf": repositories, "two/main.tf": repositories})
    (absent,) = of_rule(findings, "ECR103")
    assert absent.severity == "low" and absent.span.path == "src/one/main.tf"
    assert "holds 4 repositories" in absent.message
    assert [r["path"] for r in absent.details["repositories"]] == ["src/one/main.tf"] * 2 + ["src/two/main.tf"] * 2

    def provider(account):
        return f'provider "aws" {{\n  region = "eu-west-1"\n  allowed_account_ids = ["{account}"]\n}}\n'

    files = {
        "one/main.tf": provider("111122223333") + repositories,
        "two/main.tf": provider("444455556666") + repositories,
    }
    findings, _, _ = analyse(tmp_path / "y", files)
    absent = of_rule(findings, "ECR103")
    assert [f.span.path for f in absent] == ["src/one/main.tf", "src/two/main.tf"]
    assert "account 111122223333 in eu-west-1" in absent[0].message


def test_a_scanning_configuration_anywhere_in_the_set_counts(tmp_path):
    config = """
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
    """
    findings, _, _ = analyse(
        tmp_path, {"repos/main.tf": 'resource "aws_ecr_repository" "a" { name = "a" }', "registry/main.tf": config}
    )
    assert not of_rule(findings, "ECR103")


def test_cdk_bootstrap_repositories_alone_are_not_reported():
    span = Span("cdk.out/Bootstrap.template.json", 1, 1, 1, 1)
    repo = Repository(address="Resources.ContainerAssetsRepository", span=span, source_format="cdk")
    repo.is_cdk_bootstrap = True
    repo.name = known("cdk-hnb659fds-container-assets", span)
    assert list(rule_check("ECR103")(Model(objects=[repo]), CTX)) == []


def test_scanning_rules_with_conditional_frequency(tmp_path):
    template = """
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Env: {Type: String}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Scanning:
        Type: AWS::ECR::RegistryScanningConfiguration
        Properties:
          ScanType: ENHANCED
          Rules:
            - ScanFrequency: !If [IsProd, CONTINUOUS_SCAN, SCAN_ON_PUSH]
              RepositoryFilters: [{Filter: "*", FilterType: WILDCARD}]
    """
    findings, undecided, _ = analyse(tmp_path, {"stack.yaml": template})
    assert not of_rule(findings, "ECR103")
    assert undecided_of(undecided, "ECR103")
