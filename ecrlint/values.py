"""Located values: what parsers and resolvers hand to the model.

A `Value` is a piece of data together with where it was written (`span`) and how it was
decided (`provenance`). Containers hold `Value`s, so every element of a policy document
keeps its own location. A value that could not be decided holds an `Unknown` with the
reason; a value that depends on a condition holds `Branches`, one per outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from .source import Span

# The deploying account, Region and partition as symbolic text (`Unknown.symbolic`). Each stands for
# one value, the stack's or provider's own: CloudFormation's pseudo parameters, and what Terraform's
# aws_caller_identity / aws_region / aws_partition data sources read as. Readers may take two
# occurrences to be the same value, and the account to be the owner's.
DEPLOYING_ACCOUNT = "${AWS::AccountId}"
DEPLOYING_REGION = "${AWS::Region}"
DEPLOYING_PARTITION = "${AWS::Partition}"


class Provenance(str, Enum):
    EXPLICIT = "explicit"  # written in source, possibly through variables and templates
    DEFAULT = "default"  # the AWS default for an absent attribute
    UNRESOLVED = "unresolved"  # could not be decided statically


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value ecrlint cannot decide. `symbolic` keeps the known parts, e.g. `com.amazonaws.${var.region}.ecr.dkr`."""

    reason: str
    symbolic: str | None = None

    def __str__(self) -> str:
        return self.symbolic if self.symbolic is not None else f"<unknown: {self.reason}>"


@dataclass(frozen=True, slots=True)
class Branch:
    condition: str  # human wording, e.g. "condition IsProd is false"
    value: Value


@dataclass(frozen=True, slots=True)
class Branches:
    """A value chosen by a condition that could not be decided: one entry per outcome."""

    options: tuple[Branch, ...]


@dataclass(frozen=True, slots=True, eq=False)
class Value:
    data: Any  # None | bool | int | float | str | list[Value] | dict[str, Value] | Unknown | Branches
    span: Span
    provenance: Provenance = Provenance.EXPLICIT
    trace: tuple[str, ...] = field(default=())  # how it was resolved, outermost first
    ref: str | None = None  # the resource address this value was read from, if any
    # For a str that is the verbatim text of a region of `span.path` starting on line
    # `text_line_offset + 1`, column 1 (a heredoc body, a file read by file()): JSON parsed
    # from it gets exact positions.
    text_line_offset: int | None = None

    # -- kinds -------------------------------------------------------------------------
    @property
    def is_unknown(self) -> bool:
        return isinstance(self.data, Unknown)

    @property
    def is_branches(self) -> bool:
        return isinstance(self.data, Branches)

    @property
    def is_known(self) -> bool:
        return not isinstance(self.data, (Unknown, Branches))

    @property
    def is_default(self) -> bool:
        return self.provenance is Provenance.DEFAULT

    @property
    def is_map(self) -> bool:
        return isinstance(self.data, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.data, list)

    @property
    def is_str(self) -> bool:
        return isinstance(self.data, str)

    # -- access ------------------------------------------------------------------------
    def get(self, key: str) -> Value | None:
        if isinstance(self.data, dict):
            return self.data.get(key)
        return None

    def get_ci(self, key: str) -> Value | None:
        """Map lookup ignoring case, as IAM and CloudFormation keys are often written."""
        if isinstance(self.data, dict):
            if key in self.data:
                return self.data[key]
            lowered = key.lower()
            for k, v in self.data.items():
                if k.lower() == lowered:
                    return v
        return None

    def items(self) -> Iterator[tuple[str, Value]]:
        if isinstance(self.data, dict):
            yield from self.data.items()

    def elements(self) -> list[Value]:
        """The elements of a list, or this value alone: IAM accepts a string where a list is expected."""
        if isinstance(self.data, list):
            return list(self.data)
        return [self]

    def plain(self) -> Any:
        """The data as plain Python, with `Unknown`/`Branches` left in place where undecided."""
        data = self.data
        if isinstance(data, dict):
            return {k: v.plain() for k, v in data.items()}
        if isinstance(data, list):
            return [v.plain() for v in data]
        return data

    def fully_known(self) -> bool:
        data = self.data
        if isinstance(data, dict):
            return all(v is None or v.fully_known() for v in data.values())
        if isinstance(data, list):
            return all(v is None or v.fully_known() for v in data)
        return not isinstance(data, (Unknown, Branches))

    def unknown_reason(self) -> str | None:
        """The first reason anything inside this value is undecided, or None."""
        data = self.data
        if isinstance(data, Unknown):
            return data.reason
        if isinstance(data, Branches):
            return "depends on " + " / ".join(b.condition for b in data.options)
        children = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
        for child in children:
            if child is None:
                continue  # an attribute the model records as absent
            reason = child.unknown_reason()
            if reason:
                return reason
        return None

    def text(self) -> str:
        """A short human rendering, used in messages."""
        data = self.data
        if isinstance(data, Unknown):
            return str(data)
        if isinstance(data, bool):
            return "true" if data else "false"
        if data is None:
            return "null"
        if isinstance(data, (dict, list)):
            import json

            return json.dumps(to_json(self), sort_keys=True)
        return str(data)

    def outcomes(self) -> list[tuple[tuple[str, ...], Value]]:
        """Each value this one can take, with the branch conditions it is taken under: `((), self)`
        for a value without branches. Nested branches are followed, so an option that is itself
        conditional gives one outcome per inner option, under both conditions. Every rule
        enumerates branches this way and names them with `when`."""
        if not isinstance(self.data, Branches):
            return [((), self)]
        found: list[tuple[tuple[str, ...], Value]] = []
        for branch in self.data.options:
            found.extend(((branch.condition, *inner), value) for inner, value in branch.value.outcomes())
        return found

    def with_trace(self, step: str) -> Value:
        return replace(self, trace=(step, *self.trace))

    def at(self, span: Span) -> Value:
        return replace(self, span=span)


def when(*alternatives: tuple[str, ...]) -> str:
    """The words naming the branches a finding holds in, appended to its message: `" (when A and B)"`,
    `" (when A, or when C)"` for several outcomes; empty for a value without branches."""
    named = [" and ".join(conditions) for conditions in alternatives if conditions]
    return f" (when {', or when '.join(named)})" if named else ""


def known(data: Any, span: Span, **kw: Any) -> Value:
    return Value(data, span, Provenance.EXPLICIT, **kw)


def unknown(reason: str, span: Span, symbolic: str | None = None, **kw: Any) -> Value:
    return Value(Unknown(reason, symbolic), span, Provenance.UNRESOLVED, **kw)


def default(data: Any, span: Span) -> Value:
    return Value(data, span, Provenance.DEFAULT)


def from_plain(data: Any, span: Span) -> Value:
    """Wrap plain Python data, giving every element the same span."""
    if isinstance(data, dict):
        return known({str(k): from_plain(v, span) for k, v in data.items()}, span)
    if isinstance(data, (list, tuple)):
        return known([from_plain(v, span) for v in data], span)
    return known(data, span)


def to_json(value: Value) -> Any:
    """Plain JSON-able data; undecided parts become their symbolic text."""
    data = value.data
    if isinstance(data, dict):
        return {k: to_json(v) for k, v in data.items()}
    if isinstance(data, list):
        return [to_json(v) for v in data]
    if isinstance(data, (Unknown, Branches)):
        return str(data) if isinstance(data, Unknown) else "<conditional>"
    return data
