"""Values a reviewer settles by reading: instances of resources with `count`, lists that certainly
have members, data sources paired with their user by the same `count` condition."""

from __future__ import annotations

from ..pipeline import run_pipeline
from .test_project import write

NETWORK = """
variable "azs" {{
  default = {azs}
}}
resource "aws_vpc" "v" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_route_table" "private" {{
  count  = var.azs
  vpc_id = aws_vpc.v.id
}}
resource "aws_vpc_endpoint" "s3" {{
  vpc_id            = aws_vpc.v.id
  service_name      = "com.amazonaws.eu-west-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = {tables}
}}
resource "aws_vpc_endpoint" "dkr" {{
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.eu-west-1.ecr.dkr"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}}
resource "aws_vpc_endpoint" "api" {{
  vpc_id              = aws_vpc.v.id
  service_name        = "com.amazonaws.eu-west-1.ecr.api"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}}
"""


def _decisions(tmp_path, azs, tables):
    write(tmp_path, {"main.tf": NETWORK.format(azs=azs, tables=tables)})
    findings, undecided, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    return [f for f in findings if f.rule_id == "ECR304"], [u for r, u in undecided if r == "ECR304"]


def test_a_splat_over_counted_route_tables_has_members(tmp_path):
    for tables in ("aws_route_table.private[*].id", "concat(aws_route_table.private[*].id, [])"):
        findings, undecided = _decisions(tmp_path, 3, tables)
        assert not findings and not undecided, tables


def test_a_splat_over_no_instances_is_empty(tmp_path):
    findings, undecided = _decisions(tmp_path, 0, "aws_route_table.private[*].id")
    assert len(findings) == 1 and not undecided


def test_an_instance_of_a_data_source_with_the_same_count_condition_resolves(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": """
variable "create" { type = bool }
data "aws_iam_policy_document" "pull" {
  count = var.create ? 1 : 0
  statement {
    sid     = "public"
    actions = ["ecr:BatchGetImage"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_ecr_repository" "r" {
  name = "x"
}
resource "aws_ecr_repository_policy" "p" {
  count      = var.create ? 1 : 0
  repository = aws_ecr_repository.r.name
  policy     = data.aws_iam_policy_document.pull[0].json
}
"""
        },
    )
    findings, undecided, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert [f.rule_id for f in findings if f.rule_id == "ECR201"] == ["ECR201"]
    assert not [u for u in undecided if "is not an instance" in u[1].reason]


def test_a_resource_with_unknown_count_is_named_by_count(tmp_path):
    write(
        tmp_path,
        {"main.tf": 'variable "n" {}\nresource "aws_ecr_repository" "r" {\n  count = var.n\n  name = "x"\n}\n'},
    )
    findings, _, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert {f.address for f in findings} == {"aws_ecr_repository.r[count]"}


def test_for_each_over_a_whole_resource_gives_its_instance_keys(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": """
resource "aws_ecr_repository" "r" {
  for_each             = toset(["api", "worker"])
  name                 = each.key
  image_tag_mutability = "IMMUTABLE"
}
resource "aws_ecr_lifecycle_policy" "p" {
  for_each   = aws_ecr_repository.r
  repository = each.key
  policy     = jsonencode({ rules = [{ rulePriority = 1, selection = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 7 }, action = { type = "expire" } }] })
}
"""
        },
    )
    findings, undecided, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert not [f for f in findings if f.rule_id == "ECR107"]
    assert not [u for r, u in undecided if r == "ECR107"]


def test_distinct_keeps_a_principal_known_only_by_its_account_placeholder(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": """
data "aws_caller_identity" "current" {}
locals {
  own = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
}
data "aws_iam_policy_document" "p" {
  statement {
    sid     = "push"
    actions = ["ecr:PutImage"]
    principals {
      type        = "AWS"
      identifiers = distinct(concat([local.own], ["arn:aws:iam::444455556666:root", local.own]))
    }
  }
}
resource "aws_ecr_repository" "r" {
  name = "x"
}
resource "aws_ecr_repository_policy" "p" {
  repository = aws_ecr_repository.r.name
  policy     = data.aws_iam_policy_document.p.json
}
"""
        },
    )
    findings, undecided, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    [write_access] = [f for f in findings if f.rule_id == "ECR202"]
    assert "444455556666" in write_access.message
    assert not [u for r, u in undecided if r in ("ECR201", "ECR202")]


def test_try_falls_through_an_attribute_of_null(tmp_path):
    write(
        tmp_path,
        {
            "main.tf": """
variable "scanning" {
  default = null
}
locals {
  scan = coalesce(try(var.scanning.scan_on_push, null), true)
}
resource "aws_ecr_repository" "r" {
  name                 = "x"
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = local.scan
  }
}
"""
        },
    )
    findings, undecided, _ = run_pipeline(str(tmp_path), cwd=str(tmp_path))
    assert not [f for f in findings if f.rule_id == "ECR102"]
    assert not [u for r, u in undecided if r == "ECR102"]
