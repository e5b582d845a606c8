"""Findings about module code users cannot review are shown at the `module` block that calls it.

Code installed by `terraform init` under `.terraform/modules/` is gitignored: code scanning
cannot show a finding there, and nobody edits it. The finding moves to the calling block in the
user's own file (where an inline suppression then applies), and its message keeps the original
place.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace

from .findings import Finding, Undecided
from .source import Span


def _site(span: Span, relocations: dict[str, Span]) -> Span | None:
    return relocations.get(posixpath.dirname(span.path))


def relocate_findings(findings: list[Finding], relocations: dict[str, Span]) -> list[Finding]:
    out = []
    for finding in findings:
        site = _site(finding.span, relocations)
        if site is not None:
            where = f"{finding.span.path}:{finding.span.start_line}"
            finding = replace(finding, span=site, message=f"{finding.message} (in installed module code at {where})")
        out.append(finding)
    out.sort(key=Finding.sort_key)
    return out


def relocate_undecided(undecided: list[tuple[str, Undecided]], relocations: dict[str, Span]) -> list:
    out = []
    for rule_id, item in undecided:
        site = _site(item.span, relocations)
        if site is not None:
            item = replace(item, span=site, reason=f"{item.reason} (in installed module code at {item.span.path})")
        out.append((rule_id, item))
    return out
