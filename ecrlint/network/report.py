"""How the network rules name a VPC, its route tables, and what a missing endpoint costs."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Match, Undecided
from ..rule_api import undecided
from .topology import Endpoint, Group, Network

Result = Match | Undecided


NO_TABLES = "the route tables of the subnets that pull images (no route table of this VPC is in the analysed files)"


def vpc_label(group: Group) -> str:
    return f"VPC {group.vpc.label}"


def route_tables_text(group: Group | None) -> str:
    if group is None or not group.route_tables:
        return NO_TABLES
    names = ", ".join(t.address for t in group.route_tables)
    return f"its route table{'s' if len(group.route_tables) > 1 else ''} {names}"


def endpoint_reason(group: Group | None, endpoint: Endpoint) -> str:
    """Why `endpoint` might be what a rule finds missing in `group`'s VPC."""
    if not endpoint.service.decided or endpoint.endpoint_type is None or endpoint.vpc is None:
        return endpoint.why_maybe()
    where = f"VPC {group.vpc.label}" if group is not None else "the same VPC"
    return f"{endpoint.address} is in VPC {endpoint.vpc.label}, which may be {where}"


def undecided_vpcs(network: Network) -> Iterator[Undecided]:
    """ECR endpoints that belong to no group: nothing can be concluded about their VPC."""
    for endpoint in network.endpoints:
        if endpoint.service.is_ecr and endpoint.vpc is None:
            yield undecided(
                endpoint.obj,
                f"the VPC of {endpoint.address} cannot be decided: {endpoint.vpc_reason}",
                endpoint.obj.vpc,
            )
