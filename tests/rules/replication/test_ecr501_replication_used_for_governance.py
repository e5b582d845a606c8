"""ECR501: unit tests of the check (moved from tests/replication/test_replication.py)."""

from __future__ import annotations

from ecrlint.options import Options
from tests.replication.helpers import SOURCE, replication
from tests.workloads.helpers import run


def test_threshold_is_configurable(tmp_path):
    config = SOURCE + replication("222233334444", "333344445555", "444455556666")
    found, _ = run(tmp_path / "a", {"main.tf": config}, "ECR501")
    assert len(found) == 1 and "3 other accounts (222233334444, 333344445555, 444455556666)" in found[0].message
    assert "aws:PrincipalOrgID" in found[0].message
    found, _ = run(tmp_path / "b", {"main.tf": config}, "ECR501", Options(replication_account_threshold=4))
    assert found == []


def test_own_account_does_not_count(tmp_path):
    config = SOURCE + replication("111122223333", "222233334444", "333344445555")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR501")
    assert found == [] and unsure == []


def test_unknown_source_or_destinations_are_undecided(tmp_path):
    found, unsure = run(
        tmp_path / "a", {"main.tf": replication("222233334444", "333344445555", "444455556666")}, "ECR501"
    )
    assert found == [] and len(unsure) == 1  # one of the three may be the source account itself
    config = 'variable "dr" {}\n' + SOURCE + replication("222233334444", "333344445555", "${var.dr}")
    found, unsure = run(tmp_path / "b", {"main.tf": config}, "ECR501")
    assert found == [] and "not known" in unsure[0].reason
