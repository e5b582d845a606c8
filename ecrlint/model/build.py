"""Build the model: discovered files -> adapters (per unit, from the cache when unchanged) -> bound relations."""

from __future__ import annotations

import os

from ..discover import MAX_FILES, Discovery
from ..options import Options
from ..relations import bind
from ..source import Span
from . import Model
from .adapters import AdapterContext, AdapterResult, Diagnostic

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
) -> ModelInputs:
    """What the discovered files yield, the model made from it when asked. With the run's cache on
    disk and `cwd` (where paths are shown from) given, each unit's piece of the model is reused
    while its inputs are unchanged."""
    ctx = AdapterContext(
        options=options,
        roots=discovery.roots,
        var_files=var_files,
        display_path=display,
        scenarios=scenarios or {},
        project_root=project_root,
    )
    ctx.terraform_bytes, discovery.terraform_bytes = discovery.terraform_bytes, {}
    if cwd is not None:
        ctx.units = _unit_cache(ctx, cwd)
        if ctx.units is not None:
            ctx.units.seed(ctx.terraform_bytes)
    result = _adapt(discovery, ctx, jobs)
    ctx.terraform_bytes = {}
    if ctx.units is None:
        return ModelInputs(result, None, None)
    settings = ctx.units.settings
    ctx.units = None  # its file digests (megabytes on a large tree) need not stay for the whole run

    def again() -> AdapterResult:
        ctx.units = _unit_cache(ctx, cwd)
        if ctx.units is not None:
            ctx.units.lazy_objects = False
        try:
            return _adapt(discovery, ctx, jobs)
        finally:
            ctx.units = None

    return ModelInputs(result, settings, again)


def _adapt(discovery: Discovery, ctx: AdapterContext, jobs: int) -> AdapterResult:
    result = AdapterResult()
    terraform = [f for f in discovery.files if f.kind in ("terraform", "terraform-json", "tfvars")]
    structured = [f for f in discovery.files if f.kind in ("json", "yaml")]
    text_files = [f for f in discovery.files if f.kind in ("dockerfile", "yaml")]
    parts = []  # (files, builder), in the order their results are merged
    if terraform:
        from .adapters import terraform as tf_adapter

        parts.append((terraform, tf_adapter.build))
    if structured:
        from .adapters import structured as structured_adapter

        parts.append((structured, structured_adapter.build))
    if jobs > 1 and len(parts) == 2 and min(len(terraform), len(structured)) >= MIN_PARALLEL_FILES:
        # Each part in its own child: they run side by side, and this process keeps only their
        # results, not the parse trees and garbage behind them.
        from ..parallel import start_in_child

        pending = [start_in_child(build, files, ctx) for files, build in parts]
        for wait in pending:
            result.extend(wait())
    else:
        for files, build in parts:
            result.extend(build(files, ctx))
    if text_files:
        from .adapters import textfiles

        result.extend(textfiles.build(text_files, ctx))
    for path, why in discovery.skipped:
        result.diagnostics.append(Diagnostic(f"not read: {why}", Span(path, 1, 1, 1, 1)))
    if discovery.truncated:
        message = (
            f"more than {MAX_FILES} input files: stopped collecting at {discovery.truncated}; the rest is not analysed"
        )
        result.diagnostics.append(Diagnostic(message, Span(discovery.truncated, 1, 1, 1, 1)))
    return result


class ModelInputs:
    """The adapters' result, and the bound model made from it when first asked for. Pieces read
    from the unit cache keep their objects encoded until then, so a run that reuses its last
    evaluation (`ecrlint.reuse`) never decodes them."""

    def __init__(self, adapted: AdapterResult, settings: str | None, again) -> None:
        self.adapted = adapted
        self.settings = settings  # the unit cache's settings key; None without a cache
        self._again = again  # the same result made again, each cached piece decoded as it is read
        self._model: Model | None = None
        self._released = False

    def digest(self) -> str | None:
        """A hash of everything the model is made of, as encoded; None without a cache, or when a
        part cannot be encoded."""
        import hashlib

        from .codec import dumps
        from .units import StoredObjects

        if self.settings is None:
            return None
        digest = hashlib.sha256()
        try:
            for item in self.adapted.objects:
                digest.update(item.sha if isinstance(item, StoredObjects) else hashlib.sha256(dumps([item])).digest())
            digest.update(dumps(self.adapted.diagnostics))
        except (TypeError, ValueError, RecursionError):
            return None
        return digest.hexdigest()

    def release(self) -> None:
        """Let the model go when it can be made again (a run with a cache): the stages after the
        evaluation do not read it, and the output is written with less memory held."""
        if self._again is not None:
            self._model, self._released = None, True

    def model(self) -> Model:
        if self._model is None:
            from .codec import DecodeError

            if self._released:
                self.adapted = self._again()
            try:
                objects = _objects(self.adapted.objects)
            except DecodeError:
                # A signed piece of the wrong shape: the adapters run again, decoding each cached
                # piece as they read it, so that such a piece is modelled again and replaced. The
                # digest was of the bad piece: this run's evaluation is not kept.
                self.adapted, self.settings = self._again(), None
                objects = _objects(self.adapted.objects)
            self.adapted.objects = []  # the model holds them now; the encoded pieces can go
            self._model = bind(Model(objects=objects, diagnostics=list(self.adapted.diagnostics)))
        return self._model


def _objects(items: list) -> list:
    from .units import StoredObjects

    objects = []
    for item in items:
        if isinstance(item, StoredObjects):
            objects.extend(item.objects())
        else:
            objects.append(item)
    return objects


def _unit_cache(ctx: AdapterContext, cwd: str):
    """The run's unit cache, keyed by everything besides the files that shapes the model's pieces."""
    from ..cache import current

    cache = current()
    if not cache.ready():
        return None
    from .units import UnitCache, tree_digest

    model_dirs = tuple(ctx.options.extra.get("module_models", ()))
    settings = [
        repr(ctx.options),
        repr((ctx.roots, ctx.var_files, sorted(ctx.scenarios.items()), ctx.project_root, cwd)),
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("ECRLINT_"))),
        tree_digest(model_dirs),
    ]
    return UnitCache(cache, settings)
