"""Which AWS service a VPC endpoint reaches, read from its service name however it is built.

AWS service endpoints are named `com.amazonaws.<region>.<service>` (`cn.com.amazonaws.` in the
China Regions for some services). Configurations rarely write the region literally: it comes
from `var.region`, `data.aws_region`, `${AWS::Region}` in `Fn::Sub`/`Fn::Join`, or a
`data "aws_vpc_endpoint_service"` lookup. Those values are unknown, but their symbolic text keeps
the known parts (`com.amazonaws.${var.region}.ecr.dkr`), and the service suffix is all the
network rules need. A name whose service part itself is undecided stays undecided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..values import Branches, Unknown, Value

ECR_API = "ecr.api"
ECR_DKR = "ecr.dkr"
S3 = "s3"
ECR_SERVICES = (ECR_API, ECR_DKR)

GATEWAY = "Gateway"
INTERFACE = "Interface"

_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
_REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+")
_TOKEN = "\x00{}\x00"
_TOKEN_RE = re.compile(r"\x00(\d+)\x00")
_NAME = re.compile(r"(?:cn\.)?com\.amazonaws\.(?P<region>[^.]+)\.(?P<service>.+)")


@dataclass(frozen=True)
class Service:
    """What a service name says: `name` is the service suffix (`ecr.dkr`, `s3`, `logs`, ...).

    `name` is None when the service cannot be decided (`reason` says why), and "" when the
    endpoint names no AWS service (a partner or private endpoint service, a resource or service
    network endpoint). `region` is the region part as written, possibly symbolic (`${var.region}`).
    """

    name: str | None
    region: str | None = None
    text: str | None = None
    reason: str | None = None

    @property
    def decided(self) -> bool:
        return self.name is not None

    @property
    def is_ecr(self) -> bool:
        return self.name in ECR_SERVICES

    def may_be(self, service: str) -> bool:
        return self.name is None or self.name == service

    @property
    def dns_suffix(self) -> str:
        """The domain of the service's host names: `amazonaws.com.cn` in the China Regions."""
        china = (self.text or "").startswith("cn.") or (self.region or "").startswith("cn-")
        return "amazonaws.com.cn" if china else "amazonaws.com"

    def sibling(self, service: str) -> str:
        """The name of another service in the same region, spelled like this one."""
        region = self.region or "<region>"
        prefix = "cn.com.amazonaws." if (self.text or "").startswith("cn.") else "com.amazonaws."
        return f"{prefix}{region}.{service}"


def parse_service_name(text: str) -> Service:
    """Recognise a service name's text; `${...}` parts are kept as written and may stand for the region."""
    placeholders: list[str] = []

    def hide(m: re.Match) -> str:
        placeholders.append(m.group(0))
        return _TOKEN.format(len(placeholders) - 1)

    hidden = _PLACEHOLDER.sub(hide, text.strip())

    def show(part: str) -> str:
        return _TOKEN_RE.sub(lambda m: placeholders[int(m.group(1))], part)

    m = _NAME.fullmatch(hidden)
    if m is None:
        if placeholders:
            return Service(None, text=text, reason=f"the service name {text} is not known")
        return Service("", text=text)
    region, service = m.group("region"), m.group("service")
    if _TOKEN_RE.search(service):
        return Service(None, show(region), text, f"the service part of {text} is not known")
    region_is_token = _TOKEN_RE.fullmatch(region) is not None
    if not region_is_token and not _REGION.fullmatch(region):
        return Service("", text=text)  # e.g. com.amazonaws.vpce.<region>.vpce-svc-...: an endpoint service
    return Service(service.lower(), show(region), text)


def service_of(value: Value | None) -> Service:
    """The service an endpoint's `service_name` value names."""
    if value is None:
        return Service("")
    data = value.data
    if data is None:
        return Service("")
    if isinstance(data, str):
        return parse_service_name(data)
    if isinstance(data, Unknown):
        if data.symbolic:
            service = parse_service_name(data.symbolic)
            if service.name is None and service.reason is not None:
                return Service(None, service.region, service.text, f"{service.reason} ({data.reason})")
            return service
        return Service(None, reason=data.reason)
    if isinstance(data, Branches):
        outcomes = [service_of(b.value) for b in data.options]
        names = {o.name for o in outcomes}
        if len(names) == 1 and None not in names:
            return outcomes[0]
        conditions = " / ".join(b.condition for b in data.options)
        return Service(None, reason=f"the service name depends on {conditions}")
    return Service(None, reason="the service name is not text")


def endpoint_type_of(value: Value | None) -> tuple[str | None, str | None]:
    """(`Gateway` | `Interface` | other type as written, None) or (None, reason when undecided).

    Absent (or null) is `Gateway`, the default of both the EC2 API and the Terraform provider.
    """
    if value is None or value.data is None:
        return GATEWAY, None
    data = value.data
    if isinstance(data, str):
        for canonical in (GATEWAY, INTERFACE):
            if data.lower() == canonical.lower():
                return canonical, None
        return data, None
    if isinstance(data, Branches):
        outcomes = [endpoint_type_of(b.value) for b in data.options]
        kinds = {o[0] for o in outcomes}
        if len(kinds) == 1 and None not in kinds:
            return outcomes[0]
        conditions = " / ".join(b.condition for b in data.options)
        return None, f"the endpoint type depends on {conditions}"
    return None, value.unknown_reason() or "the endpoint type is not known"


__all__ = [
    "ECR_API",
    "ECR_DKR",
    "ECR_SERVICES",
    "GATEWAY",
    "INTERFACE",
    "S3",
    "Service",
    "endpoint_type_of",
    "parse_service_name",
    "service_of",
]
