"""ECR304 s3-gateway-without-route-tables: an S3 gateway endpoint associated with no route table."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.model import Model
from ecrlint.network.report import Result, endpoint_reason, route_tables_text, vpc_label
from ecrlint.network.topology import network_of
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Branches, Value


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
                endpoint.obj, "its VPC may have ECR endpoints: " + endpoint_reason(group, maybe_ecr[0]), value, pointer
            )
            continue
        yield match(
            endpoint.obj,
            f"s3 gateway endpoint {endpoint.address} of {vpc_label(group)} is associated with no route table: "
            "a gateway endpoint only works through the routes it adds to its route tables, so ECR image layer "
            f"downloads from S3 still need a NAT path. Associate it with {route_tables_text(group)}",
            value if value is not None and value.data is not None else None,
            pointer=pointer,
        )
