"""ECR303 ecr-endpoint-private-dns-disabled: an ECR interface endpoint without private DNS, and no zone that stands in for it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ecrlint.model import Model
from ecrlint.model.objects import DnsRecord
from ecrlint.network.report import Result
from ecrlint.network.services import ECR_API, ECR_DKR
from ecrlint.network.topology import Endpoint, network_of
from ecrlint.relations import same_deployment
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Unknown, Value, when

ABSENT_NOTE = " (attribute absent: AWS default assumed)"


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


def _flag(value: Value | None) -> object:
    """True | False | reason text, for one outcome of a boolean attribute; absent and null are False."""
    if value is None or value.data is None:
        return False
    data = value.data
    if isinstance(data, bool):
        return data
    if isinstance(data, str) and data.lower() in ("true", "false"):
        return data.lower() == "true"
    if isinstance(data, Unknown):
        return data.reason
    return "the value is not a boolean"


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
        outcomes = [(c, _flag(v)) for c, v in value.outcomes()] if value is not None else [((), False)]
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
        yield match(
            endpoint.obj,
            f"{endpoint.address} ({endpoint.service.name}) has private DNS disabled"
            f"{ABSENT_NOTE if absent else ''}{when(*disabled)}: {effect}. Set private DNS enabled",
            value if value is not None and value.data is not None else None,
            pointer="private_dns_enabled",
        )
