"""ECR301: unit tests of the check (moved from tests/network/test_checks.py)."""

from __future__ import annotations

from tests.network.helpers import ENDPOINTS, analyse, of_rule, undecided_of


def test_s3_gateway_of_another_vpc_does_not_count(tmp_path):
    extra = """
    resource "aws_vpc" "other" { cidr_block = "10.9.0.0/16" }
    resource "aws_vpc_endpoint" "s3" {
      vpc_id          = aws_vpc.other.id
      service_name    = "com.amazonaws.eu-west-1.s3"
      route_table_ids = ["rtb-0123456789abcdef0"]
    }
    """
    findings, _, _ = analyse(tmp_path, {"main.tf": ENDPOINTS + extra})
    assert len(of_rule(findings, "ECR301")) == 1


def test_s3_gateway_with_undecided_vpc_makes_the_rule_undecided(tmp_path):
    extra = """
    variable "vpc_id" {}
    resource "aws_vpc_endpoint" "s3" {
      vpc_id          = var.vpc_id
      service_name    = "com.amazonaws.eu-west-1.s3"
      route_table_ids = ["rtb-0123456789abcdef0"]
    }
    """
    findings, undecided, _ = analyse(tmp_path, {"main.tf": ENDPOINTS + extra})
    assert not of_rule(findings, "ECR301")
    (reason,) = undecided_of(undecided, "ECR301")
    assert "aws_vpc_endpoint.s3" in reason.reason
