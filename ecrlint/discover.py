"""Find the files to analyse under the given paths.

Walks directories in a stable order, skips tool folders (`.git`, `.terraform`,
`node_modules`), cache folders, `--exclude` patterns (gitignore style) and, by default, CDK
integ-runner test snapshots (counted in the summary). It never follows a symlink that leads out of
the scanned root, reads only regular files, and reports a folder it cannot list (ECR900).
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache

from .source import MAX_FILE_BYTES, SourceFile, read_bytes_limited, too_large

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
    # (path, reason) of files left out on purpose and only counted in the summary (see QUIET_REASONS)
    quiet: list[tuple[str, str]] = field(default_factory=list)
    # The bytes of each Terraform file (by absolute path), read once here for its file() targets and
    # handed on: suppression comments, the module-call scan and the unit cache's digests use them
    # instead of reading every file again. The model stage empties it.
    terraform_bytes: dict[str, bytes] = field(default_factory=dict)


# Why a file is left out without a finding; each is counted in the summary.
TEST_SNAPSHOT = "test-snapshot"  # inside a CDK integ-runner snapshot (`*.snapshot/`)
NOT_INPUT = "not-input"  # JSON or YAML with none of the marks of an ecrlint input
TEMPLATE_INPUT = "template-input"  # read by Terraform through file()/templatefile(), broken on its own
QUIET_REASONS = (TEST_SNAPSHOT, NOT_INPUT, TEMPLATE_INPUT)
CACHE_TAG = "CACHEDIR.TAG"  # the standard mark of a cache folder (https://bford.info/cachedir/)


def is_test_snapshot(dirname: str) -> bool:
    """A CDK integ-runner snapshot folder (`integ.app.js.snapshot`): recorded test output, not code."""
    return dirname.endswith(".snapshot")


def is_inside(path: str, root: str) -> bool:
    """`path` is `root` or below it (both already resolved as the caller needs)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@dataclass
class _Excludes:
    """`--exclude`/config `exclude` patterns, matched relative to `base` (the config file's folder,
    or the working directory for the command line). A path outside `base` can match only the
    patterns without a slash (a name anywhere), against its path below the scanned root."""

    patterns: tuple[str, ...]
    base: str | None

    def match(self, abspath: str, rel_to_root: str, is_dir: bool = False) -> bool:
        if not self.patterns:
            return False
        if self.base is None:
            return excluded(rel_to_root, self.patterns, is_dir)
        rel = os.path.relpath(abspath, self.base)
        if rel != ".." and not rel.startswith(".." + os.sep):
            return excluded(rel, self.patterns, is_dir)
        loose = tuple(p for p in self.patterns if "/" not in p.rstrip("/"))
        return excluded(rel_to_root, loose, is_dir)

    def covers_named(self, abspath: str) -> bool:
        """A file named on the command line is excluded by a pattern for it or for a folder above it
        (below the base): the walk would never have entered that folder."""
        if self.base is not None:
            rel = os.path.relpath(abspath, self.base)
            if rel != ".." and not rel.startswith(".." + os.sep):
                parts = rel.split(os.sep)
                folders = ("/".join(parts[:i]) for i in range(1, len(parts)))
                if any(excluded(folder, self.patterns, is_dir=True) for folder in folders):
                    return True
        return self.match(abspath, os.path.basename(abspath))


def _regular_or_why(path: str, kind: str | None) -> str | None:
    """Why a file is not read: it is a FIFO, device or socket, or a Terraform file or Dockerfile over
    the size limit (always inputs; an oversized JSON or YAML file is refused by the adapters only when
    its head shows a mark of an input). None for anything else: a file that cannot be opened is left
    to the adapters, which know whether it would have been an input."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a FIFO, device or socket is never read)"
    if info.st_size > MAX_FILE_BYTES and kind in (*TERRAFORM_KINDS, "dockerfile"):
        return too_large(info.st_size)
    return None


def discover_files(
    paths: list[str],
    exclude: tuple[str, ...] = (),
    cwd: str | None = None,
    *,
    exclude_base: str | None = None,
    force_exclude: bool = False,
    include_test_snapshots: bool = False,
    skip_folders: tuple[str, ...] = (),
) -> Discovery:
    """The input files under `paths`.

    `exclude_base`: the folder `exclude` patterns are relative to (None: each scanned root).
    `force_exclude`: apply `exclude` to files named explicitly too (pre-commit names every file).
    `skip_folders`: folders never walked, such as the cache folder.
    """
    found = Discovery()
    seen: set[str] = set()
    excludes = _Excludes(tuple(exclude), exclude_base)
    never = {os.path.realpath(f) for f in skip_folders if f}

    def add(path: str, kind: str, root: str) -> None:
        seen.add(path)
        found.files.append(SourceFile(display_path(path, cwd), path, kind, root))

    for given in paths:
        absolute = os.path.abspath(given)
        if not os.path.lexists(absolute):
            found.missing.append(given)
            continue
        if not os.path.isdir(absolute):
            _add_named_file(absolute, found, seen, add, excludes if force_exclude else None, cwd)
            continue
        real_root = os.path.realpath(absolute)
        found.roots.append(real_root)
        _walk(absolute, real_root, found, seen, add, excludes, include_test_snapshots, never, cwd)
    found.files.sort(key=lambda f: f.path)
    found.quiet.sort()
    _mark_template_inputs(found)
    return found


def _add_named_file(absolute, found: Discovery, seen: set[str], add, excludes: _Excludes | None, cwd) -> None:
    """A file named on the command line, with its Terraform module's other files (relations span
    the module's files, and pre-commit passes only the files that changed)."""
    root = os.path.dirname(absolute)
    real_root = os.path.realpath(root)
    found.roots.append(real_root)
    kind = kind_of(os.path.basename(absolute))
    if excludes is not None and excludes.covers_named(absolute):
        return
    if kind is None or absolute in seen:
        return
    why = _regular_or_why(absolute, kind)
    if why is not None:
        found.skipped.append((display_path(absolute, cwd), why))
        return
    add(absolute, kind, root)
    if kind not in TERRAFORM_KINDS:
        return
    try:
        names = sorted(os.listdir(root))
    except OSError as err:
        found.skipped.append((display_path(root, cwd), f"cannot list folder: {err.strerror or err}"))
        return
    for name in names:
        path = os.path.join(root, name)
        if kind_of(name) not in TERRAFORM_KINDS or path in seen:
            continue
        if excludes is not None and excludes.covers_named(path):
            continue
        # The same rules as a scanned folder: a sibling is not named, so it may not lead elsewhere.
        if os.path.islink(path) and not is_inside(os.path.realpath(path), real_root):
            found.skipped.append((display_path(path, cwd), "symlink leads outside the scanned root"))
            continue
        if os.path.isdir(path) or not os.path.exists(path):
            continue
        why = _regular_or_why(path, kind_of(name))
        if why is not None:
            found.skipped.append((display_path(path, cwd), why))
            continue
        add(path, kind_of(name), root)


