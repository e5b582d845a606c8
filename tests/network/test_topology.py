"""Grouping endpoints and route tables per VPC: by reference, Ref/GetAtt, literal id or expression."""

from __future__ import annotations

from ecrlint.model.objects import VpcEndpoint
from ecrlint.network import build_network, may_be_same
from ecrlint.network.topology import EXPRESSION, LITERAL, REFERENCE, VPC, VpcIdentity, scope_prefix
from ecrlint.source import Span

from .helpers import analyse

SPAN = Span("main.tf", 1, 1, 1, 1)


def _groups(model):
    network = build_network(model)
    return network, {g.vpc.label: sorted(e.address for e in g.endpoints) for g in network.groups}


def test_terraform_references_direct_and_through_other_resources(tmp_path):
    _, _, model = analyse(
        tmp_path,
        {
            "main.tf": """
            resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
            resource "aws_vpc" "other" { cidr_block = "10.1.0.0/16" }
            resource "aws_subnet" "a" { vpc_id = aws_vpc.main.id }
            resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id }
            resource "aws_vpc_endpoint" "direct" {
              vpc_id       = aws_vpc.main.id
              service_name = "com.amazonaws.us-east-1.ecr.api"
            }
            resource "aws_vpc_endpoint" "via_subnet" {
              vpc_id       = aws_subnet.a.vpc_id
              service_name = "com.amazonaws.us-east-1.ecr.dkr"
            }
            resource "aws_vpc_endpoint" "elsewhere" {
              vpc_id       = aws_vpc.other.id
              service_name = "com.amazonaws.us-east-1.s3"
            }
            """
        },
    )
    network, groups = _groups(model)
    assert groups == {
        "aws_vpc.main": ["aws_vpc_endpoint.direct", "aws_vpc_endpoint.via_subnet"],
        "aws_vpc.other": ["aws_vpc_endpoint.elsewhere"],
    }
    main = next(g for g in network.groups if g.vpc.label == "aws_vpc.main")
    assert main.vpc.kind == VPC and [t.address for t in main.route_tables] == ["aws_route_table.private"]
    other = next(g for g in network.groups if g.vpc.label == "aws_vpc.other")
    assert may_be_same(main.vpc, other.vpc) is False


def test_module_outputs_and_inputs_resolve_to_the_vpc(tmp_path):
    _, _, model = analyse(
        tmp_path,
        {
            "main.tf": """
            module "network" { source = "./network" }
            module "endpoints" {
              source = "./endpoints"
              vpc_id = module.network.vpc_id
            }
            """,
            "network/main.tf": """
            resource "aws_vpc" "this" { cidr_block = "10.0.0.0/16" }
            output "vpc_id" { value = aws_vpc.this.id }
            """,
            "endpoints/main.tf": """
            variable "vpc_id" {}
            resource "aws_vpc_endpoint" "this" {
              for_each     = toset(["ecr.api", "ecr.dkr"])
              vpc_id       = var.vpc_id
              service_name = "com.amazonaws.eu-west-1.${each.key}"
            }
            """,
        },
    )
    _, groups = _groups(model)
    assert groups == {
        "module.network.aws_vpc.this": [
            'module.endpoints.aws_vpc_endpoint.this["ecr.api"]',
            'module.endpoints.aws_vpc_endpoint.this["ecr.dkr"]',
        ]
    }


def test_literal_ids_and_unresolved_expressions(tmp_path):
    _, _, model = analyse(
        tmp_path,
        {
            "main.tf": """
            variable "vpc_id" {}
            data "aws_vpc" "shared" { tags = { Name = "shared" } }
            resource "aws_vpc_endpoint" "a" {
              vpc_id       = "vpc-0123456789abcdef0"
              service_name = "com.amazonaws.eu-west-1.ecr.api"
            }
            resource "aws_vpc_endpoint" "b" {
              vpc_id       = "vpc-0123456789abcdef0"
              service_name = "com.amazonaws.eu-west-1.ecr.dkr"
            }
            resource "aws_vpc_endpoint" "c" {
              vpc_id       = var.vpc_id
              service_name = "com.amazonaws.eu-west-1.ecr.dkr"
            }
            resource "aws_vpc_endpoint" "d" {
              vpc_id       = var.vpc_id
              service_name = "com.amazonaws.eu-west-1.s3"
            }
            resource "aws_vpc_endpoint" "e" {
              vpc_id       = data.aws_vpc.shared.id
              service_name = "com.amazonaws.eu-west-1.s3"
            }
            """
        },
    )
    network, groups = _groups(model)
    assert groups["vpc-0123456789abcdef0"] == ["aws_vpc_endpoint.a", "aws_vpc_endpoint.b"]
    assert groups["${var.vpc_id}"] == ["aws_vpc_endpoint.c", "aws_vpc_endpoint.d"]
    kinds = {g.vpc.label: g.vpc.kind for g in network.groups}
    assert kinds["vpc-0123456789abcdef0"] == LITERAL
    assert kinds["${var.vpc_id}"] == EXPRESSION
    data_group = next(g for g in network.groups if g.vpc.kind == REFERENCE)
    assert [e.address for e in data_group.endpoints] == ["aws_vpc_endpoint.e"]
    literal = next(g for g in network.groups if g.vpc.kind == LITERAL)
    expression = next(g for g in network.groups if g.vpc.kind == EXPRESSION)
    assert may_be_same(literal.vpc, expression.vpc) is None  # var.vpc_id may be that id


