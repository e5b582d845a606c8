"""One analysis run, as the CLI and the tests both perform it.

discover -> parse/model -> bind -> evaluate -> merge -> severity overrides -> suppress -> baseline.
Rendering and exit codes stay in the CLI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from .catalog import Rule, load_catalog
from .discover import discover_files, display_path
from .evaluate import evaluate
from .findings import Finding, Undecided
from .model import Model
from .model.build import ModelInputs, build_model, effective_jobs
from .options import Options


class RunError(Exception):
    """Bad input to the run itself (a missing path, a broken baseline): a usage error."""


@dataclass
class Settings:
    paths: list[str]
    options: Options = field(default_factory=Options)
    exclude: tuple[str, ...] = ()
    exclude_base: str | None = None  # the folder `exclude` is relative to (None: each scanned root)
    force_exclude: bool = False  # apply `exclude` to files named explicitly too
    include_test_snapshots: bool = False  # read CDK integ-runner snapshot folders
    var_files: list[str] = field(default_factory=list)
    scenarios: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # absolute root -> name -> files
    select: list[str] = field(default_factory=list)  # empty: the default rule set
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    rules_dirs: tuple[str, ...] = ()
    # Python checks in rules_dirs may run: the folders were named on the command line, or their
    # configuration allows it and so does the environment. Off, so a scanned repository never runs code.
    python_rules: bool = False
    severity: dict[str, str] = field(default_factory=dict)  # rule id or name -> severity
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    config_path: str | None = None
    baseline: str | None = None
    cwd: str | None = None
    cache_dir: str | None = None  # None: no cache on disk
    jobs: int = 1
    not_inputs: tuple[str, ...] = ()  # ecrlint's own files (config, baseline, reports): never scanned
    today: str = field(default_factory=lambda: _today())  # yyyy-mm-dd: expiring suppressions; part of the run key


def _today() -> str:
    from datetime import date

    return date.today().isoformat()


@dataclass
class RunResult:
    findings: list[Finding]  # sorted; suppressed ones carry their suppressions
    undecided: list[tuple[str, Undecided]]
    files_scanned: int
    catalog: list[Rule]
    rules: list[Rule]  # the selected ones
    inputs: ModelInputs
    files_skipped: dict[str, int] = field(default_factory=dict)  # reason -> files left out quietly
    read_quiet: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): read, not inputs

    @property
    def model(self) -> Model:
        """The run's bound model (made now when the run reused its last evaluation)."""
        return self.inputs.model()


# Parse errors and suppression hygiene are reported whatever --select says; only --ignore drops them.
ALWAYS_ON = ("ECR900",)  # an input that cannot be parsed is reported whatever --select says, as ruff does


def _matches(rule: Rule, selectors) -> bool:
    return any(s.upper() == "ALL" or rule.id.startswith(s.upper()) or rule.name == s for s in selectors)


def choose_rules(
    catalog: list[Rule], select: list[str], ignore: list[str], extend_select: list[str] | tuple = ()
) -> list[Rule]:
    """As ruff does: `select` replaces the default set, `extend_select` adds to it, `ignore` removes.

    The default set is the rules whose finding means "act" (`default: true` in rule.yaml); `ALL`
    selects every rule."""
    known = {r.id for r in catalog} | {r.name for r in catalog}
    for selector in [*select, *extend_select, *ignore]:
        if selector.upper() == "ALL":
            continue
        if not any(r.id.startswith(selector.upper()) for r in catalog) and selector not in known:
            raise RunError(f"unknown rule or prefix: {selector}")
    base = {r.id for r in catalog if (_matches(r, select) if select else r.default)}
    chosen = [r for r in catalog if r.id in base or r.id in ALWAYS_ON or _matches(r, extend_select)]
    return [r for r in chosen if not _matches(r, ignore)]


def _read(source) -> str:
    return source.read_text()  # within the size limit, regular files only


def _reader(kept: dict[str, bytes]):
    """`_read`, taking the bytes discovery kept when it has them."""

    def read(source) -> str:
        data = kept.get(source.abspath)
        return data.decode("utf-8") if data is not None else _read(source)

    return read


