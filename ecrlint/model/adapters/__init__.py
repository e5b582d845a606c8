"""Adapters turn parsed files of one input format into model objects.

Each adapter module exposes `build(files, ctx) -> AdapterResult`. Adapters report files they
cannot read as `Diagnostic`s (ECR900) and carry on; they never raise for bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...checks import Options
from ...source import SourceFile, Span
from ..objects import ModelObject


@dataclass(frozen=True)
class Diagnostic:
    """A problem with an input file itself (ECR900), or a rule-specific input error."""

    message: str
    span: Span
    rule_id: str = "ECR900"
    address: str | None = None


@dataclass
class AdapterContext:
    options: Options
    roots: list[str] = field(default_factory=list)  # absolute scanned roots; file() may not leave them
    var_files: list[str] = field(default_factory=list)  # --var-file, absolute paths
    display_path: object = None  # callable abspath -> path as shown to users


@dataclass
class AdapterResult:
    objects: list[ModelObject] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Positions of suppression comments and similar per-file facts, keyed by display path.
    file_facts: dict[str, dict] = field(default_factory=dict)
    # (display path, reason) of files read and found not to be inputs: counted in the summary only.
    quiet: list[tuple[str, str]] = field(default_factory=list)

    def extend(self, other: AdapterResult) -> None:
        self.objects.extend(other.objects)
        self.diagnostics.extend(other.diagnostics)
        self.quiet.extend(other.quiet)
        for key, facts in other.file_facts.items():
            self.file_facts.setdefault(key, {}).update(facts)


def file_error(source: SourceFile, message: str, line: int = 1, col: int = 1) -> Diagnostic:
    return Diagnostic(f"{message}", Span(source.path, line, col, line, col))
