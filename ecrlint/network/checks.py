"""Checks of the network rules ECR301-ECR304 (`check: ecrlint.network.checks:<function>`).

All four read the same grouping of endpoints per VPC (`network_of`). A VPC without any ECR
endpoint is never reported: it may reach ECR through a NAT gateway. A rule that would report
something *missing* from a VPC first looks for endpoints that could fill the gap but could not
be placed (their VPC, service or type is undecided), and reports "undecided" when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..checks import CheckContext, match, undecided
from ..findings import Match, Undecided
from ..graph import same_deployment
from ..model import Model
from ..model.objects import DnsRecord
from ..values import Branches, Unknown, Value
from .services import ECR_API, ECR_DKR, S3
from .topology import Endpoint, Group, Network, network_of

Result = Match | Undecided

ABSENT_NOTE = " (attribute absent: AWS default assumed)"
NO_TABLES = "the route tables of the subnets that pull images (no route table of this VPC is in the analysed files)"


def _vpc_label(group: Group) -> str:
    return f"VPC {group.vpc.label}"


def _tables(group: Group | None) -> str:
    if group is None or not group.route_tables:
        return NO_TABLES
    names = ", ".join(t.address for t in group.route_tables)
    return f"its route table{'s' if len(group.route_tables) > 1 else ''} {names}"


def _why(group: Group | None, endpoint: Endpoint) -> str:
    """Why `endpoint` might be what a rule finds missing in `group`'s VPC."""
    if not endpoint.service.decided or endpoint.endpoint_type is None or endpoint.vpc is None:
        return endpoint.why_maybe()
    where = f"VPC {group.vpc.label}" if group is not None else "the same VPC"
    return f"{endpoint.address} is in VPC {endpoint.vpc.label}, which may be {where}"


def _undecided_vpcs(network: Network) -> Iterator[Undecided]:
    """ECR endpoints that belong to no group: nothing can be concluded about their VPC."""
    for endpoint in network.endpoints:
        if endpoint.service.is_ecr and endpoint.vpc is None:
            yield undecided(
                endpoint.obj,
                f"the VPC of {endpoint.address} cannot be decided: {endpoint.vpc_reason}",
                endpoint.obj.vpc,
            )


def _undecided_services(group: Group) -> Iterator[Undecided]:
    """Endpoints of a VPC without ECR endpoints whose service may be ECR: nothing can be concluded."""
    for endpoint in group.endpoints:
        if not endpoint.service.decided:
            yield undecided(endpoint.obj, endpoint.why_maybe(), endpoint.obj.service_name)


# -- ECR301 ---------------------------------------------------------------------------------------


