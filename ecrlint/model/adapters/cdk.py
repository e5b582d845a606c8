"""CDK cloud assemblies (`cdk.out`): stacks read through `manifest.json`.

Every artifact of type `aws:cloudformation:stack` names its template (`properties.templateFile`)
and its environment `aws://ACCOUNT/REGION`; a known account and region feed `AWS::AccountId` /
`AWS::Region` and the objects' `account_id`/`region` (`unknown-account`/`unknown-region` leave
them undecided). Nested assemblies (`cdk:cloud-assembly`, one per CDK Stage) are followed. Construct
paths come from the resources' `aws:cdk:path` metadata, else from the manifest's
`aws:cdk:logicalId` entries. Templates read here are not read again as plain templates.

The bootstrap stack's container-assets repository (`cdk-<qualifier>-container-assets-...`, logical
id `ContainerAssetsRepository` in the bootstrap template) is marked `is_cdk_bootstrap`, so rules
can leave it alone: it belongs to the CDK toolkit, not to the app.
"""

from __future__ import annotations

import re

from ...values import Value, known
from . import AdapterContext, AdapterResult
from .cfn_intrinsics import StackEnvironment
from .docload import Document, Loader

MAX_ASSEMBLY_NESTING = 5
STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY = "cdk:cloud-assembly"
_ENVIRONMENT = re.compile(r"^aws://([^/]+)/([^/]+)$")


def is_manifest(value: Value | None) -> bool:
    if value is None or not isinstance(value.data, dict):
        return False
    artifacts = value.data.get("artifacts")
    if artifacts is None or not isinstance(artifacts.data, dict):
        return False
    if "version" not in value.data and not artifacts.data:
        return False
    for artifact in artifacts.data.values():
        kind = artifact.get("type") if isinstance(artifact.data, dict) else None
        if (
            kind is not None
            and isinstance(kind.data, str)
            and (kind.data.startswith("cdk:") or kind.data.startswith("aws:"))
        ):
            return True
    return False


def _artifacts(doc: Document) -> list[tuple[str, Value]]:
    assert doc.value is not None
    artifacts = doc.value.get("artifacts")
    if artifacts is None or not isinstance(artifacts.data, dict):
        return []
    return [(k, v) for k, v in artifacts.data.items() if isinstance(v.data, dict)]


def _text(value: Value | None) -> str | None:
    return value.data if value is not None and isinstance(value.data, str) else None


def _file_of(doc: Document, loader: Loader, artifact: Value) -> tuple[str, str, str] | None:
    """(kind, abspath, display path) of the template or nested manifest an artifact names."""
    kind = _text(artifact.get("type"))
    props = artifact.get("properties")
    if kind == STACK_ARTIFACT:
        name = _text(props.get("templateFile") if props is not None else None)
    elif kind == NESTED_ASSEMBLY:
        directory = _text(props.get("directoryName") if props is not None else None)
        name = f"{directory.rstrip('/')}/manifest.json" if directory else None
    else:
        return None
    if not name:
        return None
    target = loader.relative(doc, name)
    if target is None:
        return None
    return kind, target[0], target[1]


def assembly_files(doc: Document, loader: Loader, depth: int = 0) -> set[str]:
    """Real paths of every template and nested manifest the assembly reads."""
    files: set[str] = set()
    if doc.value is None or depth > MAX_ASSEMBLY_NESTING:
        return files
    for _, artifact in _artifacts(doc):
        found = _file_of(doc, loader, artifact)
        if found is None:
            continue
        kind, abspath, display = found
        files.add(loader.key(abspath))
        if kind == NESTED_ASSEMBLY:
            nested = loader.load(abspath, display, "json")
            if nested.value is not None and is_manifest(nested.value):
                files |= assembly_files(nested, loader, depth + 1)
    return files


def _environment(artifact: Value) -> tuple[Value | None, Value | None]:
    env = artifact.get("environment")
    text = _text(env)
    if env is None or text is None:
        return None, None
    m = _ENVIRONMENT.match(text)
    if not m:
        return None, None
    account, region = m.groups()
    account_value = known(account, env.span, trace=("CDK stack environment",)) if account != "unknown-account" else None
    region_value = known(region, env.span, trace=("CDK stack environment",)) if region != "unknown-region" else None
    return account_value, region_value


def _construct_paths(artifact: Value) -> dict[str, str]:
    paths: dict[str, str] = {}
    metadata = artifact.get("metadata")
    if metadata is None or not isinstance(metadata.data, dict):
        return paths
    for path, entries in metadata.data.items():
        for entry in entries.data if isinstance(entries.data, list) else []:
            if not isinstance(entry.data, dict):
                continue
            if _text(entry.get("type")) == "aws:cdk:logicalId":
                logical = _text(entry.get("data"))
                if logical:
                    paths.setdefault(logical, path.lstrip("/"))
    return paths


def build_assembly(doc: Document, ctx: AdapterContext, loader: Loader, depth: int = 0) -> AdapterResult:
    """Model objects of every stack of a cloud assembly (nested assemblies included)."""
    from .cloudformation import StackInstance, build_stack, environment, is_template

    result = AdapterResult()
    if doc.value is None or depth > MAX_ASSEMBLY_NESTING:
        return result
    facts = result.file_facts.setdefault(doc.path, {})
    facts["format"] = "cdk"
    missing: list[str] = []
    for artifact_id, artifact in _artifacts(doc):
        found = _file_of(doc, loader, artifact)
        kind = _text(artifact.get("type"))
        if found is None:
            if kind in (STACK_ARTIFACT, NESTED_ASSEMBLY):
                missing.append(artifact_id)
            continue
        kind, abspath, display = found
        child = loader.load(abspath, display, "json")
        if child.value is None:
            if not child.reported:
                prefix = "CDK stack template: " if kind == STACK_ARTIFACT else "CDK nested assembly manifest: "
                result.diagnostics.append(loader.reported(child, child.diagnostic(prefix)))
            continue
        if kind == NESTED_ASSEMBLY:
            if is_manifest(child.value):
                result.extend(build_assembly(child, ctx, loader, depth + 1))
            continue
        if not is_template(child.value):
            continue
        account, region = _environment(artifact)
        env: StackEnvironment = environment(ctx, account, region)
        props = artifact.get("properties")
        stack_name = props.get("stackName") if props is not None else None
        env.stack_name = stack_name if stack_name is not None else known(artifact_id, doc.value.span)
        parameters = props.get("parameters") if props is not None else None
        if parameters is not None and isinstance(parameters.data, dict):
            env.parameter_values = {
                k: v if isinstance(v.data, str) else known(str(v.data), v.span) for k, v in parameters.data.items()
            }
        stack = StackInstance(
            doc=child,
            env=env,
            source_format="cdk",
            construct_paths=_construct_paths(artifact),
            chain=(loader.key(doc.abspath),),
            stack_label=artifact_id,
        )
        result.extend(build_stack(stack, ctx, loader))
    if missing:
        facts["missing_artifacts"] = missing
    return result


__all__ = ["is_manifest", "assembly_files", "build_assembly"]