def _walk(absolute, real_root, found: Discovery, seen, add, excludes: _Excludes, snapshots: bool, never, cwd) -> None:
    def unreadable(err: OSError) -> None:
        path = err.filename if isinstance(err.filename, str) else absolute
        found.skipped.append((display_path(path, cwd), f"cannot list folder: {err.strerror or err}"))

    for dirpath, dirnames, filenames in os.walk(absolute, onerror=unreadable, followlinks=False):
        rel_dir = os.path.relpath(dirpath, absolute)
        rel_dir = "" if rel_dir == "." else rel_dir
        if CACHE_TAG in filenames or (never and os.path.realpath(dirpath) in never):
            dirnames[:] = []  # a cache folder inside the tree: its entries are not inputs
            continue
        kept = []
        for d in sorted(dirnames):
            if d in SKIP_DIRS or excludes.match(os.path.join(dirpath, d), os.path.join(rel_dir, d), is_dir=True):
                continue
            if not snapshots and is_test_snapshot(d):
                _count_snapshot(os.path.join(dirpath, d), found, cwd)
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            kind = kind_of(name)
            if kind is None:
                continue
            path = os.path.join(dirpath, name)
            if excludes.match(path, os.path.join(rel_dir, name)):
                continue
            if os.path.islink(path) and not is_inside(os.path.realpath(path), real_root):
                found.skipped.append((display_path(path, cwd), "symlink leads outside the scanned root"))
                continue
            if path in seen:
                continue
            why = _regular_or_why(path, kind)
            if why is not None:
                found.skipped.append((display_path(path, cwd), why))
                continue
            if len(found.files) >= MAX_FILES:
                found.truncated = found.truncated or display_path(dirpath, cwd)
                break
            add(path, kind, absolute)


def _count_snapshot(folder: str, found: Discovery, cwd) -> None:
    """Note, without reading them, the files a test snapshot folder would have given."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if kind_of(name) is not None:
                found.quiet.append((display_path(os.path.join(dirpath, name), cwd), TEST_SNAPSHOT))


# A literal path read by file(), templatefile() or a template_file data source's `template`.
_TEMPLATE_READ = re.compile(r"\b(?:templatefile|file)\(\s*\"((?:\$\{path\.(?:module|root|cwd)\}/)?[^\"$]+)\"")
_PATH_PREFIX = re.compile(r"^\$\{path\.(?:module|root|cwd)\}/")


def _mark_template_inputs(found: Discovery) -> None:
    """Mark JSON and YAML files that Terraform files read through file()/templatefile(), and keep
    each Terraform file's bytes (`Discovery.terraform_bytes`).

    A cheap text scan, not an evaluation: a literal path, alone or after `${path.module}/`, taken
    relative to the reading file's folder. Such a file is a template (it may hold `${count}`): it is
    evaluated where it is rendered, and is not an input on its own when it does not parse.
    """
    structured = {f.abspath: i for i, f in enumerate(found.files) if f.kind in ("json", "yaml")}
    for source in list(found.files):
        if source.kind != "terraform":
            continue
        try:
            data = read_bytes_limited(source.abspath)
        except OSError:
            continue  # the Terraform adapter reports it
        found.terraform_bytes[source.abspath] = data
        if not structured or b"file(" not in data:
            continue
        text = data.decode("utf-8", "replace")
        folder = os.path.dirname(source.abspath)
        for match in _TEMPLATE_READ.finditer(text):
            target = os.path.normpath(os.path.join(folder, _PATH_PREFIX.sub("", match.group(1))))
            index = structured.get(target)
            if index is not None:
                found.files[index] = dataclasses.replace(found.files[index], template_input=True)
