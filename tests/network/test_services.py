"""Service recognition from endpoint service names, however they are built."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecrlint.network.services import (
    GATEWAY,
    INTERFACE,
    Service,
    endpoint_type_of,
    parse_service_name,
    service_of,
)
from ecrlint.source import Span
from ecrlint.values import Branch, Branches, Value, known, unknown

SPAN = Span("main.tf", 1, 1, 1, 1)


@pytest.mark.parametrize(
    "text,name,region",
    [
        ("com.amazonaws.eu-west-1.ecr.dkr", "ecr.dkr", "eu-west-1"),
        ("com.amazonaws.us-gov-west-1.ecr.api", "ecr.api", "us-gov-west-1"),
        ("com.amazonaws.ap-southeast-2.s3", "s3", "ap-southeast-2"),
        ("cn.com.amazonaws.cn-north-1.ecr.api", "ecr.api", "cn-north-1"),
        ("com.amazonaws.cn-northwest-1.ecr.dkr", "ecr.dkr", "cn-northwest-1"),
        ("com.amazonaws.${var.region}.ecr.dkr", "ecr.dkr", "${var.region}"),
        ("com.amazonaws.${data.aws_region.current.name}.ecr.api", "ecr.api", "${data.aws_region.current.name}"),
        ("com.amazonaws.${region}.s3", "s3", "${region}"),
        ("com.amazonaws.${AWS::Region}.ecr.dkr", "ecr.dkr", "${AWS::Region}"),
        ("com.amazonaws.us-east-1.logs", "logs", "us-east-1"),
        ("com.amazonaws.us-east-1.s3-global.accesspoint", "s3-global.accesspoint", "us-east-1"),
        ("COM.AMAZONAWS.EU-WEST-1.ECR.DKR", None, None),
    ],
)
def test_names(text, name, region):
    service = parse_service_name(text)
    if name is None:
        assert service.name == ""  # not an AWS service name as written (names are lower case)
        return
    assert service.name == name
    assert service.region == region


@pytest.mark.parametrize(
    "text",
    [
        "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",  # a PrivateLink endpoint service
        "example.com",
        "",
    ],
)
def test_not_aws_services(text):
    assert parse_service_name(text) == Service("", text=text)


@pytest.mark.parametrize(
    "text",
    [
        "com.amazonaws.us-east-1.${var.service}",
        "com.amazonaws.${var.region}.${each.value}",
        "${var.service_name}",
        "${data.aws_vpc_endpoint_service.s3.service_name}",
    ],
)
def test_undecided_service_part(text):
    service = parse_service_name(text)
    assert service.name is None and service.reason
    assert service.may_be("s3") and service.may_be("ecr.api")


def test_values_known_unknown_and_branches():
    assert service_of(known("com.amazonaws.us-east-1.ecr.api", SPAN)).name == "ecr.api"
    symbolic = unknown("var.region has no value", SPAN, symbolic="com.amazonaws.${var.region}.ecr.dkr")
    assert service_of(symbolic).name == "ecr.dkr"
    assert service_of(unknown("known after apply", SPAN)).name is None
    assert service_of(None).name == ""  # a resource or service-network endpoint
    same = Value(
        Branches(
            (
                Branch("IsProd is true", known("com.amazonaws.us-east-1.ecr.dkr", SPAN)),
                Branch("IsProd is false", known("com.amazonaws.eu-west-1.ecr.dkr", SPAN)),
            )
        ),
        SPAN,
    )
    assert service_of(same).name == "ecr.dkr"
    differ = Value(
        Branches(
            (
                Branch("IsProd is true", known("com.amazonaws.us-east-1.ecr.dkr", SPAN)),
                Branch("IsProd is false", known("com.amazonaws.us-east-1.s3", SPAN)),
            )
        ),
        SPAN,
    )
    assert service_of(differ).name is None


def test_sibling_names_keep_the_spelling():
    assert parse_service_name("com.amazonaws.${var.region}.ecr.dkr").sibling("s3") == "com.amazonaws.${var.region}.s3"
    china = parse_service_name("cn.com.amazonaws.cn-north-1.ecr.api")
    assert china.sibling("ecr.dkr") == "cn.com.amazonaws.cn-north-1.ecr.dkr"
    assert china.dns_suffix == "amazonaws.com.cn"
    assert parse_service_name("com.amazonaws.eu-west-1.ecr.api").dns_suffix == "amazonaws.com"


def test_endpoint_types():
    assert endpoint_type_of(None) == (GATEWAY, None)  # the AWS default
    assert endpoint_type_of(known(None, SPAN)) == (GATEWAY, None)  # null in Terraform
    assert endpoint_type_of(known("interface", SPAN)) == (INTERFACE, None)
    assert endpoint_type_of(known("GatewayLoadBalancer", SPAN)) == ("GatewayLoadBalancer", None)
    kind, reason = endpoint_type_of(unknown("var.type has no value", SPAN))
    assert kind is None and "var.type" in reason


_regions = st.sampled_from(["us-east-1", "eu-central-2", "ap-northeast-3", "${var.region}", "${AWS::Region}"])
_services = st.sampled_from(["ecr.api", "ecr.dkr", "s3", "logs", "ecs-agent", "sts"])


@settings(max_examples=60, deadline=None)
@given(region=_regions, service=_services, china=st.booleans())
def test_any_region_spelling_keeps_the_service(region, service, china):
    text = f"{'cn.' if china else ''}com.amazonaws.{region}.{service}"
    parsed = parse_service_name(text)
    assert parsed.name == service
    assert parsed.region == region
    assert parse_service_name(parsed.sibling(service)) == parsed
