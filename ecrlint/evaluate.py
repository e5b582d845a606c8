"""Evaluate the selected rules over the model: matches -> sorted findings and undecided records."""

from __future__ import annotations

from collections.abc import Callable

from .catalog import Rule
from .findings import MODULE_NOT_ANALYSED, Finding, Match, Undecided, finding_from
from .model import Model
from .model.adapters import Diagnostic
from .options import Options
from .rule_api import CheckContext


def evaluate(
    rules: list[Rule], model: Model, options: Options, before_rule: Callable[[Rule], None] | None = None
) -> tuple[list[Finding], list[tuple[str, Undecided]]]:
    """Run each rule over the model; `before_rule(rule)` is called first (e.g. to collect answers
    computed in the background)."""
    findings: list[Finding] = []
    undecided: list[tuple[str, Undecided]] = []
    for rule in rules:
        if rule.engine is not None:
            continue  # produced by its pipeline stage, not here
        if before_rule is not None:
            before_rule(rule)
        ctx = CheckContext(options=options, rule_id=rule.id)
        if rule.query is not None:
            from .query import compile_query, run_query

            results = run_query(compile_query(rule.query), rule.message or rule.title, model)
        else:
            from .rule_loader import load_check

            results = load_check(rule)(model, ctx)
        for item in results:
            if isinstance(item, Match):
                findings.append(finding_from(rule.id, rule.name, rule.severity, item))
            elif isinstance(item, Undecided):
                undecided.append((rule.id, item))
    # What the rules computed and shared (policy analyses, the network, lifecycle answers) lives on the
    # model for this evaluation only: dropped now, so it does not stay in memory while output is written.
    model.forget_derived()
    undecided.extend(("ECR900", record) for record in not_analysed(model))
    from .scenarios import merge_findings, merge_undecided

    findings = sorted(set_unique(merge_findings(findings)), key=Finding.sort_key)
    undecided = merge_undecided(undecided)
    undecided.sort(key=lambda pair: (pair[1].span.path, pair[1].span.start_line, pair[0], pair[1].reason))
    return findings, undecided


def set_unique(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        key = (f.rule_id, f.span, f.message, f.address)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def not_analysed(model: Model) -> list[Undecided]:
    """Inputs that could not be analysed at all (modules not on disk): undecided in every run,
    whichever rules are selected, since any rule could have fired on them."""
    return [
        Undecided(d.message, d.span, d.address, MODULE_NOT_ANALYSED)
        for d in model.diagnostics
        if isinstance(d, Diagnostic) and d.undecided
    ]
