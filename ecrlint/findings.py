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


@dataclass(frozen=True)
class Undecided:
    """A rule could not decide because a value was unknown; shown with --show-unknown."""

    reason: str
    span: Span
    address: str | None = None
    pointer: str = ""


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
    instances: tuple[str, ...] = ()  # the addresses one merged finding stands for (`ecrlint.merge`)

    @property
    def fingerprint(self) -> str:
        """Stable across unrelated edits: rule, file, resource (as written in the source, so the same
        however many instances or callers it has) and attribute, never line numbers."""
        address = source_address(self.address or "")
        key = "\x1f".join((self.rule_id, self.span.path, address, self.pointer, _message_key(self)))
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.start_line, s.start_col, self.rule_id, s.end_line, s.end_col, self.message)


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
    return "" if finding.address else finding.message


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
    )
