"""GitLab Code Quality report (a subset of the Code Climate issue format).

    [{"check_name": "ECR101", "description": "ECR101 aws_ecr_repository.app allows ...", "fingerprint": "...",
      "severity": "critical", "location": {"path": "infra/ecr.tf", "lines": {"begin": 3, "end": 3}}}]

Severity: critical -> blocker, high -> critical, medium -> major, low -> minor, info -> info.
GitLab shows only the first issue of each fingerprint, so a fingerprint repeated in one
report (same rule, file and resource attribute) gets the occurrence number mixed in.
Suppressed findings are omitted.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..findings import Finding
from . import RenderContext, split_suppressed

SEVERITIES = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}


def _unique_fingerprints(findings: list[Finding]) -> list[str]:
    seen: dict[str, int] = {}
    prints = []
    for finding in findings:
        base = finding.fingerprint
        count = seen.get(base, 0)
        seen[base] = count + 1
        prints.append(base if count == 0 else hashlib.sha256(f"{base}:{count}".encode()).hexdigest()[:32])
    return prints


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "type": "issue",
        "check_name": finding.rule_id,
        "description": f"{finding.rule_id} {finding.message or finding.rule_name}",
        "categories": ["Security"],
        "fingerprint": fingerprint,
        "severity": SEVERITIES.get(finding.severity, "major"),
        "location": {
            "path": finding.span.path,
            "lines": {"begin": finding.span.start_line, "end": finding.span.end_line},
        },
    }


def render(findings: list[Finding], ctx: RenderContext) -> str:
    kept, _ = split_suppressed(findings)
    issues = [issue(f, fp) for f, fp in zip(kept, _unique_fingerprints(kept))]
    return json.dumps(issues, indent=2, sort_keys=True) + "\n"
