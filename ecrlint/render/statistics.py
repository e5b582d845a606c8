"""`--statistics`: how many findings each rule reported, most first (suppressed ones left out).

3  ECR101  mutable-image-tags
1  ECR900  unparsable-input
"""

from __future__ import annotations

from collections import Counter

from ..findings import Finding
from . import RenderContext, split_suppressed


def render(findings: list[Finding], ctx: RenderContext) -> str:
    kept, _ = split_suppressed(findings)
    counts = Counter((f.rule_id, f.rule_name) for f in kept)
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>{width}}  {rule_id}  {name}\n" for (rule_id, name), count in rows)
