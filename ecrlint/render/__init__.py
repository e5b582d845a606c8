"""Renderers: findings (plus the rule catalogue) to the text of one output format.

Every renderer is a pure function of its input: findings are sorted here, never in the
order they were produced, and nothing time- or machine-dependent is written, so the same
input gives byte-identical output.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json as _json  # `json` would be shadowed by the ecrlint.render.json submodule
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..catalog import Rule
from ..findings import SEVERITIES, Finding, Undecided
from ..source import Span

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")

_MODULES = {fmt: f"{__name__}.{fmt}" for fmt in FORMATS}


def _no_lines(path: str) -> list[str] | None:
    return None


@dataclass
class RenderContext:
    """Everything a renderer needs besides the findings."""

    version: str
    rules: list[Rule]  # the whole catalogue
    files_scanned: int
    files_skipped: dict[str, int] = field(default_factory=dict)  # reason (discover.QUIET_REASONS) -> files
    show_suppressed: bool = False
    read_lines: Callable[[str], list[str] | None] = _no_lines  # path -> lines, for code frames
    undecided: list[tuple[str, Undecided]] = field(default_factory=list)  # (rule id, why)
    show_unknown: bool = False
    baseline_stale: list[str] = field(default_factory=list)

    def rule(self, rule_id: str) -> Rule | None:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        return None


def render(fmt: str, findings: list[Finding], ctx: RenderContext) -> str:
    """The whole output of `fmt` for `findings`; the order of `findings` does not matter."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(_MODULES[fmt])
    return module.render(list(findings), ctx)


def render_chunks(fmt: str, findings: list[Finding], ctx: RenderContext) -> Iterable[str]:
    """`render` in pieces where the format can stream (JSON, SARIF); the same text either way."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(_MODULES[fmt])
    chunks = getattr(module, "render_chunks", None)
    return chunks(list(findings), ctx) if chunks is not None else [module.render(list(findings), ctx)]


# Helpers shared by the renderers.


def _canonical(value: Any) -> str:
    return _json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def finding_order(finding: Finding) -> tuple:
    """A total order: the documented (path, line, column, rule id, ...) key, then every other field."""
    return (
        finding.sort_key(),
        finding.severity,
        finding.address or "",
        finding.pointer,
        finding.construct_path or "",
        finding.rule_name,
        tuple((s.kind, s.justification) for s in finding.suppressions),
        _canonical(finding.details) if finding.details is not None else "",
    )


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_order)


def split_suppressed(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(kept, suppressed), each in output order."""
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for finding in ordered(findings):
        (suppressed if finding.suppressions else kept).append(finding)
    return kept, suppressed


def ordered_undecided(items: Iterable[tuple[str, Undecided]]) -> list[tuple[str, Undecided]]:
    def key(item: tuple[str, Undecided]) -> tuple:
        rule_id, und = item
        s = und.span
        return (s.path, s.start_line, s.start_col, rule_id, s.end_line, s.end_col, und.reason, und.address or "")

    return sorted(items, key=key)


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
    return counts


def suppression_reason(finding: Finding) -> str:
    """`justification` of each suppression (its kind when it has none), joined."""
    return "; ".join(s.justification.strip() or s.kind for s in finding.suppressions)


def span_dict(span: Span) -> dict[str, Any]:
    return {
        "path": span.path,
        "start_line": span.start_line,
        "start_column": span.start_col,
        "end_line": span.end_line,
        "end_column": span.end_col,
    }


def jsonable(value: Any) -> Any:
    """`value` as plain JSON data, deterministically (sets are sorted, dataclasses become objects)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, Span):
        return span_dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=lambda v: _json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return str(value)
