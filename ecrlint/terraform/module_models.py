"""Module models: what a registry module deploys, for runs before `terraform init`.

A model is data: a folder with `model.yaml` (the module's source address, the git repositories
that host the same code, and one folder of `.tf` files per range of major versions whose defaults
are the same) and those `.tf` files, written for ecrlint from the module's documented inputs and
behaviour. The evaluator reads a model folder as it reads any module; objects and default values
that come from the model's own files are then reported at the calling `module` block, and values
the caller passed keep the caller's location.

Folders: the models shipped in `ecrlint/module_models/`, then `--module-models DIR` (a model folder,
or a folder of model folders). A user model with the same source address replaces a shipped one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import lru_cache
from typing import Any

from ..source import Span
from ..values import Branch, Branches, Value

SHIPPED_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_models")
MANIFEST = "model.yaml"
_REGISTRY_HOST = "registry.terraform.io/"
_VERSION = re.compile(r"v?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?(?:[-+].*)?")
_OPERATORS = ("~>", ">=", "<=", "!=", "=", ">", "<")  # longest first
MAX_CONSTRAINT = 200  # a longer `version` is not a constraint anyone writes: not read


class ModelError(Exception):
    def __init__(self, path: str, message: str, line: int = 1):
        super().__init__(message)
        self.path, self.message, self.line = path, message, line


@dataclass(frozen=True)
class ModelVersion:
    majors: tuple[int, ...]
    directory: str  # absolute
    notes: str = ""


@dataclass(frozen=True)
class ModuleModel:
    source: str  # normalised registry address, e.g. terraform-aws-modules/vpc/aws//modules/vpc-endpoints
    folder: str  # absolute
    versions: tuple[ModelVersion, ...]  # newest majors first
    repositories: tuple[str, ...] = ()  # normalised git addresses of the same module
    shipped: bool = True

    @property
    def label(self) -> str:
        return f"module model {self.source}"

    def display_dir(self, version: ModelVersion) -> str:
        """How the model's files are named in traces: never a real path of the scanned project."""
        name = os.path.basename(self.folder)
        base = f"<ecrlint module model {name}>" if self.shipped else f"<module model {self.folder}>"
        return f"{base}/{os.path.basename(version.directory)}"


@dataclass(frozen=True)
class Resolution:
    model: ModuleModel
    version: ModelVersion
    why: str  # how the version was chosen, for the trace


# -- sources and versions ----------------------------------------------------------------------
def normalise_source(text: str) -> tuple[str, str | None, bool]:
    """(address, version pinned by a git ref or None, is_git) of a module `source`."""
    text = text.strip()
    ref = None
    if "?" in text:
        text, _, query = text.partition("?")
        for part in query.split("&"):
            key, _, value = part.partition("=")
            if key == "ref":
                ref = value.rsplit("/", 1)[-1]  # tags/2.3.0 -> 2.3.0
    is_git = text.startswith(("git::", "github.com/", "git@", "bitbucket.org/"))
    if is_git:
        text = text.removeprefix("git::")
        text = re.sub(r"^(https?|ssh)://(git@)?", "", text)
        text = re.sub(r"^git@([^:/]+):", r"\1/", text)
        path, sep, sub = text.partition("//")
        path = path.removesuffix(".git")
        text = path + (sep + sub if sep else "")
    elif text.lower().startswith(_REGISTRY_HOST):
        text = text[len(_REGISTRY_HOST) :]
    return text.strip("/").lower(), ref, is_git


def _version_tuple(text: str) -> tuple[int, int, int] | None:
    m = _VERSION.fullmatch(text.strip())
    if not m:
        return None
    return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))


