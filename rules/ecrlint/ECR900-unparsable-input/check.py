"""ECR900 unparsable-input: every input that could not be read or parsed, where the parser stopped.

The adapters record these as diagnostics while they build the model; inputs that could not be
analysed at all (modules not on disk) are undecided records of every run instead (`evaluate.not_analysed`).
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match
from ecrlint.model import Model
from ecrlint.model.adapters import Diagnostic
from ecrlint.rule_api import CheckContext


def diagnostics_check(model: Model, ctx: CheckContext) -> Iterator[Match]:
    for diagnostic in model.diagnostics:
        if isinstance(diagnostic, Diagnostic) and diagnostic.rule_id == "ECR900" and not diagnostic.undecided:
            yield Match(message=diagnostic.message, span=diagnostic.span, address=diagnostic.address)
