"""The network checks (ECR301-304) and the scanning and governance checks (ECR103, ECR701) end to end."""

from __future__ import annotations

from ecrlint.model import Model
from ecrlint.model.objects import Repository
from ecrlint.rules_py.scanning import check_basic_scanning_only
from ecrlint.source import Span
from ecrlint.values import known

from .helpers import CTX, analyse, of_rule, undecided_of

ENDPOINTS = """
resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
resource "aws_route_table" "a" { vpc_id = aws_vpc.main.id }
resource "aws_route_table" "b" { vpc_id = aws_vpc.main.id }
resource "aws_vpc_endpoint" "ecr" {
  for_each            = toset(["ecr.api", "ecr.dkr"])
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.eu-west-1.${each.value}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
}
"""


def test_missing_s3_gateway_names_the_vpc_and_its_route_tables(tmp_path):
    findings, _, _ = analyse(tmp_path, {"main.tf": ENDPOINTS})
    (finding,) = of_rule(findings, "ECR301")
    assert "VPC aws_vpc.main" in finding.message
    assert "com.amazonaws.eu-west-1.s3" in finding.message
    assert "aws_route_table.a, aws_route_table.b" in finding.message
    assert not of_rule(findings, "ECR302") and not of_rule(findings, "ECR303")


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


def test_private_dns_branches_name_the_condition(tmp_path):
    template = """
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Env: {Type: String}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Dkr:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: vpc-0123456789abcdef0
          ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.dkr"
          VpcEndpointType: Interface
          PrivateDnsEnabled: !If [IsProd, true, !Ref "AWS::NoValue"]
    """
    findings, _, _ = analyse(tmp_path, {"stack.yaml": template})
    (finding,) = of_rule(findings, "ECR303")
    assert "when Env is not prod" in finding.message


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


# -- ECR103 ---------------------------------------------------------------------------------------


def test_no_scanning_configuration_is_reported_once_per_unit(tmp_path):
    repositories = """
    resource "aws_ecr_repository" "a" { name = "a" }
    resource "aws_ecr_repository" "b" { name = "b" }
    """
    findings, _, _ = analyse(tmp_path, {"one/main.tf": repositories, "two/main.tf": repositories})
    absent = of_rule(findings, "ECR103")
    assert len(absent) == 2 and {f.severity for f in absent} == {"low"}
    assert {f.span.path for f in absent} == {"src/one/main.tf", "src/two/main.tf"}


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
    assert list(check_basic_scanning_only(Model(objects=[repo]), CTX)) == []


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


# -- ECR701 ---------------------------------------------------------------------------------------

RULE = """
resource "aws_config_config_rule" "tags" {
  name = "ecr-private-tag-immutability-enabled"
  source {
    owner             = "AWS"
    source_identifier = "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
  }
}
"""


def _scp(statement: str, kind: str = '"SERVICE_CONTROL_POLICY"') -> str:
    return f"""
    resource "aws_organizations_policy" "guardrail" {{
      name    = "guardrail"
      type    = {kind}
      content = jsonencode({{ Version = "2012-10-17", Statement = [{statement}] }})
    }}
    """


def test_region_guardrail_with_not_action_is_not_a_control(tmp_path):
    statement = """{
      Effect    = "Deny"
      NotAction = ["iam:*", "sts:*"]
      Resource  = "*"
      Condition = { StringNotEquals = { "aws:RequestedRegion" = ["eu-west-1"] } }
    }"""
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + _scp(statement)})
    assert len(of_rule(findings, "ECR701")) == 1


def test_deny_on_ecr_wildcard_is_a_control(tmp_path):
    statement = '{ Effect = "Deny", Action = "ecr:Put*", Resource = "*" }'
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + _scp(statement)})
    assert not of_rule(findings, "ECR701")


def test_tag_policy_is_not_an_scp(tmp_path):
    statement = '{ Effect = "Deny", Action = "ecr:PutImageTagMutability", Resource = "*" }'
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + _scp(statement, '"TAG_POLICY"')})
    assert len(of_rule(findings, "ECR701")) == 1


def test_deny_in_a_policy_of_undecided_type_makes_it_undecided(tmp_path):
    statement = '{ Effect = "Deny", Action = "ecr:PutImageTagMutability", Resource = "*" }'
    config = 'variable "kind" {}\n' + RULE + _scp(statement, "var.kind")
    findings, undecided, _ = analyse(tmp_path, {"main.tf": config})
    assert not of_rule(findings, "ECR701")
    (reason,) = undecided_of(undecided, "ECR701")
    assert "var.kind" in reason.reason


def test_policy_of_undecided_type_without_a_deny_changes_nothing(tmp_path):
    statement = '{ Effect = "Allow", Action = "ecr:DescribeRepositories", Resource = "*" }'
    config = 'variable "kind" {}\n' + RULE + _scp(statement, "var.kind")
    findings, _, _ = analyse(tmp_path, {"main.tf": config})
    assert len(of_rule(findings, "ECR701")) == 1


def test_role_inline_deny_is_a_control(tmp_path):
    role = """
    resource "aws_iam_role" "ci" {
      name               = "ci"
      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
      inline_policy {
        name   = "no-mutability-changes"
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Deny", Action = "ecr:PutImageTagMutability", Resource = "*" }]
        })
      }
    }
    """
    findings, _, _ = analyse(tmp_path, {"main.tf": RULE + role})
    assert not of_rule(findings, "ECR701")
