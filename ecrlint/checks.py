"""The interface of rules written in Python (`check:` in rule.yaml).

A check is `def check(model: Model, ctx: CheckContext) -> Iterable[Match | Undecided]`.
It reads the model only, never files, and reports located nodes; helpers below build the
`Match` for a model object so every check names resources the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .findings import Match, Undecided
from .model import ModelObject
from .values import Value

DEFAULT_INTERNAL_MARKERS = ("internal", "private", "confidential", "proprietary", "corp", "restricted")


@dataclass
class Options:
    """Analysis settings shared by all rules (from the command line and config)."""

    account_id: str | None = None
    internal_markers: tuple[str, ...] = DEFAULT_INTERNAL_MARKERS
    protected_tags: tuple[str, ...] = ("latest",)
    lifecycle_budget: int = 300  # examples per lifecycle property search; fixed, so results never depend on speed
    lifecycle_histories: str = "realistic"  # repository histories ECR402/404 may use: realistic | any
    replication_account_threshold: int = 3
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CheckContext:
    options: Options
    rule_id: str = ""


def match(obj: ModelObject, message: str, value: Value | None = None, pointer: str = "", **kw: Any) -> Match:
    """A match on `obj`, located at `value` when given (else the whole resource)."""
    span = value.span if value is not None else obj.span
    return Match(
        message=message, span=span, address=obj.address, pointer=pointer, construct_path=obj.construct_path, **kw
    )


def undecided(obj: ModelObject, reason: str, value: Value | None = None, pointer: str = "") -> Undecided:
    span = value.span if value is not None else obj.span
    return Undecided(reason=reason, span=span, address=obj.address, pointer=pointer)


def default_note(value: Value | None) -> str:
    """Appended to messages when a value is the AWS default rather than written."""
    return " (attribute absent: AWS default assumed)" if value is not None and value.is_default else ""
