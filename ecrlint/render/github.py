"""GitHub Actions workflow commands: one annotation per finding.

    ::error file=infra/ecr.tf,line=3,endLine=3,col=26,endColumn=35,title=ecrlint (ECR101 mutable-image-tags)::...

Severity maps like the SARIF level: critical/high -> error, medium -> warning,
low/info -> notice. `col`/`endColumn` are written only when the span starts and ends on
the same line (GitHub rejects them otherwise); `endColumn` is exclusive, as in SARIF.
Suppressed findings are omitted. Escaping follows `@actions/core` (so a newline in a value
cannot start a new workflow command); other control characters become U+FFFD.
"""

from __future__ import annotations

from ..findings import Finding
from . import RenderContext, split_suppressed

COMMANDS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}
_CONTROLS = {code: "\ufffd" for code in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").translate(_CONTROLS)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    span = finding.span
    props = [("file", span.path), ("line", str(span.start_line)), ("endLine", str(span.end_line))]
    if span.start_line == span.end_line:
        props.append(("col", str(span.start_col)))
        if span.end_col > span.start_col:
            props.append(("endColumn", str(span.end_col)))
    props.append(("title", f"ecrlint ({finding.rule_id} {finding.rule_name})"))
    params = ",".join(f"{name}={escape_property(value)}" for name, value in props)
    command = COMMANDS.get(finding.severity, "warning")
    return f"::{command} {params}::{escape_data(finding.message)}"


def render(findings: list[Finding], ctx: RenderContext) -> str:
    kept, _ = split_suppressed(findings)
    return "".join(annotation(f) + "\n" for f in kept)