def _skipped_counts(quiet: list[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _path, reason in quiet:
        counts[reason] = counts.get(reason, 0) + 1
    return counts


def _summary_counts(discovery, read_quiet: dict[str, int]) -> tuple[int, dict[str, int]]:
    """Files scanned, and files skipped by reason: discovery's own and those read and found not to
    be inputs (`read_quiet`)."""
    skipped = {**_skipped_counts(discovery.quiet)}
    for reason, count in read_quiet.items():
        skipped[reason] = skipped.get(reason, 0) + count
    return len(discovery.files) - sum(read_quiet.values()), dict(sorted(skipped.items()))


def run(settings: Settings, catalog: list[Rule] | None = None) -> RunResult:
    from .cache import Cache, using

    with using(Cache(settings.cache_dir)) as cache:
        result = _run(settings, catalog)
        cache.prune()
        return result


def _run(settings: Settings, catalog: list[Rule] | None) -> RunResult:
    """The findings of a run. The cache works below it: pieces of the model and lifecycle answers."""
    cwd = settings.cwd or os.getcwd()
    catalog = catalog if catalog is not None else load_catalog(settings.rules_dirs, python_rules=settings.python_rules)
    rules = choose_rules(catalog, settings.select, settings.ignore, settings.extend_select)
    return _analyse(settings, catalog, rules, _discover(settings, cwd), cwd)


def severity_overrides(catalog: list[Rule], severity: dict[str, str]) -> dict[str, str]:
    """Rule id -> severity, from the configuration's `severity` (keyed by rule id or name)."""
    overrides = {}
    for key, level in severity.items():
        for rule in catalog:
            if key.upper() == rule.id or key == rule.name:
                overrides[rule.id] = level
    return overrides


def project_root(settings: Settings, cwd: str) -> str:
    """Where the project ends: the configuration file's folder, else the git top level above the
    first scanned path, else that path itself."""
    if settings.config_path:
        return os.path.dirname(os.path.abspath(settings.config_path))
    start = os.path.abspath(os.path.join(cwd, settings.paths[0] if settings.paths else "."))
    if not os.path.isdir(start):
        start = os.path.dirname(start)
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return start
        directory = parent


def _discover(settings: Settings, cwd: str):
    skip_folders = (settings.cache_dir,) if settings.cache_dir else ()
    discovery = discover_files(
        settings.paths,
        settings.exclude,
        cwd=cwd,
        exclude_base=settings.exclude_base,
        force_exclude=settings.force_exclude,
        include_test_snapshots=settings.include_test_snapshots,
        skip_folders=skip_folders,
    )
    if discovery.missing:
        raise RunError(f"no such file or directory: {discovery.missing[0]}")
    own = {os.path.abspath(os.path.join(cwd, p)) for p in settings.not_inputs}
    own |= {os.path.realpath(p) for p in own}
    if own:
        discovery.files = [f for f in discovery.files if f.abspath not in own]
    return discovery


def _analyse(settings: Settings, catalog: list[Rule], rules: list[Rule], discovery, cwd: str) -> RunResult:
    from .suppress import (
        apply_baseline,
        apply_suppressions,
        collect_directives,
        config_directives,
        file_metadata_directives,
        read_baseline,
    )

    # Suppression comments are read now, while discovery still holds the Terraform files' bytes.
    directives = collect_directives(discovery.files, _reader(discovery.terraform_bytes))
    jobs = effective_jobs(discovery, settings.jobs)
    inputs = build_model(
        discovery,
        settings.options,
        settings.var_files,
        lambda p: display_path(p, cwd),
        jobs,
        scenarios=settings.scenarios,
        project_root=project_root(settings, cwd),
        cwd=cwd,
    )
    evaluation = _evaluation(inputs, rules, settings.options, jobs)
    adapted = inputs.adapted
    findings, undecided = evaluation.findings, evaluation.undecided
    if adapted.relocations:
        from .relocate import relocate_findings, relocate_undecided

        findings = relocate_findings(findings, adapted.relocations)
        undecided = relocate_undecided(undecided, adapted.relocations)
    if adapted.context_files:  # callers read for a scanned module's inputs are not themselves scanned
        hidden = set(adapted.context_files)
        findings = [f for f in findings if f.span.path not in hidden]
        undecided = [(rule_id, u) for rule_id, u in undecided if u.span.path not in hidden]

    overrides = severity_overrides(catalog, settings.severity)
    if overrides:
        findings = [replace(f, severity=overrides.get(f.rule_id, f.severity)) for f in findings]

    directives += evaluation.directives + file_metadata_directives(adapted.file_facts)
    if settings.per_path_ignores and settings.config_path:
        directives += config_directives(settings.per_path_ignores, display_path(settings.config_path, cwd))
    selected = {r.id for r in rules}
    result = apply_suppressions(findings, directives, catalog, selected, cwd, settings.today)
    findings = result.findings + [f for f in result.hygiene if f.rule_id in selected]
    # One finding per fact, once each instance's own suppressions are known.
    from .merge import merge_findings

    findings = merge_findings(findings, evaluation.display_names)

    if settings.baseline:
        try:
            entries = read_baseline(settings.baseline)
        except (OSError, ValueError) as err:
            raise RunError(f"cannot read baseline {settings.baseline}: {err}") from None
        scanned = {os.path.normpath(os.path.abspath(f.abspath)) for f in discovery.files}
        baseline_path = display_path(settings.baseline, cwd)
        findings, stale = apply_baseline(findings, entries, baseline_path, catalog, cwd, scanned, selected)
        findings += [f for f in stale if f.rule_id in selected]

    findings.sort(key=Finding.sort_key)
    scanned, skipped = _summary_counts(discovery, _skipped_counts(adapted.quiet))
    return RunResult(findings, undecided, scanned, catalog, rules, inputs, skipped, adapted.quiet)


def _evaluation(inputs, rules: list[Rule], options: Options, jobs: int):
    """The rules' findings over the model, and what later stages read from it: the last run's, when
    it evaluated the same model with the same rules and settings (`ecrlint.reuse`)."""
    from .reuse import Evaluation

    reuse_key = None
    if inputs.settings is not None:
        from . import reuse

        digest = inputs.digest()
        reuse_key = reuse.key(inputs.settings, digest, rules) if digest is not None else None
        found = reuse.lookup(reuse_key) if reuse_key is not None else None
        if found is not None:
            return found
    model = inputs.model()
    from .lifecycle import QUESTION_RULES

    prefetched = None
    if any(r.id in QUESTION_RULES for r in rules):
        from .parallel import start_prefetch

        prefetched = start_prefetch(model, options, jobs)
    try:
        before = (lambda rule: prefetched.collect() if rule.id in QUESTION_RULES else None) if prefetched else None
        findings, undecided = evaluate(rules, model, options, before_rule=before)
    finally:
        if prefetched is not None:
            prefetched.close()
    from .merge import display_names
    from .suppress import object_metadata_directives

    evaluation = Evaluation(findings, undecided, display_names(model), object_metadata_directives(model))
    del model
    inputs.release()
    if reuse_key is not None and inputs.settings is not None:  # settings is None once the model was made again
        from . import reuse

        reuse.store(reuse_key, evaluation)
    return evaluation
