"""The network rules ECR301-ECR304 together: what one VPC layout makes each of them say."""

from __future__ import annotations

from tests.network.helpers import ENDPOINTS

from .helpers import analyse, of_rule, undecided_of


def test_missing_s3_gateway_names_the_vpc_and_its_route_tables(tmp_path):
    findings, _, _ = analyse(tmp_path, {"main.tf": ENDPOINTS})
    (finding,) = of_rule(findings, "ECR301")
    assert "VPC aws_vpc.main" in finding.message
    assert "com.amazonaws.eu-west-1.s3" in finding.message
    assert "aws_route_table.a, aws_route_table.b" in finding.message
    assert not of_rule(findings, "ECR302") and not of_rule(findings, "ECR303")


def test_ecr_endpoint_with_undecided_vpc_is_reported_as_undecided(tmp_path):
    config = """
    variable "vpcs" {}
    resource "aws_vpc_endpoint" "ecr" {
      for_each     = var.vpcs
      vpc_id       = each.value
      service_name = "com.amazonaws.eu-west-1.ecr.dkr"
    }
    """
    findings, undecided, _ = analyse(tmp_path, {"main.tf": config})
    assert not of_rule(findings, "ECR301") and not of_rule(findings, "ECR302")
    assert undecided_of(undecided, "ECR301") and undecided_of(undecided, "ECR302")


def test_vpc_without_ecr_endpoints_is_quiet(tmp_path):
    config = """
    resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
    resource "aws_vpc_endpoint" "s3" {
      vpc_id       = aws_vpc.main.id
      service_name = "com.amazonaws.eu-west-1.s3"
    }
    resource "aws_vpc_endpoint" "logs" {
      vpc_id            = aws_vpc.main.id
      service_name      = "com.amazonaws.eu-west-1.logs"
      vpc_endpoint_type = "Interface"
    }
    """
    findings, undecided, _ = analyse(tmp_path, {"main.tf": config})
    assert not [f for f in findings if f.rule_id.startswith("ECR3")]
    assert not [u for rid, u in undecided if rid.startswith("ECR3")]


def test_gateway_without_route_tables_and_its_association(tmp_path):
    gateway = """
    resource "aws_vpc_endpoint" "s3" {
      vpc_id       = aws_vpc.main.id
      service_name = "com.amazonaws.eu-west-1.s3"
    }
    """
    findings, _, _ = analyse(tmp_path, {"main.tf": ENDPOINTS + gateway})
    (finding,) = of_rule(findings, "ECR304")
    assert finding.address == "aws_vpc_endpoint.s3"
    assert "aws_route_table.a, aws_route_table.b" in finding.message
    assert not of_rule(findings, "ECR301")
    association = """
    resource "aws_vpc_endpoint_route_table_association" "a" {
      vpc_endpoint_id = aws_vpc_endpoint.s3.id
      route_table_id  = aws_route_table.a.id
    }
    """
    findings, _, _ = analyse(tmp_path / "again", {"main.tf": ENDPOINTS + gateway + association})
    assert not of_rule(findings, "ECR304")


def test_undecided_service_in_the_vpc_keeps_ecr302_undecided(tmp_path):
    config = """
    variable "service" {}
    resource "aws_vpc_endpoint" "dkr" {
      vpc_id              = "vpc-0123456789abcdef0"
      service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
      vpc_endpoint_type   = "Interface"
      private_dns_enabled = true
    }
    resource "aws_vpc_endpoint" "other" {
      vpc_id            = "vpc-0123456789abcdef0"
      service_name      = var.service
      vpc_endpoint_type = "Interface"
    }
    """
    findings, undecided, _ = analyse(tmp_path, {"main.tf": config})
    assert not of_rule(findings, "ECR302")
    assert undecided_of(undecided, "ECR302")
    # An Interface endpoint cannot be the S3 gateway, whatever its service turns out to be.
    assert len(of_rule(findings, "ECR301")) == 1
