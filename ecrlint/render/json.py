"""Machine-readable output, described by `ecrlint/schemas/findings.schema.json`.

Columns are 1-based; `end_column` is the column just after the last character of the span.
`findings` holds what was reported, `suppressed` what a suppression hid (always listed),
`undecided` where a rule could not decide (listed only with --show-unknown, counted always).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..findings import MODULE_NOT_ANALYSED, Finding
from . import RenderContext, jsonable, ordered_undecided, severity_counts, span_dict, split_suppressed

SCHEMA_VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "rule_name": finding.rule_name,
        "severity": finding.severity,
        "message": finding.message,
        "span": span_dict(finding.span),
        "address": finding.address,
        "pointer": finding.pointer,
        "construct_path": finding.construct_path,
        "fingerprint": finding.fingerprint,
        "suppressions": [{"kind": s.kind, "justification": s.justification} for s in finding.suppressions],
    }
    if finding.details is not None:
        data["details"] = jsonable(finding.details)
    if finding.instances:
        data["instances"] = list(finding.instances)
    if finding.callers:
        data["called_from"] = list(finding.callers)
    return data


def build(findings: list[Finding], ctx: RenderContext) -> dict[str, Any]:
    kept, suppressed = split_suppressed(findings)
    undecided = []
    if ctx.show_unknown:
        for rule_id, und in ordered_undecided(ctx.undecided):
            rule = ctx.rule(rule_id)
            undecided.append(
                {
                    "rule_id": rule_id,
                    "rule_name": rule.name if rule else None,
                    "reason": und.reason,
                    "span": span_dict(und.span),
                    "address": und.address,
                    "pointer": und.pointer,
                }
            )
    stale = sorted(ctx.baseline_stale)
    summary = {
        "files_scanned": ctx.files_scanned,
        "files_skipped": {
            key.replace("-", "_"): ctx.files_skipped.get(key, 0)
            for key in ("not-input", "template-input", "test-snapshot")
        },
        "findings": len(kept),
        "by_severity": severity_counts(kept),
        "suppressed": len(suppressed),
        # Counted in every run, as in the text summary; the records are listed with --show-unknown.
        "undecided": len(ctx.undecided) - sum(1 for _, und in ctx.undecided if und.pointer == MODULE_NOT_ANALYSED),
        "baseline_stale": len(stale),
    }
    modules = sum(1 for _, und in ctx.undecided if und.pointer == MODULE_NOT_ANALYSED)
    if modules:  # said in every run, like the text summary
        summary["modules_not_analysed"] = modules
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "ecrlint", "version": ctx.version},
        "findings": [finding_dict(f) for f in kept],
        "suppressed": [finding_dict(f) for f in suppressed],
        "undecided": undecided,
        "baseline_stale": stale,
        "summary": summary,
    }


def render(findings: list[Finding], ctx: RenderContext) -> str:
    return "".join(render_chunks(findings, ctx))


def render_chunks(findings: list[Finding], ctx: RenderContext) -> Iterator[str]:
    """The output in pieces, so a large report is written without holding its whole text."""
    yield from json.JSONEncoder(indent=2, sort_keys=True).iterencode(build(findings, ctx))
    yield "\n"
