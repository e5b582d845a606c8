"""Entry point for every discovered JSON or YAML file: recognise it by content and route it.

- CloudFormation (`AWSTemplateFormatVersion`, or `Resources` typed `AWS::...`) -> `cloudformation`
- a CDK cloud assembly (`manifest.json` with `artifacts`) -> `cdk`; the stack templates and nested
  assembly manifests it names are read through it only, never again as plain files
- local nested-stack templates are likewise read through their parent, with its parameters
- Terraform plan JSON (`format_version` with `planned_values`/`resource_changes`) -> `tfplan`
- standalone policies, lifecycle policies, registry settings, AWS CLI outputs -> `rawjson`

A parsed file that matches none of these is not ours: it is skipped quietly and counted in the
summary (package.json, Kubernetes manifests, workflows...). Buildspecs are read as text by
`textfiles`. A file that cannot be read or parsed gets an ECR900 with the parser's line and column
only when it shows a mark of an input (`docload.looks_like_ours`, or a buildspec's name) and is not
a template that Terraform reads through file()/templatefile() (it is evaluated where it is
rendered); otherwise it is skipped quietly and counted too. Bad input never raises.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ...discover import NOT_INPUT, TEMPLATE_INPUT
from ...source import SourceFile, open_regular
from . import AdapterContext, AdapterResult
from .docload import Document, Loader, looks_like_ours
from .textfiles import is_buildspec

KINDS = ("json", "yaml", "cloudformation", "tfplan", "iam-policy", "cdk")


def _kind_of(doc: Document) -> str | None:
    from .cdk import is_manifest
    from .cloudformation import is_template
    from .tfplan import is_plan

    value = doc.value
    if value is None or not isinstance(value.data, dict):
        return None
    if is_template(value):
        return "cloudformation"
    if is_manifest(value):
        return "cdk"
    if is_plan(value):
        return "tfplan"
    if doc.syntax == "json":
        from .rawjson import classify

        kind = classify(value, doc.path)
        if kind is not None:
            return "raw:" + kind
    return None


def _parent_first(source: SourceFile) -> tuple[int, int, str]:
    """Order files so that CDK manifests and parent stacks are read before what they include.

    A file they include is then known to be consumed before it would be read on its own, which
    lets every document be built and released in one pass (a large tree is never held whole).
    """
    name = os.path.basename(source.path)
    try:
        with open_regular(source.abspath) as handle:
            head = handle.read(1 << 20)
    except OSError:
        return (2, 0, source.path)
    depth = source.path.count("/")  # an enclosing assembly or stack sits higher in the tree
    if name == "manifest.json" and b'"artifacts"' in head:
        return (0, depth, source.path)
    if b"AWS::CloudFormation::Stack" in head:
        return (1, depth, source.path)
    return (2, 0, source.path)


def _why_not_reported(source: SourceFile, doc: Document) -> str | None:
    """None when a file that could not be read or parsed is an input (ECR900), else why it is quiet."""
    if doc.error is not None and source.template_input:
        return TEMPLATE_INPUT
    if is_buildspec(source) or (doc.text is not None and looks_like_ours(doc.text)):
        return None
    return NOT_INPUT


def build(files: list[SourceFile], ctx: AdapterContext) -> AdapterResult:
    """Model objects and ECR900 diagnostics of all structured (JSON/YAML) files.

    Each file that is read on its own is one unit (`model.units`): what it yields, with what it
    pulled in (nested templates, CDK assembly files), comes from the cache while nothing it read
    has changed. Units are modelled apart, so their results are merged here as one pass would have
    made them: a file pulled in by one is not read again on its own, and a document's ECR900 is
    given once while it is loaded (until its own turn comes)."""
    result = AdapterResult()
    roots = list(ctx.roots) or sorted({f.root for f in files if f.root})
    display = ctx.display_path if callable(ctx.display_path) else None
    consumed: set[str] = set()
    reported: set[str] = set()  # documents whose ECR900 was given and that are still loaded
    candidates = sorted((f for f in files if f.kind in KINDS), key=lambda f: f.path)
    for source in sorted(candidates, key=_parent_first):
        key = os.path.realpath(source.abspath)
        if key in consumed:
            reported.discard(key)
            continue
        if source.template_input and source.kind == "json":
            # Terraform reads it with file()/templatefile(): it is part of that configuration and
            # is checked where it is used. Modelled on its own too, each finding would be told twice.
            result.quiet.append((source.path, TEMPLATE_INPUT))
            reported.discard(key)
            continue
        piece = _unit(source, ctx, roots, display)
        consumed.update(piece.consumed)
        given = {index: doc for index, doc in piece.reports}
        diagnostics = []
        for index, diagnostic in enumerate(piece.result.diagnostics):
            doc = given.get(index)
            if doc is not None:
                if doc in reported:
                    continue
                reported.add(doc)
            diagnostics.append(diagnostic)
        piece.result.diagnostics = diagnostics
        result.extend(piece.result)
        reported.discard(key)
    return result


@dataclass
class _Piece:
    """What one file yields, with the files it consumed and which diagnostics report a document."""

    result: AdapterResult
    consumed: list[str]
    reports: list[tuple[int, str]]  # (index in result.diagnostics, document key)

    def encode(self) -> bytes | None:
        from ..codec import piece_bytes

        return piece_bytes(self.result, {"consumed": self.consumed, "reports": self.reports})

    @classmethod
    def decode(cls, data: bytes, keep) -> _Piece | None:
        from ..codec import piece_from_bytes

        found = piece_from_bytes(data, {"consumed": list[str], "reports": list[tuple[int, str]]}, keep)
        if found is None:
            return None
        result, parts = found
        return cls(result, parts["consumed"], parts["reports"])


def _unit(source: SourceFile, ctx: AdapterContext, roots: list[str], display) -> _Piece:
    """One file's piece: from the cache when what it read is unchanged, else modelled."""
    identity = "\0".join((source.abspath, source.path, source.kind, source.root, str(source.template_input)))
    units = ctx.units
    if units is not None:
        data = units.lookup("structured", identity, lambda name: None)
        piece = _Piece.decode(data, units.keeper("structured", identity)) if data is not None else None
        if piece is not None:
            return piece
    loader = Loader(roots=roots, display_path=display)
    if units is not None:
        loader.reads = units.reads()
    piece = _model(source, ctx, loader)
    if units is not None:
        data = piece.encode()
        if data is not None:
            units.store("structured", identity, loader.reads, data)
            piece.result.objects = [units.kept("structured", identity, data, piece.result.objects)]
    return piece


