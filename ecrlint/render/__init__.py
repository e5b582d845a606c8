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
import os
import re
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
    selected: tuple[str, ...] = ()  # ids of the rules that ran; SARIF describes all of them
    severities: dict[str, str] = field(default_factory=dict)  # rule id -> severity set in the config
    fail_on: str | None = None  # JUnit: findings below it are skipped, not failed
    project_root: str | None = None  # SARIF URIs are relative to it (absolute path)
    cwd: str | None = None  # what relative finding paths are relative to (absolute path)
    automation_id: str = "ecrlint/"  # SARIF `automationDetails.id`: category "ecrlint"
    color: bool = False  # text: ANSI colours (a terminal only)
    quiet: bool = False  # text: findings only, no summary line

    def severity_of(self, rule: Rule) -> str:
        """The rule's severity after the configuration's overrides."""
        return self.severities.get(rule.id, rule.severity)

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
    findings, ctx = printable(findings, ctx)
    return module.render(findings, ctx)


def render_chunks(fmt: str, findings: list[Finding], ctx: RenderContext) -> Iterable[str]:
    """`render` in pieces where the format can stream (JSON, SARIF); the same text either way."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
    module = importlib.import_module(_MODULES[fmt])
    findings, ctx = printable(findings, ctx)
    chunks = getattr(module, "render_chunks", None)
    return chunks(findings, ctx) if chunks is not None else [module.render(findings, ctx)]


# What every format gets: text that encodes as UTF-8 and messages of bounded length.

MAX_MESSAGE = 2000  # characters; a longer message is cut, and says so
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Lone surrogates (from `\\ud800` escapes in JSON or HCL strings) cannot be written as UTF-8:
    each becomes U+FFFD."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def clean_path(path: str) -> str:
    """A file name that is not UTF-8 arrives with its bytes escaped as surrogates; show each such
    byte as `\\xNN`, as `ls -b` does, so the name stays recognisable."""
    if not _SURROGATES.search(path):
        return path
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return clean_text(path)


def clip_message(text: str, limit: int = MAX_MESSAGE) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} more characters cut]"


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean_value(v) for v in jsonable(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _clean_value(jsonable(value))
    return value


def _clean_span(span: Span) -> Span:
    path = clean_path(span.path)
    return span if path is span.path else dataclasses.replace(span, path=path)


def _needs_cleaning(finding: Finding) -> bool:
    if len(finding.message) > MAX_MESSAGE:
        return True
    texts = [finding.message, finding.span.path, finding.address or "", finding.pointer, finding.construct_path or ""]
    texts += [s.justification for s in finding.suppressions]
    if finding.details is not None:
        texts.append(_canonical_ascii(finding.details))
    return any(_SURROGATES.search(text) for text in texts)


def _canonical_ascii(value: Any) -> str:
    # ensure_ascii=False keeps a surrogate visible to the search; json cannot fail on one
    return _json.dumps(jsonable(value), ensure_ascii=False, default=str)


def printable_finding(finding: Finding) -> Finding:
    if not _needs_cleaning(finding):
        return finding
    return dataclasses.replace(
        finding,
        message=clip_message(clean_text(finding.message)),
        span=_clean_span(finding.span),
        address=clean_text(finding.address) if finding.address is not None else None,
        pointer=clean_text(finding.pointer),
        construct_path=clean_text(finding.construct_path) if finding.construct_path is not None else None,
        details=_clean_value(finding.details) if finding.details is not None else None,
        suppressions=tuple(
            dataclasses.replace(s, justification=clean_text(s.justification)) for s in finding.suppressions
        ),
    )


def printable(findings: Iterable[Finding], ctx: RenderContext) -> tuple[list[Finding], RenderContext]:
    """Findings and context with every string safe to encode and every message capped."""
    undecided = [
        (
            rule_id,
            dataclasses.replace(
                und,
                reason=clip_message(clean_text(und.reason)),
                span=_clean_span(und.span),
                address=clean_text(und.address) if und.address is not None else None,
                pointer=clean_text(und.pointer) if isinstance(und.pointer, str) else und.pointer,
            ),
        )
        for rule_id, und in ctx.undecided
    ]
    stale = [clean_path(entry) for entry in ctx.baseline_stale]
    ctx = dataclasses.replace(ctx, undecided=undecided, baseline_stale=stale)
    return [printable_finding(f) for f in findings], ctx


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