def _bounds(constraint: str) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    """The interval [low, high) a Terraform version constraint allows; None when it cannot be read."""
    if len(constraint) > MAX_CONSTRAINT:
        return None
    low, high = (0, 0, 0), (10**9, 0, 0)
    for clause in constraint.split(","):
        clause = clause.strip()
        if not clause:
            continue
        op = next((o for o in _OPERATORS if clause.startswith(o)), "=")
        text = clause[len(op) :].strip() if clause.startswith(op) else clause
        version = _version_tuple(text)
        if version is None:
            return None
        segments = len(text.lstrip("v").split("-")[0].split("."))
        if op == "=":
            low, high = max(low, version), min(high, (version[0], version[1], version[2] + 1))
        elif op in (">=", ">"):
            low = max(low, version if op == ">=" else (version[0], version[1], version[2] + 1))
        elif op in ("<", "<="):
            high = min(high, version if op == "<" else (version[0], version[1], version[2] + 1))
        elif op == "~>":
            top = (version[0] + 1, 0, 0) if segments <= 2 else (version[0], version[1] + 1, 0)
            low, high = max(low, version), min(high, top)
    return low, high


def choose_version(model: ModuleModel, constraint: str | None) -> tuple[ModelVersion, str]:
    """The model version for a call's `version` constraint: the newest major it allows, as
    `terraform init` would install; the latest model when the constraint is absent or unreadable."""
    latest = model.versions[0]
    majors = sorted({m for v in model.versions for m in v.majors})
    if not constraint:
        return latest, f"no version constraint: the latest model (major {max(latest.majors)})"
    bounds = _bounds(constraint)
    if bounds is None:
        return latest, f"version {constraint!r} not read: the latest model (major {max(latest.majors)})"
    low, high = bounds
    allowed = [m for m in majors if max(low, (m, 0, 0)) < min(high, (m + 1, 0, 0))]
    if allowed:
        major = max(allowed)
        version = next(v for v in model.versions if major in v.majors)
        return version, f"version {constraint!r}: the model for major {major}"
    if low >= (majors[-1] + 1, 0, 0):
        return latest, f"version {constraint!r} is newer than the models: the latest model (major {majors[-1]})"
    oldest = model.versions[-1]
    return oldest, f"version {constraint!r} is older than the models: the oldest model (major {majors[0]})"


# -- loading -----------------------------------------------------------------------------------
def _load_manifest(folder: str, shipped: bool) -> ModuleModel:
    import yaml

    path = os.path.join(folder, MANIFEST)
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except OSError as err:
        raise ModelError(path, f"cannot read module model: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise ModelError(path, f"module model is not valid YAML: {err}", mark.line + 1 if mark else 1) from None
    if not isinstance(data, dict) or not isinstance(data.get("source"), str):
        raise ModelError(path, "module model needs a `source` (the module's registry address)")
    entries = data.get("versions")
    if not isinstance(entries, list) or not entries:
        raise ModelError(path, "module model needs `versions`: a list of {majors, dir}")
    versions = []
    for entry in entries:
        majors = entry.get("majors") if isinstance(entry, dict) else None
        sub = entry.get("dir") if isinstance(entry, dict) else None
        if not (isinstance(majors, list) and majors and all(isinstance(m, int) for m in majors)):
            raise ModelError(path, "each module model version needs `majors`: a list of major version numbers")
        if not isinstance(sub, str) or not os.path.isdir(os.path.join(folder, sub)) or os.path.isabs(sub):
            raise ModelError(path, f"module model version folder {sub!r} does not exist in {folder}")
        notes = entry.get("notes", "")
        versions.append(ModelVersion(tuple(sorted(majors)), os.path.join(folder, sub), str(notes or "")))
    versions.sort(key=lambda v: max(v.majors), reverse=True)
    repositories = data.get("repositories") or []
    if not isinstance(repositories, list) or not all(isinstance(r, str) for r in repositories):
        raise ModelError(path, "`repositories` must be a list of git addresses")
    return ModuleModel(
        source=normalise_source(data["source"])[0],
        folder=folder,
        versions=tuple(versions),
        repositories=tuple(normalise_source(r)[0] for r in repositories),
        shipped=shipped,
    )


def _model_folders(directory: str) -> list[str]:
    if os.path.isfile(os.path.join(directory, MANIFEST)):
        return [directory]
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, n) for n in names if os.path.isfile(os.path.join(directory, n, MANIFEST))]


