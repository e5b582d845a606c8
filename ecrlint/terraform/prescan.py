"""Keep only the parts of a Terraform module that can matter to ECR rules, before the full parse.

Monorepos hold thousands of Terraform files in which ECR is a small part, and a full HCL parse
is slow. The block scanner finds the top-level blocks of every file of a module cheaply; the
blocks that can contribute are the relevant resources and data sources, module calls, providers
and outputs, plus everything they refer to (variables, locals, other resources), transitively
across the module's files. The other blocks are blanked out as comment lines of the same
lengths, so every kept position, line and column is unchanged, and a file with nothing left is
not parsed at all.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

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
ROOT_BLOCKS = frozenset({"module", "provider", "output"})

_VAR = re.compile(r"\bvar\.([A-Za-z_][\w-]*)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z_][\w-]*)")
_DATA = re.compile(r"\bdata\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)")
_MODULE = re.compile(r"\bmodule\.([A-Za-z_][\w-]*)")
_RESOURCE = re.compile(r"\b([a-z][a-z0-9]*_[a-z0-9_]+)\.([A-Za-z_][\w-]*)")
_LOCAL_NAME = re.compile(r"^[ \t]*([A-Za-z_][\w-]*)[ \t]*=", re.M)


def enabled() -> bool:
    return os.environ.get("ECRLINT_NO_PRESCAN", "") == ""


@dataclass
class _Node:
    block: TopBlock
    text: str
    keys: set = field(default_factory=set)  # what other blocks call it: ("var", name), ...
    kept: bool = False


def _keys(block: TopBlock, text: str) -> set:
    labels = block.labels
    if block.type == "variable" and labels:
        return {("var", labels[0])}
    if block.type == "locals":
        return {("local", name) for name in _LOCAL_NAME.findall(text)}
    if block.type == "module" and labels:
        return {("module", labels[0])}
    if block.type == "data" and len(labels) == 2:
        return {("data", labels[0], labels[1])}
    if block.type == "resource" and len(labels) == 2:
        return {("resource", labels[0], labels[1])}
    return set()


def _references(text: str) -> set:
    refs = {("var", m) for m in _VAR.findall(text)}
    refs |= {("local", m) for m in _LOCAL.findall(text)}
    refs |= {("module", m) for m in _MODULE.findall(text)}
    refs |= {("data", a, b) for a, b in _DATA.findall(text)}
    refs |= {("resource", a, b) for a, b in _RESOURCE.findall(text)}
    return refs


def _is_root(block: TopBlock, resource_types: frozenset[str]) -> bool:
    if block.type in ROOT_BLOCKS:
        return True
    if block.type == "resource":
        return bool(block.labels) and block.labels[0] in resource_types
    if block.type == "data":
        return bool(block.labels) and block.labels[0] in RELEVANT_DATA
    return block.type not in ("variable", "locals", "terraform")  # unknown blocks: let the parser judge


def _has_code_after(text: str, pos: int) -> bool:
    for line in text[pos:].splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "//", "/*", "*")):
            return True
    return False


def _blank(text: str, block: TopBlock) -> str:
    """The block as comment lines of the same lengths, so nothing after it moves."""
    lines = text[block.start : block.end].split("\n")
    return "\n".join(("#" + " " * (len(line) - 1)) if line else "" for line in lines)


def relevant_texts(texts: dict[str, str], resource_types: frozenset[str]) -> dict[str, str | None]:
    """For each file of one module: the text to parse (irrelevant blocks blanked) or None.

    A file the scanner cannot read to the end (unbalanced braces, an unterminated string) is
    returned whole, so the parser reports the error where it is.
    """
    nodes: dict[str, list[_Node]] = {}
    whole: set[str] = set()
    for name, text in texts.items():
        blocks = scan_blocks(text)
        if blocks and _has_code_after(text, blocks[-1].end) or not blocks and text.strip() and _has_code_after(text, 0):
            whole.add(name)
        nodes[name] = [_Node(b, text[b.start : b.end]) for b in blocks]
    provider: dict[tuple, list[_Node]] = {}
    for file_nodes in nodes.values():
        for node in file_nodes:
            node.keys = _keys(node.block, node.text)
            for key in node.keys:
                provider.setdefault(key, []).append(node)
    pending = [n for file_nodes in nodes.values() for n in file_nodes if _is_root(n.block, resource_types)]
    while pending:
        node = pending.pop()
        if node.kept:
            continue
        node.kept = True
        for ref in _references(node.text):
            for target in provider.get(ref, ()):
                if not target.kept:
                    pending.append(target)
    out: dict[str, str | None] = {}
    for name, text in texts.items():
        file_nodes = nodes[name]
        if name in whole:
            out[name] = text
        elif not any(n.kept for n in file_nodes):
            out[name] = None
        elif all(n.kept for n in file_nodes):
            out[name] = text
        else:
            parts, pos = [], 0
            for node in file_nodes:
                if not node.kept:
                    parts += [text[pos : node.block.start], _blank(text, node.block)]
                    pos = node.block.end
            parts.append(text[pos:])
            out[name] = "".join(parts)
    return out


def relevant_text(text: str, resource_types: frozenset[str]) -> str | None:
    """`relevant_texts` for a module of one file."""
    return relevant_texts({"": text}, resource_types)[""]
