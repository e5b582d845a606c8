"""What rules produce (`Match`, `Undecided`) and what the run reports (`Finding`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from .source import Span

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info=0 .. critical=4


@dataclass(frozen=True)
class Match:
    """A rule fired: `span` is the located node the finding points at."""

    message: str
    span: Span
    address: str | None = None
    pointer: str = ""  # where inside the resource, e.g. "image_tag_mutability" or "Statement[1]"
    construct_path: str | None = None
    severity: str | None = None  # overrides the rule's default severity for this match
    details: dict[str, Any] | None = None  # structured extras (e.g. a lifecycle counterexample)
    scenario: Scenario | None = None  # the Terraform scenario of the object matched, if any
    callers: tuple[str, ...] = ()  # root configurations that call the module the object is in


@dataclass(frozen=True)
class Scenario:
    """One named set of variable files a root was evaluated with, among all of that root's."""

    name: str
    of: tuple[str, ...]


MODULE_NOT_ANALYSED = "module-not-analysed"  # the pointer of an undecided record about a module ecrlint cannot read


@dataclass(frozen=True)
class Undecided:
    """A rule could not decide because a value was unknown; shown with --show-unknown."""

    reason: str
    span: Span
    address: str | None = None
    pointer: str = ""
    scenario: Scenario | None = None


@dataclass(frozen=True)
class Suppression:
    kind: str  # inline | config | baseline | metadata
    justification: str = ""


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule_name: str
    severity: str
    message: str
    span: Span
    address: str | None = None
    pointer: str = ""
    construct_path: str | None = None
    details: dict[str, Any] | None = None
    suppressions: tuple[Suppression, ...] = field(default=())
    scenario: Scenario | None = field(default=None, compare=False, repr=False)
    instances: tuple[str, ...] = ()  # the addresses one merged finding stands for (`ecrlint.merge`)
    # For code inside a module: the root configurations (folders) that call it, as shown to users.
    callers: tuple[str, ...] = field(default=(), compare=False)

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits: rule, file, resource (as written in the source, so the same
        however many instances or callers it has) and attribute, never line numbers."""
        address = source_address(self.address or "")
        key = "\x1f".join((self.rule_id, self.span.path, address, stable_pointer(self), _message_key(self)))
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.start_line, s.start_col, self.rule_id, s.end_line, s.end_col, self.message)


_LINE_NUMBERS = re.compile(r"\b(lines?) \d+(?:\s*-\s*\d+)?")


def without_line_numbers(text: str) -> str:
    return _LINE_NUMBERS.sub(r"\1", text)


def stable_pointer(finding: Finding) -> str:
    """Where inside the resource, never a line number.

    Text inputs (Dockerfiles, buildspecs, scripts) point at `line 9`, which moves with every edit
    above it; their message names the instruction and image instead, so it stands in, with line
    numbers taken out."""
    if finding.pointer.startswith("line") and _LINE_NUMBERS.fullmatch(finding.pointer):
        return without_line_numbers(finding.message)
    return finding.pointer


_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')
_MODULE_CALL = re.compile(r"^(?:module\.[^.]+\.)+")


def source_address(address: str) -> str:
    """The address as the source declares it: without module-call path and instance keys
    (`module.a["x"].aws_ecr_repository.this[0]` -> `aws_ecr_repository.this`)."""
    if "Resources." in address:
        return address  # CloudFormation: no instances
    return _MODULE_CALL.sub("", _INSTANCE_KEY.sub("", address))


def _message_key(finding: Finding) -> str:
    # Resource-less findings (parse errors, file-level) need the message to stay distinct.
    return "" if finding.address else without_line_numbers(finding.message)


def finding_from(rule_id: str, rule_name: str, severity: str, match: Match) -> Finding:
    return Finding(
        rule_id=rule_id,
        rule_name=rule_name,
        severity=match.severity or severity,
        message=match.message,
        span=match.span,
        address=match.address,
        pointer=match.pointer,
        construct_path=match.construct_path,
        details=match.details,
        scenario=match.scenario,
        callers=match.callers,
    )
