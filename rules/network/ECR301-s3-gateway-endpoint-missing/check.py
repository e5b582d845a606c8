"""ECR301 s3-gateway-endpoint-missing: a VPC that pulls images through interface endpoints has no S3 gateway endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Undecided
from ecrlint.model import Model
from ecrlint.network.report import Result, endpoint_reason, route_tables_text, undecided_vpcs, vpc_label
from ecrlint.network.services import S3
from ecrlint.network.topology import Group, network_of
from ecrlint.rule_api import CheckContext, match, undecided


def _undecided_services(group: Group) -> Iterator[Undecided]:
    """Endpoints of a VPC without ECR endpoints whose service may be ECR: nothing can be concluded."""
    for endpoint in group.endpoints:
        if not endpoint.service.decided:
            yield undecided(endpoint.obj, endpoint.why_maybe(), endpoint.obj.service_name)


def check_s3_gateway_endpoint_missing(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR301: a VPC has an ecr.api or ecr.dkr endpoint and no s3 gateway endpoint."""
    network = network_of(model)
    yield from undecided_vpcs(network)
    for group in network.groups:
        if group.s3_gateways():
            continue
        ecr = group.ecr_endpoints()
        if not ecr:
            yield from _undecided_services(group)
            continue
        candidates = [e for e in network.endpoints if e.may_be_s3_gateway() and network.might_be_in(group, e)]
        first = ecr[0]
        if candidates:
            yield undecided(first.obj, "an s3 gateway endpoint may exist: " + endpoint_reason(group, candidates[0]))
            continue
        services = sorted({e.service.name for e in ecr})
        what = (
            f"an {services[0]} interface endpoint"
            if len(services) == 1
            else f"ECR interface endpoints ({', '.join(services)})"
        )
        interface = [e for e in group.endpoints if e.service.name == S3 and not e.is_s3_gateway]
        aside = (
            f"; {interface[0].address} is an s3 {interface[0].endpoint_type} endpoint, not a gateway"
            if interface
            else ""
        )
        yield match(
            first.obj,
            f"{vpc_label(group)} has {what} but no s3 gateway endpoint: ECR serves image layers from S3, so image "
            f"pulls in this VPC fail without a NAT path{aside}. Add a Gateway endpoint for "
            f"{first.service.sibling(S3)} associated with {route_tables_text(group)}",
        )
