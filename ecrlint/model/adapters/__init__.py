"""Adapters turn parsed files of one input format into model objects.

Each adapter module exposes `build(files, ctx) -> AdapterResult`. Adapters report files they
cannot read as `Diagnostic`s (ECR900) and carry on; they never raise for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...options import Options
from ...source import SourceFile, Span
from ..objects import ModelObject


@dataclass(frozen=True)
class Diagnostic:
    """A problem with an input file itself (ECR900), or a rule-specific input error."""

    message: str
    span: Span
    rule_id: str = "ECR900"
    address: str | None = None
    undecided: bool = False  # input that could not be analysed at all (a module not on disk): not a finding


@dataclass
class AdapterContext:
    options: Options
    roots: list[str] = field(default_factory=list)  # absolute scanned roots; file() may not leave them
    var_files: list[str] = field(default_factory=list)  # --var-file, absolute paths
    display_path: object = None  # callable abspath -> path as shown to users
    # Terraform scenarios: absolute root folder (or glob) -> scenario name -> variable files,
    # relative to the root folder, loaded after the automatic ones.
    scenarios: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    project_root: str | None = None  # where callers of a scanned module are looked for
    units: Any = None  # the run's `units.UnitCache`, when pieces of the model are cached
    # Terraform files' bytes as discovery read them (absolute path -> bytes), for the module-call
    # scan; emptied once it is done.
    terraform_bytes: dict[str, bytes] = field(default_factory=dict)


@dataclass
class AdapterResult:
    objects: list[ModelObject] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Positions of suppression comments and similar per-file facts, keyed by display path.
    file_facts: dict[str, dict] = field(default_factory=dict)
    # Display paths of Terraform files read only as context (callers of a scanned module outside
    # the scanned paths): their objects take part in the analysis, but findings there are not shown.
    context_files: list[str] = field(default_factory=list)
    # Display folder of module code users cannot see in review (installed under .terraform) ->
    # the `module` block in their own file where findings about it are shown.
    relocations: dict[str, Span] = field(default_factory=dict)
    # (display path, reason) of files read and found not to be inputs: counted in the summary only.
    quiet: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: AdapterResult) -> None:
        self.objects.extend(other.objects)
        self.diagnostics.extend(other.diagnostics)
        self.context_files = sorted({*self.context_files, *other.context_files})
        for directory, site in other.relocations.items():
            self.relocations.setdefault(directory, site)
        self.quiet.extend(other.quiet)
        for key, facts in other.file_facts.items():
            self.file_facts.setdefault(key, {}).update(facts)


def result_to_plain(result: AdapterResult) -> dict[str, Any]:
    """The parts of a result, for `model.codec` (which encodes the objects and values in them)."""
    return {
        "objects": result.objects,
        "diagnostics": result.diagnostics,
        "file_facts": result.file_facts,
        "context_files": result.context_files,
        "relocations": result.relocations,
        "quiet": result.quiet,
    }


def result_from_plain(data: Any) -> AdapterResult | None:
    """The result `result_to_plain` gave `data` for (decoded by `model.codec`); None for another shape."""
    if type(data) is not dict or not {
        "objects",
        "diagnostics",
        "file_facts",
        "context_files",
        "relocations",
        "quiet",
    } <= set(data):
        return None
    objects, diagnostics, facts = data["objects"], data["diagnostics"], data["file_facts"]
    context_files, relocations, quiet = data["context_files"], data["relocations"], data["quiet"]
    if (
        type(objects) is not list
        or not all(isinstance(o, ModelObject) for o in objects)
        or type(diagnostics) is not list
        or not all(type(d) is Diagnostic for d in diagnostics)
        or type(facts) is not dict
        or not all(type(k) is str and type(v) is dict and all(type(n) is str for n in v) for k, v in facts.items())
        or type(context_files) is not list
        or not all(type(p) is str for p in context_files)
        or type(relocations) is not dict
        or not all(type(k) is str and type(v) is Span for k, v in relocations.items())
        or type(quiet) is not list
        or not all(type(q) is tuple and len(q) == 2 and all(type(x) is str for x in q) for q in quiet)
    ):
        return None
    return AdapterResult(objects, diagnostics, facts, context_files, relocations, quiet)


def file_error(source: SourceFile, message: str, line: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(f"{message}", Span(source.path, line, col, line, col))
