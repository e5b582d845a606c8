"""Entry point for every discovered JSON or YAML file: recognise it by content and route it.

- CloudFormation (`AWSTemplateFormatVersion`, or `Resources` typed `AWS::...`) -> `cloudformation`
- a CDK cloud assembly (`manifest.json` with `artifacts`) -> `cdk`; the stack templates and nested
  assembly manifests it names are read through it only, never again as plain files
- local nested-stack templates are likewise read through their parent, with its parameters
- Terraform plan JSON (`format_version` with `planned_values`/`resource_changes`) -> `tfplan`
- standalone policies, lifecycle policies, registry settings, AWS CLI outputs -> `rawjson`

A parsed file that matches none of these is not ours and is skipped quietly (package.json,
buildspecs, Kubernetes manifests...). A file that cannot be read or parsed gets an ECR900 with the
parser's line and column only when a cheap text sniff says it looks like one of ours; otherwise it
is skipped quietly too. Bad input never raises.
"""

from __future__ import annotations

from ...source import SourceFile
from . import AdapterContext, AdapterResult
from .docload import Document, Loader, looks_like_ours

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


def build(files: list[SourceFile], ctx: AdapterContext) -> AdapterResult:
    """Model objects and ECR900 diagnostics of all structured (JSON/YAML) files."""
    from . import cdk, cloudformation, rawjson, tfplan

    result = AdapterResult()
    roots = list(ctx.roots) or sorted({f.root for f in files if f.root})
    display = ctx.display_path if callable(ctx.display_path) else None
    loader = Loader(roots=roots, display_path=display)

    documents: list[tuple[Document, str]] = []
    for source in sorted(files, key=lambda f: f.path):
        if source.kind not in KINDS:
            continue
        syntax = "json" if source.path.endswith(".json") else ""
        doc = loader.load(source.abspath, source.path, syntax, sniff=True)
        if doc.value is None:
            if not doc.reported and not doc.skipped and doc.text is not None and looks_like_ours(doc.text):
                doc.reported = True
                result.diagnostics.append(doc.diagnostic())
            continue
        kind = _kind_of(doc)
        if kind is not None:
            documents.append((doc, kind))

    consumed: set[str] = set()
    for doc, kind in documents:
        if kind == "cdk":
            consumed |= cdk.assembly_files(doc, loader)
        elif kind == "cloudformation":
            env = cloudformation.environment(ctx)
            consumed |= set(cloudformation.nested_template_files(doc, env, loader))

    for doc, kind in documents:
        key = loader.key(doc.abspath)
        if key in consumed:
            continue
        if kind == "cdk":
            result.extend(cdk.build_assembly(doc, ctx, loader))
        elif kind == "cloudformation":
            stack = cloudformation.StackInstance(doc=doc, env=cloudformation.environment(ctx))
            result.extend(cloudformation.build_stack(stack, ctx, loader))
        elif kind == "tfplan":
            result.extend(tfplan.build_plan(doc, ctx))
        elif kind.startswith("raw:"):
            result.extend(rawjson.build_raw(doc, ctx, kind[4:]))
    return result


__all__ = ["build"]
