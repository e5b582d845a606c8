"""The interface of rules written in Python (`check:` in rule.yaml).

A check is `def check(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]`.
It reads the model only, never files, and reports located nodes; helpers below build the
`Match` for a model object so every check names resources the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .findings import Match, Scenario, Undecided
from .model import ModelObject
from .options import Options
from .values import Value


@dataclass
class CheckContext:
    options: Options
    rule_id: str = ""


def match(obj: ModelObject, message: str, value: Value | None = None, pointer: str = "", **kw: Any) -> Match:
    """A match on `obj`, located at `value` when given (else the whole resource)."""
    span = value.span if value is not None else obj.span
    return Match(
        message=message,
        span=span,
        address=obj.address,
        pointer=pointer,
        construct_path=obj.construct_path,
        scenario=scenario_of(obj),
        callers=callers_of(obj),
        **kw,
    )


def undecided(obj: ModelObject, reason: str, value: Value | None = None, pointer: str = "") -> Undecided:
    span = value.span if value is not None else obj.span
    return Undecided(reason=reason, span=span, address=obj.address, pointer=pointer, scenario=scenario_of(obj))


def callers_of(obj: ModelObject) -> tuple[str, ...]:
    """For an object declared inside a Terraform module: the root configuration that calls it."""
    root = obj.extra.get("root")
    return (root,) if root and obj.address.startswith("module.") else ()


def scenario_of(obj: ModelObject) -> Scenario | None:
    """The Terraform scenario (named variable files) an object was evaluated in, if any."""
    name = obj.extra.get("scenario")
    return Scenario(name, tuple(obj.extra["scenarios"])) if name is not None else None