@lru_cache(maxsize=1)
def shipped_models() -> tuple[ModuleModel, ...]:
    return tuple(_load_manifest(folder, shipped=True) for folder in _model_folders(SHIPPED_DIR))


class ModelCatalog:
    """The models of one run, by normalised source address."""

    def __init__(self, extra_dirs: tuple[str, ...] = ()):
        self.errors: list[ModelError] = []
        self.by_source: dict[str, ModuleModel] = {}
        models = list(shipped_models())
        for directory in extra_dirs:
            folders = _model_folders(directory)
            if not folders:
                self.errors.append(ModelError(directory, f"no {MANIFEST} in {directory} or its sub-folders"))
            for folder in folders:
                try:
                    models.append(_load_manifest(folder, shipped=False))
                except ModelError as err:
                    self.errors.append(err)
        for model in models:  # later ones (the user's) replace earlier ones
            for address in (model.source, *model.repositories):
                self.by_source[address] = model
        self.directories = {v.directory: m for m in models for v in m.versions}

    def resolve(self, source: str, constraint: str | None) -> Resolution | None:
        address, ref, _ = normalise_source(source)
        model = self.by_source.get(address)
        if model is None:
            return None
        if ref is not None:
            if _version_tuple(ref) is None:
                version = model.versions[0]
                return Resolution(model, version, f"git ref {ref!r} is not a version: the latest model")
            constraint = ref.lstrip("v")
        version, why = choose_version(model, constraint)
        return Resolution(model, version, why)


def unavailable_hint(source: str) -> str:
    """What would make a module that ecrlint cannot read visible."""
    address, _, is_git = normalise_source(source)
    if source.startswith(("./", "../")):
        return "its local folder does not exist"
    kind = "git module" if is_git else "S3 module" if address.startswith("s3::") else "registry module"
    if address.startswith(("http://", "https://", "gcs::", "hg::")):
        kind = "remote module"
    return f"{kind} without a module model: run `terraform init` first, or add a module model (--module-models)"


# -- locations ---------------------------------------------------------------------------------
def relocate(obj: Any, model_files: frozenset[str], call: Span, why: str, inputs: dict[str, Span]) -> Any:
    """`obj` with every location inside the model's own files moved out of them: to the caller's
    argument when the value came from it (`inputs`: trace step of each input -> its span), else to
    the calling `module` block, with a trace step saying that the module model decided it."""
    seen: dict[int, Any] = {}

    def target(item: Value) -> tuple[Span, tuple[str, ...]]:
        for step in item.trace:
            if step in inputs:
                return inputs[step], item.trace
        return call, (*item.trace, why)

    def move(item: Any) -> Any:
        if isinstance(item, Span):
            return call if item.path in model_files else item
        if isinstance(item, Value):
            data = item.data
            if isinstance(data, dict):
                data = {k: move(v) for k, v in data.items()}
            elif isinstance(data, list):
                data = [move(v) for v in data]
            elif isinstance(data, Branches):
                data = Branches(tuple(Branch(b.condition, move(b.value)) for b in data.options))
            if item.span.path in model_files:
                span, trace = target(item)
                return replace(item, data=data, span=span, trace=trace, text_line_offset=None)
            return replace(item, data=data) if data is not item.data else item
        if isinstance(item, list):
            return [move(v) for v in item]
        if isinstance(item, tuple):
            return tuple(move(v) for v in item)
        if isinstance(item, dict):
            return {k: move(v) for k, v in item.items()}
        if is_dataclass(item) and not isinstance(item, type):
            key = id(item)
            if key in seen:
                return seen[key]
            seen[key] = item
            for f in fields(item):
                old = getattr(item, f.name)
                new = move(old)
                if new is not old:
                    object.__setattr__(item, f.name, new)
            return item
        return item

    return move(obj)


# -- the evaluator's fallback for modules that are not on disk -----------------------------------
@dataclass(frozen=True)
class NotAnalysed:
    """A module call whose code ecrlint cannot read: reported as an undecided record."""

    span: Span
    address: str
    message: str