def test_unstable_expressions_are_never_grouped(tmp_path):
    _, _, model = analyse(
        tmp_path,
        {
            "main.tf": """
            variable "vpcs" {}
            resource "aws_vpc_endpoint" "per_vpc" {
              for_each     = var.vpcs
              vpc_id       = each.value
              service_name = "com.amazonaws.eu-west-1.ecr.api"
            }
            """
        },
    )
    network = build_network(model)
    assert network.groups == []
    (endpoint,) = network.endpoints
    assert endpoint.vpc is None and endpoint.vpc_reason


def test_cloudformation_ref_getatt_and_parameters(tmp_path):
    _, _, model = analyse(
        tmp_path,
        {
            "stack.yaml": """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              SharedVpc: {Type: "AWS::EC2::VPC::Id"}
            Resources:
              Vpc: {Type: "AWS::EC2::VPC", Properties: {CidrBlock: 10.0.0.0/16}}
              Rt: {Type: "AWS::EC2::RouteTable", Properties: {VpcId: !Ref Vpc}}
              A:
                Type: AWS::EC2::VPCEndpoint
                Properties: {VpcId: !Ref Vpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.api"}
              B:
                Type: AWS::EC2::VPCEndpoint
                Properties: {VpcId: !GetAtt Vpc.VpcId, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.dkr"}
              C:
                Type: AWS::EC2::VPCEndpoint
                Properties: {VpcId: !Ref SharedVpc, ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.dkr"}
            """
        },
    )
    network, groups = _groups(model)
    assert groups == {"Resources.Vpc": ["Resources.A", "Resources.B"], "${SharedVpc}": ["Resources.C"]}
    vpc_group = next(g for g in network.groups if g.vpc.kind == VPC)
    assert [t.address for t in vpc_group.route_tables] == ["Resources.Rt"]


def test_route_table_associations_are_tied_to_their_endpoint(tmp_path):
    _, _, model = analyse(
        tmp_path,
        {
            "main.tf": """
            variable "endpoint_id" {}
            resource "aws_vpc" "main" { cidr_block = "10.0.0.0/16" }
            resource "aws_route_table" "private" { vpc_id = aws_vpc.main.id }
            resource "aws_vpc_endpoint" "s3" {
              vpc_id       = aws_vpc.main.id
              service_name = "com.amazonaws.eu-west-1.s3"
            }
            resource "aws_vpc_endpoint_route_table_association" "tied" {
              vpc_endpoint_id = aws_vpc_endpoint.s3.id
              route_table_id  = aws_route_table.private.id
            }
            resource "aws_vpc_endpoint_route_table_association" "foreign" {
              vpc_endpoint_id = "vpce-0123456789abcdef0"
              route_table_id  = aws_route_table.private.id
            }
            resource "aws_vpc_endpoint_route_table_association" "loose" {
              vpc_endpoint_id = var.endpoint_id
              route_table_id  = aws_route_table.private.id
            }
            """
        },
    )
    network = build_network(model)
    s3 = next(e for e in network.endpoints if e.address == "aws_vpc_endpoint.s3")
    assert s3.is_s3_gateway
    assert [link.obj.address for link in network.links_of(s3.obj)] == ["aws_vpc_endpoint_route_table_association.tied"]
    assert [link.obj.address for link in network.undecided_links(s3.obj)] == [
        "aws_vpc_endpoint_route_table_association.loose"
    ]