def _model(source: SourceFile, ctx: AdapterContext, loader: Loader) -> _Piece:
    from . import cdk, cloudformation, rawjson, tfplan

    result = AdapterResult()
    consumed: set[str] = set()
    syntax = "json" if source.path.endswith(".json") else ""
    doc = loader.load(source.abspath, source.path, syntax, sniff=True)
    if doc.value is None:
        if not doc.reported:
            why = _why_not_reported(source, doc)
            if why is None:
                result.diagnostics.append(loader.reported(doc, doc.diagnostic()))
            else:
                result.quiet.append((source.path, why))
        return _finish(result, consumed, loader)
    kind = _kind_of(doc)
    if kind is None and not is_buildspec(source):
        result.quiet.append((source.path, NOT_INPUT))
    if kind == "cdk":
        consumed |= cdk.assembly_files(doc, loader)
        result.extend(cdk.build_assembly(doc, ctx, loader))
    elif kind == "cloudformation":
        env = cloudformation.environment(ctx)
        consumed |= set(cloudformation.nested_template_files(doc, env, loader))
        stack = cloudformation.StackInstance(doc=doc, env=env)
        result.extend(cloudformation.build_stack(stack, ctx, loader))
    elif kind == "tfplan":
        result.extend(tfplan.build_plan(doc, ctx))
    elif kind is not None and kind.startswith("raw:"):
        result.extend(rawjson.build_raw(doc, ctx, kind[4:]))
    return _finish(result, consumed, loader)


def _finish(result: AdapterResult, consumed: set[str], loader: Loader) -> _Piece:
    where = {id(d): n for n, d in enumerate(result.diagnostics)}
    reports = [(where[ident], key) for key, ident in loader.reports if ident in where]
    return _Piece(result, sorted(consumed), reports)


__all__ = ["build"]
