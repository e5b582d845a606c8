"""Who calls a Terraform module: found by reading the project's `.tf` files for local sources.

A module folder scanned alone (pre-commit passes only the changed files) is evaluated with the
inputs its callers give it. Callers are looked for up to the project root; only the text of
`.tf` files is read, for `source = "./..."` lines, and nothing is parsed until a caller is found.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict

from ..discover import SKIP_DIRS, is_inside
from ..source import UnreadableInput, read_limited

# Horizontal white space only: `\s*` at each line start would rescan runs of blank lines (quadratic).
LOCAL_SOURCE = re.compile(r'^[ \t]*source[ \t]*=[ \t]*"(\.\.?/[^"\n]*)"', re.M)
MAX_FILES = 100_000
MAX_CALLER_DEPTH = 12


def local_sources(directory: str, text: str) -> set[str]:
    """Directories of the local modules a file's text calls."""
    if "module" not in text:
        return set()
    return {os.path.normpath(os.path.join(directory, m)) for m in LOCAL_SOURCE.findall(text)}


def callers_index(project_root: str, known: dict[str, set[str]]) -> dict[str, set[str]]:
    """Module directory -> directories whose `.tf` files call it, over the whole project.

    `known` gives the calls of the scanned folders (directory -> directories it calls), already
    read; only the other folders' files are read here."""
    index: dict[str, set[str]] = defaultdict(set)
    for caller, targets in known.items():
        for target in targets:
            index[target].add(caller)
    real_root = os.path.realpath(project_root)
    seen = 0
    for dirpath, dirnames, filenames in os.walk(project_root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        if os.path.normpath(dirpath) in known:
            continue
        for name in sorted(filenames):
            if not name.endswith(".tf"):
                continue
            seen += 1
            if seen > MAX_FILES:
                return index
            path = os.path.join(dirpath, name)
            if os.path.islink(path) and not is_inside(os.path.realpath(path), real_root):
                continue
            try:
                text = read_limited(path)
            except (OSError, UnreadableInput):
                continue
            for target in local_sources(os.path.normpath(dirpath), text):
                if target != os.path.normpath(dirpath):
                    index[target].add(os.path.normpath(dirpath))
    return index


def top_callers(directory: str, index: dict[str, set[str]]) -> list[str]:
    """The folders at the top of every call chain that reaches `directory` (none: nobody calls it)."""
    tops: set[str] = set()
    frontier, visited = {directory}, {directory}
    for _ in range(MAX_CALLER_DEPTH):
        upward: set[str] = set()
        for target in frontier:
            callers = index.get(target, set()) - visited
            if not callers and target != directory:
                tops.add(target)
            upward |= callers
        if not upward:
            break
        visited |= upward
        frontier = upward
    else:
        tops |= frontier
    return sorted(tops)
