"""Keep only the parts of a Terraform module that can matter to ECR rules, before reading them.

Monorepos hold thousands of Terraform files in which ECR is a small part. The syntax tree gives
the top-level blocks of every file of a module; the blocks that can contribute are the relevant
resources and data sources, module calls, providers and outputs, plus everything they refer to
(variables, locals, other resources), transitively across the module's files. Only those are
turned into ecrlint's syntax tree; a file the grammar cannot read is read whole, so its error
is reported wherever it is.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

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


def enabled() -> bool:
    return os.environ.get("ECRLINT_NO_PRESCAN", "") == ""


@dataclass
class _Node:
    type: str
    labels: tuple[str, ...]
    start: int  # byte offset of the block in its file: the key the parser is given
    text: str
    locals: tuple[str, ...] = ()  # attribute names, for a `locals` block
    keys: set = field(default_factory=set)  # what other blocks call it: ("var", name), ...
    kept: bool = False


def _keys(node: _Node) -> set:
    labels = node.labels
    if node.type == "variable" and labels:
        return {("var", labels[0])}
    if node.type == "locals":
        return {("local", name) for name in node.locals}
    if node.type == "module" and labels:
        return {("module", labels[0])}
    if node.type == "data" and len(labels) == 2:
        return {("data", labels[0], labels[1])}
    if node.type == "resource" and len(labels) == 2:
        return {("resource", labels[0], labels[1])}
    return set()


def _references(text: str) -> set:
    refs = {("var", m) for m in _VAR.findall(text)}
    refs |= {("local", m) for m in _LOCAL.findall(text)}
    refs |= {("module", m) for m in _MODULE.findall(text)}
    refs |= {("data", a, b) for a, b in _DATA.findall(text)}
    refs |= {("resource", a, b) for a, b in _RESOURCE.findall(text)}
    return refs


def _is_root(node: _Node, resource_types: frozenset[str]) -> bool:
    if node.type in ROOT_BLOCKS:
        return True
    if node.type == "resource":
        return bool(node.labels) and node.labels[0] in resource_types
    if node.type == "data":
        return bool(node.labels) and node.labels[0] in RELEVANT_DATA
    return node.type not in ("variable", "locals", "terraform")  # unknown blocks: let the reader judge


def relevant_blocks(trees: dict, resource_types: frozenset[str]) -> dict[str, frozenset[int] | None]:
    """For each file of one module (path -> HclTree): the start bytes of the top-level blocks to
    read, or None to read the whole file (it does not parse, or holds top-level attributes)."""
    nodes: dict[str, list[_Node]] = {}
    whole: set[str] = set()
    for name, tree in trees.items():
        if tree.root.has_error or tree.has_top_level_attributes():
            whole.add(name)
        nodes[name] = [_Node(*block) for block in tree.top_level_blocks()]
    provider: dict[tuple, list[_Node]] = {}
    for file_nodes in nodes.values():
        for node in file_nodes:
            node.keys = _keys(node)
            for key in node.keys:
                provider.setdefault(key, []).append(node)
    pending = [n for file_nodes in nodes.values() for n in file_nodes if _is_root(n, resource_types)]
    while pending:
        node = pending.pop()
        if node.kept:
            continue
        node.kept = True
        for ref in _references(node.text):
            for target in provider.get(ref, ()):
                if not target.kept:
                    pending.append(target)
    return {
        name: None if name in whole else frozenset(n.start for n in file_nodes if n.kept)
        for name, file_nodes in nodes.items()
    }
