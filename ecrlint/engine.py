"""Run the analysis: discovered files -> model -> rules -> sorted findings."""

from __future__ import annotations

import os
from collections.abc import Callable

from .catalog import Rule
from .checks import CheckContext, Options
from .discover import MAX_FILES, Discovery
from .findings import MODULE_NOT_ANALYSED, Finding, Match, Undecided, finding_from
from .graph import bind
from .model import Model
from .model.adapters import AdapterContext, AdapterResult, Diagnostic
from .source import Span

MIN_PARALLEL_FILES = 200  # Terraform and JSON/YAML files each; below this, child processes cost more than they save
# Above this much input, one process does all the work, whatever --jobs says: child processes each hold
# their share of the parse work or of the lifecycle outcomes at once, which on a very large tree costs
# far more memory (774 MB against 241 MB on the benchmark's large corpus) for at most a fifth less time.
MAX_PARALLEL_BYTES = 24 * 1024 * 1024


def effective_jobs(discovery: Discovery, jobs: int) -> int:
    """`jobs`, or 1 when the input is too large for parallel work to be worth its memory."""
    if jobs < 2:
        return jobs
    size = 0
    for source in discovery.files:
        try:
            size += os.path.getsize(source.abspath)
        except OSError:
            continue
    return jobs if size <= MAX_PARALLEL_BYTES else 1


def build_model(
    discovery: Discovery,
    options: Options,
    var_files: list[str],
    display,
    jobs: int = 1,
    scenarios: dict[str, dict[str, list[str]]] | None = None,
    project_root: str | None = None,
    cwd: str | None = None,
) -> tuple[Model, AdapterResult]:
    """The bound model of the discovered files. With the run's cache on disk and `cwd` (where paths
    are shown from) given, each unit's piece of the model is reused while its inputs are unchanged."""
    ctx = AdapterContext(
        options=options,
        roots=discovery.roots,
        var_files=var_files,
        display_path=display,
        scenarios=scenarios or {},
        project_root=project_root,
    )
    if cwd is not None:
        ctx.units = _unit_cache(ctx, cwd)
    result = AdapterResult()
    terraform = [f for f in discovery.files if f.kind in ("terraform", "terraform-json", "tfvars")]
    structured = [f for f in discovery.files if f.kind in ("json", "yaml")]
    text_files = [f for f in discovery.files if f.kind in ("dockerfile", "yaml")]
    parts = []  # (files, builder), in the order their results are merged
    if terraform:
        from .model.adapters import terraform as tf_adapter

        parts.append((terraform, tf_adapter.build))
    if structured:
        from .model.adapters import structured as structured_adapter

        parts.append((structured, structured_adapter.build))
    if jobs > 1 and len(parts) == 2 and min(len(terraform), len(structured)) >= MIN_PARALLEL_FILES:
        # Each part in its own child: they run side by side, and this process keeps only their
        # results, not the parse trees and garbage behind them.
        from .parallel import start_in_child

        pending = [start_in_child(build, files, ctx) for files, build in parts]
        for wait in pending:
            result.extend(wait())
    else:
        for files, build in parts:
            result.extend(build(files, ctx))
    if text_files:
        from .model.adapters import textfiles

        result.extend(textfiles.build(text_files, ctx))
    for path, why in discovery.skipped:
        result.diagnostics.append(Diagnostic(f"not read: {why}", Span(path, 1, 1, 1, 1)))
    if discovery.truncated:
        message = (
            f"more than {MAX_FILES} input files: stopped collecting at {discovery.truncated}; the rest is not analysed"
        )
        result.diagnostics.append(Diagnostic(message, Span(discovery.truncated, 1, 1, 1, 1)))
    model = Model(objects=list(result.objects), diagnostics=list(result.diagnostics))
    return bind(model), result


def _unit_cache(ctx: AdapterContext, cwd: str):
    """The run's unit cache, keyed by everything besides the files that shapes the model's pieces."""
    from .cache import current

    cache = current()
    if not cache.ready():
        return None
    from .model.units import UnitCache, tree_digest

    model_dirs = tuple(ctx.options.extra.get("module_models", ()))
    settings = [
        repr(ctx.options),
        repr((ctx.roots, ctx.var_files, sorted(ctx.scenarios.items()), ctx.project_root, cwd)),
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("ECRLINT_"))),
        tree_digest(model_dirs),
    ]
    return UnitCache(cache, settings)


def _check_function(rule: Rule):
    from .checks import load_check

    return load_check(rule)


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
            results = _check_function(rule)(model, ctx)
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