class ModuleFallback:
    """Called by the evaluator for a `module` block whose source is not on disk (or not readable):
    the module model for its source, or a record of a module that is not analysed."""

    def __init__(self, model_dirs: tuple[str, ...], load_files):
        self._model_dirs = model_dirs
        self._catalog: ModelCatalog | None = None
        self._load_files = load_files  # (directory, [(display path, absolute path)]) -> ModuleSource
        self._sources: dict[str, Any] = {}  # model version folder -> ModuleSource
        self.calls: dict[tuple[str, int, int], Resolution] = {}  # call block -> the model it got
        self.not_analysed: dict[tuple[str, int, int], NotAnalysed] = {}

    @property
    def catalog(self) -> ModelCatalog:
        # Read on first need: most runs have no registry module, and YAML costs start-up time.
        if self._catalog is None:
            self._catalog = ModelCatalog(self._model_dirs)
        return self._catalog

    def model_errors(self) -> list[ModelError]:
        """Problems with the user's models, reported whether or not a call needed them."""
        return self.catalog.errors if self._model_dirs else []

    def __call__(self, instance, name: str, block) -> Any:
        from .evaluate import Scope

        key = _block_key(block.span)
        attrs = block.body.attributes
        source = instance.eval(attrs["source"].expr, Scope()) if "source" in attrs else None
        if source is None or not (source.is_known and isinstance(source.data, str)):
            why = source.unknown_reason() if source is not None else "it has no source"
            self._record(key, instance, name, block, f"its source is not known ({why})")
            return None
        text = source.data
        if text.startswith(("./", "../")):
            folder = os.path.normpath(os.path.join(instance.source.directory, text))
            where = _local_folder_problem(folder)
            self._record(key, instance, name, block, f'its folder "{text}" {where}', text)
            return None
        version = instance.eval(attrs["version"].expr, Scope()) if "version" in attrs else None
        constraint = version.data if version is not None and isinstance(version.data, str) else None
        resolution = self.catalog.resolve(text, constraint)
        if resolution is None:
            self._record(key, instance, name, block, unavailable_hint(text), text)
            return None
        self.calls[key] = resolution
        return self._source(resolution)

    def _source(self, resolution: Resolution) -> Any:
        folder = resolution.version.directory
        if folder not in self._sources:
            display = resolution.model.display_dir(resolution.version)
            names = sorted(n for n in os.listdir(folder) if n.endswith((".tf", ".tf.json")))
            files = [(f"{display}/{n}", os.path.join(folder, n)) for n in names]
            self._sources[folder] = self._load_files(folder, files)
        return self._sources[folder]

    def _record(self, key, instance, name: str, block, why: str, source: str | None = None) -> None:
        if key in self.not_analysed:
            return
        if source is not None and len(source) > 200:
            source = source[:200] + "..."
        shown = f' (source "{source}")' if source is not None else ""
        address = f"{instance.prefix}module.{name}"
        message = f"{address}{shown} is not analysed: {why}"
        self.not_analysed[key] = NotAnalysed(block.span, address, message)

    def relocate(self, obj: Any, child, call_block) -> Any:
        """`obj`, built from the modelled module instance `child`, located at its call (see `relocate`)."""
        resolution = self.calls.get(_block_key(call_block.span))
        if resolution is None or child.source is not self._sources.get(resolution.version.directory):
            return obj
        why = f"the {resolution.model.label} ({resolution.why})"
        inputs = {v.trace[0]: v.span for v in child.inputs.values() if v.trace}
        return relocate(obj, frozenset(child.source.files), call_block.span, why, inputs)


def _local_folder_problem(folder: str) -> str:
    if not os.path.isdir(folder):
        return "does not exist"
    try:
        has_code = any(n.endswith((".tf", ".tf.json")) for n in os.listdir(folder))
    except OSError:
        return "cannot be read"
    return "is outside the scanned paths" if has_code else "has no Terraform files"


def _block_key(span: Span) -> tuple[str, int, int]:
    return (span.path, span.start_line, span.start_col)
