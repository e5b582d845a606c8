"""ECR503: unit tests of the check (moved from tests/replication/test_replication.py)."""

from __future__ import annotations

from tests.replication.helpers import PROD, replication
from tests.workloads.helpers import run


def test_filter_per_rule(tmp_path):
    found, _ = run(tmp_path / "a", {"main.tf": replication("999988887777", filters=PROD)}, "ECR503")
    assert found == []
    found, _ = run(tmp_path / "b", {"main.tf": replication("999988887777")}, "ECR503")
    assert len(found) == 1 and "999988887777/eu-west-1" in found[0].message
