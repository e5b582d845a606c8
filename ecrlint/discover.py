"""Find the files to analyse under the given paths.

Walks directories in a stable order, skips tool folders (`.git`, `.terraform`,
`node_modules`) and `--exclude` patterns (gitignore style), and never follows a symlink that
leads out of the scanned root.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .source import SourceFile

TERRAFORM_KINDS = ("terraform", "terraform-json", "tfvars")
MAX_FILES = int(os.environ.get("ECRLINT_MAX_FILES", "100000"))  # a run stops collecting files here
SKIP_DIRS = {".git", ".hg", ".svn", ".terraform", "node_modules", "__pycache__", ".venv", ".tox", ".mypy_cache"}


def kind_of(name: str) -> str | None:
    lowered = name.lower()
    if lowered in ("dockerfile", "containerfile") or lowered.startswith(("dockerfile.", "containerfile.")):
        return "dockerfile"
    if lowered.endswith((".dockerfile", ".containerfile")):
        return "dockerfile"
    if lowered.endswith(".tf"):
        return "terraform"
    if lowered.endswith(".tf.json"):
        return "terraform-json"
    if lowered.endswith((".tfvars", ".tfvars.json")):
        return "tfvars"
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml", ".template")):
        return "yaml"
    return None


@lru_cache(maxsize=256)
def _pattern_regex(pattern: str) -> re.Pattern:
    """gitignore-style glob: `*` within a segment, `**` across segments, leading `/` anchors."""
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    body = pattern.strip("/")
    out = []
    i = 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"^{prefix}{''.join(out)}(?:/.*)?$")


def excluded(relpath: str, patterns: tuple[str, ...], is_dir: bool = False) -> bool:
    relpath = relpath.replace(os.sep, "/")
    for pattern in patterns:
        if pattern.endswith("/") and not is_dir:
            continue
        if _pattern_regex(pattern).match(relpath):
            return True
    return False


def display_path(abspath: str, cwd: str | None = None) -> str:
    """Paths in output are relative to the current directory, with forward slashes."""
    cwd = cwd or os.getcwd()
    try:
        rel = os.path.relpath(abspath, cwd)
    except ValueError:  # another drive on Windows
        rel = abspath
    return rel.replace(os.sep, "/")


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # paths given that do not exist
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why): reported as ECR900
    truncated: str | None = None  # the folder where collection stopped at MAX_FILES


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover_files(paths: list[str], exclude: tuple[str, ...] = (), cwd: str | None = None) -> Discovery:
    found = Discovery()
    seen: set[str] = set()
    for given in paths:
        absolute = os.path.abspath(given)
        if not os.path.exists(absolute):
            found.missing.append(given)
            continue
        if os.path.isfile(absolute):
            root = os.path.dirname(absolute)
            found.roots.append(os.path.realpath(root))
            kind = kind_of(os.path.basename(absolute))
            siblings = [absolute]
            if kind in TERRAFORM_KINDS:
                # A Terraform file means its whole module: relations span the module's files
                # (pre-commit passes only the files that changed).
                siblings += [
                    os.path.join(root, n)
                    for n in sorted(os.listdir(root))
                    if kind_of(n) in TERRAFORM_KINDS and os.path.isfile(os.path.join(root, n))
                ]
            for path in siblings:
                if path not in seen and kind_of(os.path.basename(path)):
                    seen.add(path)
                    found.files.append(SourceFile(display_path(path, cwd), path, kind_of(os.path.basename(path)), root))
            continue
        real_root = os.path.realpath(absolute)
        found.roots.append(real_root)
        for dirpath, dirnames, filenames in os.walk(absolute, followlinks=False):
            rel_dir = os.path.relpath(dirpath, absolute)
            rel_dir = "" if rel_dir == "." else rel_dir
            dirnames[:] = sorted(
                d
                for d in dirnames
                if d not in SKIP_DIRS and not excluded(os.path.join(rel_dir, d), exclude, is_dir=True)
            )
            for name in sorted(filenames):
                kind = kind_of(name)
                if kind is None:
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.join(rel_dir, name)
                if excluded(rel, exclude):
                    continue
                if os.path.islink(path) and not _inside(os.path.realpath(path), real_root):
                    found.skipped.append((display_path(path, cwd), "symlink leads outside the scanned root"))
                    continue
                if path in seen:
                    continue
                if len(found.files) >= MAX_FILES:
                    found.truncated = found.truncated or display_path(dirpath, cwd)
                    break
                seen.add(path)
                found.files.append(SourceFile(display_path(path, cwd), path, kind, absolute))
    found.files.sort(key=lambda f: f.path)
    return found
