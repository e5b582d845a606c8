"""Replication rules ECR501-ECR503 and the registry policy reading behind ECR502."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.checks import Options
from ecrlint.iam.arns import glob_match
from ecrlint.replication.registries import could_start_with

from ..workloads.helpers import run

SOURCE = """
provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}
"""


def _replication(*accounts: str, filters: str = "") -> str:
    destinations = "\n".join(
        f'      destination {{\n        region      = "eu-west-1"\n        registry_id = "{a}"\n      }}'
        for a in accounts
    )
    return f"""
resource "aws_ecr_replication_configuration" "r" {{
  replication_configuration {{
    rule {{
{destinations}
{filters}
    }}
  }}
}}
"""


PROD = 'repository_filter {\n  filter      = "prod"\n  filter_type = "PREFIX_MATCH"\n}'


def _registry_policy(statement: str, resource: str = "arn:aws:ecr:eu-west-1:222233334444:repository/*") -> str:
    return f"""
resource "aws_ecr_registry_policy" "dest" {{
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [merge({statement}, {{ Effect = "Allow", Resource = "{resource}" }})]
  }})
}}
"""


# -- ECR501 ----------------------------------------------------------------------------------------------


def test_threshold_is_configurable(tmp_path):
    config = SOURCE + _replication("222233334444", "333344445555", "444455556666")
    found, _ = run(tmp_path / "a", {"main.tf": config}, "ECR501")
    assert len(found) == 1 and "3 other accounts (222233334444, 333344445555, 444455556666)" in found[0].message
    assert "aws:PrincipalOrgID" in found[0].message
    found, _ = run(tmp_path / "b", {"main.tf": config}, "ECR501", Options(replication_account_threshold=4))
    assert found == []


def test_own_account_does_not_count(tmp_path):
    config = SOURCE + _replication("111122223333", "222233334444", "333344445555")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR501")
    assert found == [] and unsure == []


def test_unknown_source_or_destinations_are_undecided(tmp_path):
    found, unsure = run(
        tmp_path / "a", {"main.tf": _replication("222233334444", "333344445555", "444455556666")}, "ECR501"
    )
    assert found == [] and len(unsure) == 1  # one of the three may be the source account itself
    config = 'variable "dr" {}\n' + SOURCE + _replication("222233334444", "333344445555", "${var.dr}")
    found, unsure = run(tmp_path / "b", {"main.tf": config}, "ECR501")
    assert found == [] and "not known" in unsure[0].reason


# -- ECR503 ----------------------------------------------------------------------------------------------


def test_filter_per_rule(tmp_path):
    found, _ = run(tmp_path / "a", {"main.tf": _replication("999988887777", filters=PROD)}, "ECR503")
    assert found == []
    found, _ = run(tmp_path / "b", {"main.tf": _replication("999988887777")}, "ECR503")
    assert len(found) == 1 and "999988887777/eu-west-1" in found[0].message


# -- ECR502 ----------------------------------------------------------------------------------------------


def _dest(tmp_path, statement: str, filters: str = PROD, resource: str | None = None, options=None):
    policy = _registry_policy(statement, resource) if resource else _registry_policy(statement)
    config = SOURCE + _replication("222233334444", filters=filters) + policy
    return run(tmp_path, {"main.tf": config}, "ECR502", options)


SOURCE_ROOT = 'Principal = { AWS = "arn:aws:iam::111122223333:root" }'


def test_allowed_source_is_quiet(tmp_path):
    statement = f'{{ {SOURCE_ROOT}, Action = ["ecr:ReplicateImage", "ecr:CreateRepository"] }}'
    found, unsure = _dest(tmp_path, statement)
    assert found == [] and unsure == []


def test_missing_create_repository_is_low(tmp_path):
    found, _ = _dest(tmp_path, f'{{ {SOURCE_ROOT}, Action = "ecr:ReplicateImage" }}')
    assert len(found) == 1 and found[0].severity == "low" and "ecr:CreateRepository" in found[0].message


def test_resource_prefix_must_reach_the_filter(tmp_path):
    statement = f'{{ {SOURCE_ROOT}, Action = ["ecr:ReplicateImage", "ecr:CreateRepository"] }}'
    found, _ = _dest(tmp_path / "a", statement, resource="arn:aws:ecr:eu-west-1:222233334444:repository/dev/*")
    assert len(found) == 1 and found[0].severity == "high" and 'starting with "prod"' in found[0].message
    found, _ = _dest(tmp_path / "b", statement, resource="arn:aws:ecr:eu-west-1:222233334444:repository/pr*")
    assert found == []


def test_conditions_and_unknown_source_are_undecided(tmp_path):
    statement = (
        '{ Principal = "*", Action = ["ecr:ReplicateImage", "ecr:CreateRepository"], '
        'Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123def4" } } }'
    )
    found, unsure = _dest(tmp_path / "a", statement)
    assert found == [] and len(unsure) == 1
    config = _replication("222233334444", filters=PROD) + _registry_policy(
        '{ Principal = { AWS = "arn:aws:iam::333344445555:root" }, Action = "ecr:ReplicateImage" }'
    )
    found, unsure = run(tmp_path / "b", {"main.tf": config}, "ECR502")
    assert found == [] and "source account" in unsure[0].reason


def test_destination_without_policy_in_the_set_is_not_judged(tmp_path):
    config = (
        SOURCE
        + _replication("222233334444", filters=PROD)
        + _registry_policy(
            '{ Principal = { AWS = "arn:aws:iam::333344445555:root" }, Action = "ecr:ReplicateImage" }',
            "arn:aws:ecr:eu-west-1:555566667777:repository/*",
        )
    )
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR502")
    assert found == [] and unsure == []


@pytest.mark.parametrize(
    "pattern,prefix,expected",
    [
        ("repository/*", "repository/prod", True),
        ("repository/prod*", "repository/prod", True),
        ("repository/prod-*", "repository/prod", True),
        ("repository/prod-*", "repository/pr", True),
        ("repository/dev/*", "repository/prod", False),
        ("repository/p?od", "repository/prod", True),
        ("repository/p?od", "repository/prodx", False),
        ("repository/*/api", "repository/team/", True),
        ("repository/", "repository/x", False),
    ],
)
def test_could_start_with(pattern, prefix, expected):
    assert could_start_with(pattern, prefix) is expected


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.text("ab*?", max_size=6), st.text("ab", max_size=4))
def test_could_start_with_agrees_with_brute_force(pattern, prefix):
    suffixes = [""] + ["".join(p) for n in range(1, len(pattern) + 1) for p in itertools.product("ab", repeat=n)]
    expected = any(glob_match(pattern, prefix + s) for s in suffixes)
    assert could_start_with(pattern, prefix) is expected
