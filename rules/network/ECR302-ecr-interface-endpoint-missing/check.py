"""ECR302 ecr-interface-endpoint-missing: a VPC with ECR endpoints lacks one of ecr.api and ecr.dkr."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.model import Model
from ecrlint.network.report import Result, endpoint_reason, undecided_vpcs, vpc_label
from ecrlint.network.services import ECR_API, ECR_DKR
from ecrlint.network.topology import network_of
from ecrlint.rule_api import CheckContext, match, undecided

_MISSING_EFFECT = {
    ECR_API: "docker login (GetAuthorizationToken) and ECR API calls go to api.ecr.{region}.{suffix}",
    ECR_DKR: "image pulls and pushes go to <account>.dkr.ecr.{region}.{suffix}",
}


def check_ecr_interface_endpoint_missing(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR302: a VPC has exactly one of the ecr.api and ecr.dkr endpoints."""
    network = network_of(model)
    yield from undecided_vpcs(network)
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
            yield undecided(first.obj, f"an {missing} endpoint may exist: " + endpoint_reason(group, candidates[0]))
            continue
        region = first.service.region or "<region>"
        effect = _MISSING_EFFECT[missing].format(region=region, suffix=first.service.dns_suffix)
        yield match(
            first.obj,
            f"{vpc_label(group)} has an {have} interface endpoint but no {missing} endpoint: {effect} and fail "
            f"without a NAT path. Add an Interface endpoint for {first.service.sibling(missing)} with private DNS "
            "enabled",
        )