def test_identity_comparisons():
    a = VpcIdentity(VPC, (VPC, 1), "aws_vpc.a", "u1")
    b = VpcIdentity(VPC, (VPC, 2), "aws_vpc.b", "u2")
    literal = VpcIdentity(LITERAL, (LITERAL, "vpc-1"), "vpc-1", "u1")
    other_literal = VpcIdentity(LITERAL, (LITERAL, "vpc-2"), "vpc-2", "u2")
    expression = VpcIdentity(EXPRESSION, (EXPRESSION, "u1", "", "${var.vpc_id}"), "${var.vpc_id}", "u1")
    assert may_be_same(a, a) is True
    assert may_be_same(a, b) is False
    assert may_be_same(literal, other_literal) is False
    assert may_be_same(a, literal) is False  # created here and written literally in the same unit
    assert may_be_same(b, literal) is None  # another unit may have copied the id
    assert may_be_same(a, expression) is None
    assert may_be_same(None, a) is None


def test_module_outputs_of_two_roots_are_two_vpcs():
    def module_output(unit):
        key = (EXPRESSION, unit, "", "${module.vpc.vpc_id}")
        return VpcIdentity(EXPRESSION, key, "${module.vpc.vpc_id}", unit, own=True)

    first, second = module_output("roots/a"), module_output("roots/b")
    created = VpcIdentity(VPC, (VPC, 1), "aws_vpc.a", "roots/c", own=True)
    variable = VpcIdentity(EXPRESSION, (EXPRESSION, "roots/b", "", "${var.vpc_id}"), "${var.vpc_id}", "roots/b")
    assert may_be_same(first, second) is False  # same text, different roots
    assert may_be_same(first, created) is False
    assert may_be_same(variable, created) is None  # a variable may name another root's VPC
    assert may_be_same(first, module_output("roots/a")) is True


def test_identity_of_a_module_output_is_its_roots_own(tmp_path):
    text = """
    module "vpc" {
      source = "terraform-aws-modules/vpc/aws"
    }
    resource "aws_vpc_endpoint" "ecr" {
      vpc_id            = module.vpc.vpc_id
      service_name      = "com.amazonaws.eu-west-1.ecr.api"
      vpc_endpoint_type = "Interface"
    }
    """
    _, _, model = analyse(tmp_path, {"a/main.tf": text, "b/main.tf": text})
    network = build_network(model)
    assert len(network.groups) == 2
    assert all(g.vpc.own for g in network.groups)
    first, second = network.groups
    assert may_be_same(first.vpc, second.vpc) is False


def test_scope_prefix():
    def endpoint(address):
        return VpcEndpoint(address=address, span=SPAN, source_format="terraform")

    assert scope_prefix(endpoint('module.a["x.y"].module.b.aws_vpc_endpoint.this["k"]')) == 'module.a["x.y"].module.b.'
    assert scope_prefix(endpoint("aws_vpc_endpoint.this")) == ""
    assert scope_prefix(endpoint("Network/Resources.Endpoint")) == "Network/"


def _plan_endpoint(name: str, service: str, values: dict) -> tuple[dict, dict, dict]:
    address = f"aws_vpc_endpoint.{name}"
    planned = {
        "address": address,
        "mode": "managed",
        "type": "aws_vpc_endpoint",
        "name": name,
        "values": {"service_name": service, **values},
    }
    change = {
        "address": address,
        "mode": "managed",
        "type": "aws_vpc_endpoint",
        "name": name,
        "change": {"actions": ["create"], "after": planned["values"], "after_unknown": {"vpc_id": True}},
    }
    config = {
        "address": address,
        "mode": "managed",
        "type": "aws_vpc_endpoint",
        "name": name,
        "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}},
    }
    return planned, change, config


def test_plan_json_endpoints_group_by_configuration_reference(tmp_path):
    import json

    vpc = {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "values": {}}
    endpoints = [
        _plan_endpoint("api", "com.amazonaws.eu-west-1.ecr.api", {"vpc_endpoint_type": "Interface"}),
        _plan_endpoint("dkr", "com.amazonaws.eu-west-1.ecr.dkr", {"vpc_endpoint_type": "Interface"}),
    ]
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": [vpc, *(p for p, _, _ in endpoints)]}},
        "resource_changes": [c for _, c, _ in endpoints],
        "configuration": {"root_module": {"resources": [c for _, _, c in endpoints]}},
    }
    _, _, model = analyse(tmp_path, {"plan.json": json.dumps(plan, indent=1)})
    _, groups = _groups(model)
    assert groups == {"aws_vpc.main": ["aws_vpc_endpoint.api", "aws_vpc_endpoint.dkr"]}
