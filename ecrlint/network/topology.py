"""VPC endpoints and route tables grouped by the VPC they belong to.

An endpoint's VPC is decided, in this order, from:

1. a reference to a VPC of the analysed set (`aws_vpc.main.id`, `!Ref VPC`, `!GetAtt VPC.VpcId`,
   an output of a local module), also when it was read through another resource
   (`aws_subnet.a.vpc_id` keeps the symbolic text `${aws_vpc.main.id}`);
2. a literal id (`vpc-0abc...`), matched to a VPC whose id is known (plan JSON) or kept as is;
3. a reference to something else that names one VPC (`data.aws_vpc.selected.id`): endpoints
   with the same reference share a VPC;
4. the same unresolved expression in the same module instance or template (`var.vpc_id`,
   `!Ref VpcIdParameter`): it has one value there, so those endpoints share a VPC.

An identity is always read within its deployment unit (root configuration or template) and module
instance: `module.vpc.vpc_id` in two roots names two VPCs, never one by its text. A VPC created in
a unit, or the output of a module called by the unit (`module.vpc.vpc_id` of a module whose code
is not analysed), is that unit's own; two units' own VPCs are different VPCs. Only an identity that
may name a VPC from outside its unit (a variable, a data source, a literal id) may be another
unit's VPC.

Anything else leaves the endpoint's VPC undecided: it is never grouped by guess. Rules that
conclude something is *absent* from a VPC first ask whether an endpoint of another group (or of
no group) could be the same VPC (`may_be_same`), and report "undecided" when it could.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Model, ModelObject
from ..model.objects import RouteTable, Vpc, VpcEndpoint, VpcEndpointRouteTableAssociation
from ..relations import unit_of
from ..values import Branches, Unknown, Value
from .services import GATEWAY, S3, Service, endpoint_type_of, service_of

VPC = "vpc"  # a VPC resource of the analysed set
LITERAL = "id"  # a literal VPC id
REFERENCE = "ref"  # a reference to a resource or data source that is not a VPC of the set
EXPRESSION = "expr"  # the same unresolved expression in the same scope

_SINGLE_REFERENCE = re.compile(r"\$\{([^{}]+)\.(?:id|vpc_id|VpcId)\}")
_MODULE_PREFIX = re.compile(r'^((?:module\.[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])?\.)*)')
_UNSTABLE = ("each.", "count.", "self.", "[...]", "${?}", "${...}")
_MODULE_OUTPUT = re.compile(r"\$\{module\.[^{}]+\}|module\..+")


@dataclass(frozen=True)
class VpcIdentity:
    """Which VPC an object belongs to, as far as the configuration says."""

    kind: str  # vpc | id | ref | expr
    key: tuple
    label: str  # how messages name the VPC
    unit: str = ""  # the deployment unit the identity was read in
    vpc: Vpc | None = field(default=None, compare=False, hash=False)
    own: bool = field(default=False, compare=False, hash=False)  # created by its unit (see the module doc)

    @property
    def definite(self) -> bool:
        """Two definite identities that differ are different VPCs."""
        return self.kind in (VPC, LITERAL)


def may_be_same(a: VpcIdentity | None, b: VpcIdentity | None) -> bool | None:
    """True: the same VPC; False: certainly different; None: cannot be decided."""
    if a is not None and b is not None and a == b:
        return True
    if a is None or b is None:
        return None
    if a.unit != b.unit and a.own and b.own:
        return False  # each unit's own VPC: roots do not share what they create
    if not (a.definite and b.definite):
        return None
    if a.kind == b.kind:
        return False  # two VPC resources, or two different literal ids
    # A VPC created here and a literal id: different within one deployment unit; across units
    # the id may have been copied from the other unit's VPC.
    return False if a.unit == b.unit else None


def scope_prefix(obj: ModelObject) -> str:
    """The module instance (Terraform) or nested stack (CloudFormation) an object is declared in."""
    if "Resources." in obj.address:
        return obj.address.rsplit("Resources.", 1)[0]
    m = _MODULE_PREFIX.match(obj.address)
    return m.group(1) if m else ""


def _stable(text: str) -> bool:
    return not any(marker in text for marker in _UNSTABLE)


class _VpcIndex:
    def __init__(self, model: Model):
        self.by_address: dict[str, list[Vpc]] = {}
        self.by_id: dict[str, Vpc] = {}
        for vpc in model.of(Vpc):
            self.by_address.setdefault(vpc.address, []).append(vpc)
            if vpc.vpc_id is not None and vpc.vpc_id.is_known and isinstance(vpc.vpc_id.data, str):
                self.by_id.setdefault(vpc.vpc_id.data, vpc)

    def at(self, address: str, owner: ModelObject) -> Vpc | None:
        found = self.by_address.get(address) or []
        same_unit = [v for v in found if unit_of(v) == unit_of(owner)]
        if len(same_unit) == 1:
            return same_unit[0]
        # A value passed into a nested stack keeps the parent's address.
        return found[0] if len(found) == 1 and not same_unit else None


def vpc_identity(index: _VpcIndex, owner: ModelObject, value: Value | None) -> VpcIdentity | str:
    """The VPC `value` (an object's `vpc_id`/`VpcId`) names, or the reason it cannot be decided."""
    if value is None or value.data is None:
        return "it names no VPC"
    unit = unit_of(owner)
    data = value.data
    if isinstance(data, Branches):
        outcomes = [vpc_identity(index, owner, b.value) for b in data.options]
        first = outcomes[0]
        if all(isinstance(o, VpcIdentity) and o == first for o in outcomes):
            return first
        return "its VPC depends on " + " / ".join(b.condition for b in data.options)
    if value.ref:
        vpc = index.at(value.ref, owner)
        if vpc is not None:
            return _of_vpc(vpc)
    symbolic = data.symbolic if isinstance(data, Unknown) else None
    if symbolic:
        m = _SINGLE_REFERENCE.fullmatch(symbolic)
        if m:
            for address in (scope_prefix(owner) + m.group(1), m.group(1)):
                vpc = index.at(address, owner)
                if vpc is not None:
                    return _of_vpc(vpc)
    if isinstance(data, str):
        vpc = index.by_id.get(data)
        if vpc is not None:
            return _of_vpc(vpc)
        return VpcIdentity(LITERAL, (LITERAL, data), data, unit)
    if not isinstance(data, Unknown):
        return "its VPC id is not text"
    if value.ref:
        own = bool(_MODULE_OUTPUT.fullmatch(value.ref))
        return VpcIdentity(REFERENCE, (REFERENCE, unit, value.ref), symbolic or value.ref, unit, own=own)
    if symbolic and _stable(symbolic):
        own = bool(_MODULE_OUTPUT.fullmatch(symbolic))
        key = (EXPRESSION, unit, scope_prefix(owner), symbolic)
        return VpcIdentity(EXPRESSION, key, symbolic, unit, own=own)
    return f"its VPC cannot be decided ({data.reason})"


def _of_vpc(vpc: Vpc) -> VpcIdentity:
    return VpcIdentity(VPC, (VPC, id(vpc)), vpc.display_name(), unit_of(vpc), vpc, own=True)


# -- the analysed network -------------------------------------------------------------------------


@dataclass(eq=False)
class Endpoint:
    """A VPC endpoint with what the network rules read from it."""

    obj: VpcEndpoint
    service: Service
    endpoint_type: str | None  # Gateway | Interface | ... ; None when undecided
    type_reason: str | None
    vpc: VpcIdentity | None
    vpc_reason: str | None

    @property
    def address(self) -> str:
        return self.obj.address

    @property
    def is_s3_gateway(self) -> bool:
        return self.service.name == S3 and self.endpoint_type == GATEWAY

    def may_be_s3_gateway(self) -> bool:
        return self.service.may_be(S3) and self.endpoint_type in (GATEWAY, None)

    def why_maybe(self) -> str:
        """Why this endpoint could be something the rule looks for, for undecided reports."""
        if not self.service.decided:
            return f"the service of {self.address} cannot be decided ({self.service.reason})"
        if self.endpoint_type is None:
            return f"the type of {self.address} cannot be decided ({self.type_reason})"
        return f"the VPC of {self.address} cannot be decided ({self.vpc_reason or 'it is not resolved'})"


@dataclass(eq=False)
class Group:
    """The endpoints and route tables of one VPC."""

    vpc: VpcIdentity
    endpoints: list[Endpoint] = field(default_factory=list)
    route_tables: list[RouteTable] = field(default_factory=list)

    def services(self) -> set[str]:
        return {e.service.name for e in self.endpoints if e.service.name}

    def ecr_endpoints(self) -> list[Endpoint]:
        return [e for e in self.endpoints if e.service.is_ecr]

    def s3_gateways(self) -> list[Endpoint]:
        return [e for e in self.endpoints if e.is_s3_gateway]


@dataclass(eq=False)
class RouteTableLink:
    """What a `aws_vpc_endpoint_route_table_association` ties, as far as it can be decided."""

    obj: VpcEndpointRouteTableAssociation
    endpoint: VpcEndpoint | None
    reason: str | None  # why the endpoint cannot be decided; None when decided or foreign


@dataclass(eq=False)
class Network:
    endpoints: list[Endpoint]
    groups: list[Group]
    route_tables: list[tuple[RouteTable, VpcIdentity | None]]
    links: list[RouteTableLink]

    def group_of(self, endpoint: Endpoint) -> Group | None:
        for group in self.groups:
            if endpoint in group.endpoints:
                return group
        return None

    def might_be_in(self, group: Group, endpoint: Endpoint) -> bool:
        if endpoint in group.endpoints:
            return True
        return may_be_same(endpoint.vpc, group.vpc) is None

    def links_of(self, endpoint: VpcEndpoint) -> list[RouteTableLink]:
        return [link for link in self.links if link.endpoint is endpoint]

    def undecided_links(self, endpoint: VpcEndpoint) -> list[RouteTableLink]:
        """Associations whose endpoint cannot be decided and that could be `endpoint`'s."""
        return [link for link in self.links if link.reason is not None and unit_of(link.obj) == unit_of(endpoint)]


def _endpoint_reference(
    value: Value | None, owner: ModelObject, by_address: dict[str, list[VpcEndpoint]]
) -> tuple[VpcEndpoint | None, str | None]:
    if value is None or value.data is None:
        return None, "it names no endpoint"
    candidates: list[str] = []
    if value.ref:
        candidates.append(value.ref)
    data = value.data
    if isinstance(data, Unknown) and data.symbolic:
        m = _SINGLE_REFERENCE.fullmatch(data.symbolic)
        if m:
            candidates.extend((scope_prefix(owner) + m.group(1), m.group(1)))
    for address in candidates:
        found = [e for e in by_address.get(address, []) if unit_of(e) == unit_of(owner)]
        if len(found) == 1:
            return found[0], None
    if isinstance(data, str):
        return None, None  # a literal id: an endpoint created outside the analysed files
    return None, value.unknown_reason() or "the endpoint it names cannot be decided"


def build_network(model: Model) -> Network:
    index = _VpcIndex(model)
    endpoints: list[Endpoint] = []
    for obj in model.of(VpcEndpoint):
        identity = vpc_identity(index, obj, obj.vpc)
        kind, type_reason = endpoint_type_of(obj.vpc_endpoint_type)
        endpoints.append(
            Endpoint(
                obj=obj,
                service=service_of(obj.service_name),
                endpoint_type=kind,
                type_reason=type_reason,
                vpc=identity if isinstance(identity, VpcIdentity) else None,
                vpc_reason=identity if isinstance(identity, str) else None,
            )
        )
    groups: dict[VpcIdentity, Group] = {}
    for endpoint in endpoints:
        if endpoint.vpc is not None:
            groups.setdefault(endpoint.vpc, Group(endpoint.vpc)).endpoints.append(endpoint)
    tables: list[tuple[RouteTable, VpcIdentity | None]] = []
    for table in model.of(RouteTable):
        identity = vpc_identity(index, table, table.vpc)
        resolved = identity if isinstance(identity, VpcIdentity) else None
        tables.append((table, resolved))
        if resolved is not None and resolved in groups:
            groups[resolved].route_tables.append(table)
    by_address: dict[str, list[VpcEndpoint]] = {}
    for obj in model.of(VpcEndpoint):
        by_address.setdefault(obj.address, []).append(obj)
    links = []
    for association in model.of(VpcEndpointRouteTableAssociation):
        endpoint, reason = _endpoint_reference(association.vpc_endpoint, association, by_address)
        links.append(RouteTableLink(association, endpoint, reason))
    return Network(endpoints, list(groups.values()), tables, links)


def network_of(model: Model) -> Network:
    """`build_network`, computed once per model for all rules of a run (kept with the model)."""
    return model.derived("network", build_network)


__all__ = [
    "EXPRESSION",
    "LITERAL",
    "REFERENCE",
    "VPC",
    "Endpoint",
    "Group",
    "Network",
    "RouteTableLink",
    "VpcIdentity",
    "build_network",
    "may_be_same",
    "network_of",
    "scope_prefix",
    "vpc_identity",
]
