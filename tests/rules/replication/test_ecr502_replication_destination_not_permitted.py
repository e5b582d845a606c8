"""ECR502: unit tests of the check (moved from tests/replication/test_replication.py)."""

from __future__ import annotations

from tests.replication.helpers import PROD, SOURCE, dest, registry_policy, replication
from tests.workloads.helpers import run

SOURCE_ROOT = 'Principal = { AWS = "arn:aws:iam::111122223333:root" }'


def test_conditions_and_unknown_source_are_undecided(tmp_path):
    statement = (
        '{ Principal = "*", Action = ["ecr:ReplicateImage", "ecr:CreateRepository"], '
        'Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123def4" } } }'
    )
    found, unsure = dest(tmp_path / "a", statement)
    assert found == [] and len(unsure) == 1
    config = replication("222233334444", filters=PROD) + registry_policy(
        '{ Principal = { AWS = "arn:aws:iam::333344445555:root" }, Action = "ecr:ReplicateImage" }'
    )
    found, unsure = run(tmp_path / "b", {"main.tf": config}, "ECR502")
    assert found == [] and "source account" in unsure[0].reason


def test_destination_without_policy_in_the_set_is_not_judged(tmp_path):
    config = (
        SOURCE
        + replication("222233334444", filters=PROD)
        + registry_policy(
            '{ Principal = { AWS = "arn:aws:iam::333344445555:root" }, Action = "ecr:ReplicateImage" }',
            "arn:aws:ecr:eu-west-1:555566667777:repository/*",
        )
    )
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR502")
    assert found == [] and unsure == []


def test_allowed_source_is_quiet(tmp_path):
    statement = f'{{ {SOURCE_ROOT}, Action = ["ecr:ReplicateImage", "ecr:CreateRepository"] }}'
    found, unsure = dest(tmp_path, statement)
    assert found == [] and unsure == []


def test_missing_create_repository_is_low(tmp_path):
    found, _ = dest(tmp_path, f'{{ {SOURCE_ROOT}, Action = "ecr:ReplicateImage" }}')
    assert len(found) == 1 and found[0].severity == "low" and "ecr:CreateRepository" in found[0].message


def test_resource_prefix_must_reach_the_filter(tmp_path):
    statement = f'{{ {SOURCE_ROOT}, Action = ["ecr:ReplicateImage", "ecr:CreateRepository"] }}'
    found, _ = dest(tmp_path / "a", statement, resource="arn:aws:ecr:eu-west-1:222233334444:repository/dev/*")
    assert len(found) == 1 and found[0].severity == "high" and 'starting with "prod"' in found[0].message
    found, _ = dest(tmp_path / "b", statement, resource="arn:aws:ecr:eu-west-1:222233334444:repository/pr*")
    assert found == []
