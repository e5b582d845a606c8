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
    """Model objects and ECR900 diagnostics of all structured (JSON/YAML) files."""
    from . import cdk, cloudformation, rawjson, tfplan

    result = AdapterResult()
    roots = list(ctx.roots) or sorted({f.root for f in files if f.root})
    display = ctx.display_path if callable(ctx.display_path) else None
    loader = Loader(roots=roots, display_path=display)
    consumed: set[str] = set()
    candidates = sorted((f for f in files if f.kind in KINDS), key=lambda f: f.path)
    for source in sorted(candidates, key=_parent_first):
        key = loader.key(source.abspath)
        if key in consumed:
            loader.release(key)
            continue
        if source.template_input and source.kind == "json":
            # Terraform reads it with file()/templatefile(): it is part of that configuration and
            # is checked where it is used. Modelled on its own too, each finding would be told twice.
            result.quiet.append((source.path, TEMPLATE_INPUT))
            loader.release(key)
            continue
        syntax = "json" if source.path.endswith(".json") else ""
        doc = loader.load(source.abspath, source.path, syntax, sniff=True)
        if doc.value is None:
            if not doc.reported:
                why = _why_not_reported(source, doc)
                if why is None:
                    doc.reported = True
                    result.diagnostics.append(doc.diagnostic())
                else:
                    result.quiet.append((source.path, why))
            loader.release(key)
            continue
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
        loader.release(key)
    return result


__all__ = ["build"]