def check_s3_gateway_endpoint_missing(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR301: a VPC has an ecr.api or ecr.dkr endpoint and no s3 gateway endpoint."""
    network = network_of(model)
    yield from _undecided_vpcs(network)
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
            yield undecided(first.obj, "an s3 gateway endpoint may exist: " + _why(group, candidates[0]))
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
            f"{_vpc_label(group)} has {what} but no s3 gateway endpoint: ECR serves image layers from S3, so image "
            f"pulls in this VPC fail without a NAT path{aside}. Add a Gateway endpoint for "
            f"{first.service.sibling(S3)} associated with {_tables(group)}",
        )


# -- ECR302 ---------------------------------------------------------------------------------------

_MISSING_EFFECT = {
    ECR_API: "docker login (GetAuthorizationToken) and ECR API calls go to api.ecr.{region}.{suffix}",
    ECR_DKR: "image pulls and pushes go to <account>.dkr.ecr.{region}.{suffix}",
}


def check_ecr_interface_endpoint_missing(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR302: a VPC has exactly one of the ecr.api and ecr.dkr endpoints."""
    network = network_of(model)
    yield from _undecided_vpcs(network)
    for group in network.groups:
        ecr = group.ecr_endpoints()
        present = {e.service.name for e in ecr}
        if len(present) != 1:
            continue
        (have,) = present
        missing = ECR_DKR if have == ECR_API else ECR_API
        candidates = [
            e
            for e in network.endpoints
            if (not e.service.decided or e.service.name == missing) and network.might_be_in(group, e)
        ]
        first = ecr[0]
        if candidates:
            yield undecided(first.obj, f"an {missing} endpoint may exist: " + _why(group, candidates[0]))
            continue
        region = first.service.region or "<region>"
        effect = _MISSING_EFFECT[missing].format(region=region, suffix=first.service.dns_suffix)
        yield match(
            first.obj,
            f"{_vpc_label(group)} has an {have} interface endpoint but no {missing} endpoint: {effect} and fail "
            f"without a NAT path. Add an Interface endpoint for {first.service.sibling(missing)} with private DNS "
            "enabled",
        )


# -- ECR303 ---------------------------------------------------------------------------------------

_DNS_EFFECT = {
    ECR_DKR: (
        "image pulls and pushes to <account>.dkr.ecr.{region}.{suffix} do not resolve to the endpoint "
        "(AWS requires private DNS on the ecr.dkr endpoint)"
    ),
    ECR_API: (
        "docker login and ECR API calls to api.ecr.{region}.{suffix} do not resolve to the endpoint unless "
        "every client passes its endpoint URL"
    ),
}


def _flag_outcomes(value: Value | None, conditions: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    """(conditions, True | False | reason text) for a boolean attribute; absent and null are False."""
    if value is None or value.data is None:
        return [(conditions, False)]
    data = value.data
    if isinstance(data, bool):
        return [(conditions, data)]
    if isinstance(data, str) and data.lower() in ("true", "false"):
        return [(conditions, data.lower() == "true")]
    if isinstance(data, Branches):
        found: list[tuple[tuple[str, ...], object]] = []
        for branch in data.options:
            found.extend(_flag_outcomes(branch.value, (*conditions, branch.condition)))
        return found
    if isinstance(data, Unknown):
        return [(conditions, data.reason)]
    return [(conditions, "the value is not a boolean")]


# The names a private hosted zone must answer for the endpoint to stand in for private DNS.
_ECR_NAMES = {
    ECR_API: re.compile(r"^api\.ecr\.", re.IGNORECASE),
    ECR_DKR: re.compile(r"^(?:\*|\d{12}|\$\{[^}]+\})\.dkr\.ecr\.", re.IGNORECASE),
}


def _name_text(value: Value | None) -> str | None:
    if value is None:
        return None
    if isinstance(value.data, str):
        return value.data
    return value.data.symbolic if isinstance(value.data, Unknown) else None


def _zone_alias(endpoint: Endpoint, records: list[DnsRecord]) -> tuple[DnsRecord | None, str | None]:
    """A Route 53 record that points the service's ECR name at this endpoint (private DNS done by hand),
    or why one that points at it cannot be read."""
    for record in same_deployment(records, endpoint.obj):
        if not any(t.ref == endpoint.address for t in record.targets):
            continue
        name = _name_text(record.name)
        if name is None:
            return None, f"{record.address} points at the endpoint, and its name is not known"
        if _ECR_NAMES[endpoint.service.name].match(name):
            return record, None
    return None, None


def check_ecr_endpoint_private_dns_disabled(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR303: an ecr.api or ecr.dkr interface endpoint without private DNS."""
    network = network_of(model)
    records = model.of(DnsRecord)
    for endpoint in network.endpoints:
        if not endpoint.service.is_ecr:
            continue
        alias, why = _zone_alias(endpoint, records)
        if alias is not None:
            continue  # a private hosted zone answers the ECR name with this endpoint: private DNS off on purpose
        if why is not None:
            yield undecided(
                endpoint.obj, f"private DNS may be done by a hosted zone: {why}", None, "private_dns_enabled"
            )
            continue
        value = endpoint.obj.private_dns_enabled
        outcomes = _flag_outcomes(value)
        disabled = [conditions for conditions, state in outcomes if state is False]
        reasons = [state for _, state in outcomes if isinstance(state, str)]
        if not disabled:
            if reasons:
                yield undecided(endpoint.obj, f"private DNS is not known: {reasons[0]}", value, "private_dns_enabled")
            continue
        absent = value is None or value.data is None or value.is_default
        effect = _DNS_EFFECT[endpoint.service.name].format(
            region=endpoint.service.region or "<region>", suffix=endpoint.service.dns_suffix
        )
        when = ""
        if disabled[0]:
            when = " when " + " or ".join(" and ".join(c) for c in disabled)
        yield match(
            endpoint.obj,
            f"{endpoint.address} ({endpoint.service.name}) has private DNS disabled"
            f"{ABSENT_NOTE if absent else ''}{when}: {effect}. Set private DNS enabled",
            value if value is not None and value.data is not None else None,
            pointer="private_dns_enabled",
        )


# -- ECR304 ---------------------------------------------------------------------------------------


def _table_state(value: Value | None) -> str | None:
    """Whether route_table_ids names some route table ("some") or none ("none"); None when undecided."""
    if value is None or value.data is None:
        return "none"
    data = value.data
    if isinstance(data, list):
        return "some" if data else "none"
    if isinstance(data, str):
        return "some" if data else "none"
    if isinstance(data, Branches):
        states = {_table_state(b.value) for b in data.options}
        return states.pop() if len(states) == 1 else None
    return None


def check_s3_gateway_without_route_tables(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR304: the s3 gateway endpoint of a VPC with ECR endpoints has no route table."""
    network = network_of(model)
    for endpoint in network.endpoints:
        if not endpoint.is_s3_gateway:
            continue
        value = endpoint.obj.route_table_ids
        state = _table_state(value)
        if state == "some" or network.links_of(endpoint.obj):
            continue
        group = network.group_of(endpoint)
        has_ecr = group is not None and bool(group.ecr_endpoints())
        maybe_ecr = [
            e
            for e in network.endpoints
            if (e.service.is_ecr or not e.service.decided)
            and e is not endpoint
            and (group is None or network.might_be_in(group, e))
        ]
        if not has_ecr and not maybe_ecr:
            continue
        pointer = "route_table_ids"
        if state is None:
            reason = value.unknown_reason() if value is not None else None
            yield undecided(endpoint.obj, f"its route tables are not known: {reason or 'undecided'}", value, pointer)
            continue
        loose = network.undecided_links(endpoint.obj)
        if loose:
            yield undecided(
                endpoint.obj,
                f"{loose[0].obj.address} associates a route table with an endpoint that cannot be decided "
                f"({loose[0].reason})",
                value,
                pointer,
            )
            continue
        if not has_ecr:
            yield undecided(
                endpoint.obj, "its VPC may have ECR endpoints: " + _why(group, maybe_ecr[0]), value, pointer
            )
            continue
        yield match(
            endpoint.obj,
            f"s3 gateway endpoint {endpoint.address} of {_vpc_label(group)} is associated with no route table: "
            "a gateway endpoint only works through the routes it adds to its route tables, so ECR image layer "
            f"downloads from S3 still need a NAT path. Associate it with {_tables(group)}",
            value if value is not None and value.data is not None else None,
            pointer=pointer,
        )


__all__ = [
    "check_ecr_endpoint_private_dns_disabled",
    "check_ecr_interface_endpoint_missing",
    "check_s3_gateway_endpoint_missing",
    "check_s3_gateway_without_route_tables",
]
