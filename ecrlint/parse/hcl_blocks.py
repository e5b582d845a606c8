"""The top-level blocks of an HCL file and the lines they span, read from its syntax tree.

Used to find which resource a suppression comment belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopBlock:
    type: str
    labels: tuple[str, ...]
    start_line: int  # 1-based line of the block header
    end_line: int  # line of the closing brace


def scan_blocks(text: str) -> list[TopBlock]:
    """Top-level blocks in source order, up to the first one that does not parse."""
    from .hcl_tree import HclTree

    tree = HclTree(text, "")
    return [
        TopBlock(kind, labels, tree.where(node.start_point)[0], tree.where(node.end_point)[0])
        for node, (kind, labels, *_rest) in zip(tree.top_blocks(), tree.top_level_blocks())
    ]
