"""Keep only the parts of a `.tf` file that can matter to ECR rules, before the full parse.

Monorepos hold thousands of Terraform files in which ECR is a small part, and the full HCL
parser is slow. The block scanner finds top-level blocks cheaply; blocks that cannot
contribute (resources of unrelated types that nothing relevant refers to) are blanked out as
comment lines of the same lengths, so every kept position, line and column is unchanged.
"""

from __future__ import annotations

import os
import re

from ..parse.hcl_blocks import TopBlock, scan_blocks

# Data sources whose value ecrlint computes or describes (see terraform/datasources.py).
RELEVANT_DATA = frozenset(
    {
        "aws_iam_policy_document",
        "aws_ecr_lifecycle_policy_document",
        "aws_caller_identity",
        "aws_region",
        "aws_partition",
        "aws_vpc_endpoint_service",
    }
)
ALWAYS_KEPT = frozenset({"variable", "locals", "output", "module", "provider", "terraform"})


def enabled() -> bool:
    return os.environ.get("ECRLINT_NO_PRESCAN", "") == ""


def _blank(text: str, block: TopBlock) -> str:
    """The block as comment lines of the same lengths, so nothing after it moves."""
    lines = text[block.start : block.end].split("\n")
    return "\n".join(("#" + " " * (len(line) - 1)) if line else "" for line in lines)


def relevant_text(text: str, resource_types: frozenset[str]) -> str | None:
    """The text to parse: irrelevant blocks blanked, or None when nothing in the file matters.

    Unbalanced input is returned whole, so the parser reports the error where it is.
    """
    blocks = scan_blocks(text)
    if not blocks or _has_code_after(text, blocks[-1].end):
        return text  # something the scanner could not close: let the parser say what
    keep = [_initially_kept(b, resource_types) for b in blocks]
    # Resources and data sources referred to by kept blocks are kept too, transitively.
    changed = True
    while changed:
        changed = False
        kept_text = "".join(text[b.start : b.end] for b, k in zip(blocks, keep) if k)
        for i, block in enumerate(blocks):
            if keep[i] or len(block.labels) != 2:
                continue
            prefix = "data." if block.type == "data" else ""
            if re.search(rf"\b{prefix}{re.escape(block.labels[0])}\.{re.escape(block.labels[1])}\b", kept_text):
                keep[i] = changed = True
    if not any(keep):
        return None
    if all(keep):
        return text
    out, pos = [], 0
    for block, kept in zip(blocks, keep):
        if not kept:
            out.append(text[pos : block.start])
            out.append(_blank(text, block))
            pos = block.end
    out.append(text[pos:])
    return "".join(out)


def _has_code_after(text: str, pos: int) -> bool:
    for line in text[pos:].splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "//", "/*", "*")):
            return True
    return False


def _initially_kept(block: TopBlock, resource_types: frozenset[str]) -> bool:
    if block.type in ALWAYS_KEPT:
        return True
    if block.type == "resource":
        return bool(block.labels) and block.labels[0] in resource_types
    if block.type == "data":
        return bool(block.labels) and block.labels[0] in RELEVANT_DATA
    return True  # unknown top-level blocks: let the parser judge them
