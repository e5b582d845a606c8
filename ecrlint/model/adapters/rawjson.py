"""Standalone JSON documents: policies, lifecycle policies, registry settings and AWS CLI outputs.

Each kind has a JSON Schema in `ecrlint/schemas/inputs/`: `$defs.shape` is a loose description
that recognises the kind (a file matching no shape is not ours and is skipped), the schema itself
is the strict one. A file that has a kind's shape but breaks its schema gets an ECR900 located at
the offending value and does not enter the model, except a lifecycle policy: it enters the model
anyway, because ECR401 reports broken lifecycle policies with more precise messages.

Policy documents: a statement naming a `Principal` makes a resource policy, else an identity policy.
A resource policy is a registry policy when it grants `ecr:ReplicateImage`, `ecr:CreateRepository`
or `ecr:BatchImportUpstreamImage`, an ECR Public repository policy when its actions are
`ecr-public:`, else a repository policy (with no repository: the file does not say which). A file
name containing `registry` or `repository`/`repo` settles the ambiguous cases. Policies that name
no ECR action are not ours (an S3 bucket policy, a trust policy) and are skipped.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from typing import Any

from ...values import Value, known
from ..objects import (
    IamPolicy,
    LifecyclePolicy,
    ModelObject,
    PublicRepositoryPolicy,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
    RepositoryPolicy,
)
from ..policy import parse_policy_document
from . import AdapterContext, AdapterResult, Diagnostic
from .cloudformation import Spec, reshape
from .docload import Document, embedded_json

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "schemas", "inputs")

# Recognition order: the most specific shapes first.
KINDS = (
    "cli-describe-repositories",
    "cli-describe-registry",
    "cli-get-registry-scanning-configuration",
    "cli-get-repository-policy",
    "cli-get-lifecycle-policy",
    "cli-get-registry-policy",
    "lifecycle-policy",
    "replication-configuration",
    "registry-scanning-configuration",
    "registry-policy",
    "repository-policy",
    "identity-policy",
)
# Every shape requires one of these at the top: a cheap test before any schema.
TOP_LEVEL_KEYS = frozenset(
    {"Statement", "rules", "scanType", "repositories", "registryId", "repositoryName", "scanningConfiguration"}
)
POLICY_KINDS = ("registry-policy", "repository-policy", "identity-policy")
REGISTRY_ACTIONS = {"ecr:replicateimage", "ecr:createrepository", "ecr:batchimportupstreamimage"}
_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:ecr:([a-z0-9-]+):(\d{12}):")

_FILTERS: Spec = {"filter": ("filter", None), "filterType": ("filter_type", None)}
_REPLICATION_RULES: Spec = {
    "destinations": ("destinations", {"region": ("region", None), "registryId": ("registry_id", None)}),
    "repositoryFilters": ("repository_filters", _FILTERS),
}
_SCANNING_RULES: Spec = {
    "scanFrequency": ("scan_frequency", None),
    "repositoryFilters": ("repository_filters", _FILTERS),
}


@cache
def _schema(kind: str) -> dict[str, Any]:
    with open(os.path.join(SCHEMA_DIR, f"{kind}.schema.json"), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _validators(kind: str) -> tuple[Any, Any]:
    from jsonschema import Draft202012Validator

    schema = _schema(kind)
    shape = {"$defs": schema.get("$defs", {}), "$ref": "#/$defs/shape"}
    return Draft202012Validator(shape), Draft202012Validator(schema)


def _actions(document: Any) -> list[str]:
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    out: list[str] = []
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, dict):
            continue
        for key in ("Action", "NotAction"):
            actions = statement.get(key)
            for action in [actions] if isinstance(actions, str) else actions if isinstance(actions, list) else []:
                if isinstance(action, str):
                    out.append(action.lower())
    return out


def _name_hint(path: str) -> str:
    name = os.path.basename(path).lower()
    if "registry" in name:
        return "registry"
    if "repository" in name or "repo" in name:
        return "repository"
    return ""


def classify(value: Value, path: str) -> str | None:
    """The kind of a standalone JSON document, or None when it is not one of ours."""
    if not isinstance(value.data, dict) or not TOP_LEVEL_KEYS.intersection(value.data):
        return None
    plain = value.plain()
    for kind in KINDS:
        shape, _ = _validators(kind)
        if not shape.is_valid(plain):
            continue
        if kind in POLICY_KINDS:
            return _policy_kind(kind, plain, path)
        return kind
    return None


def _policy_kind(kind: str, plain: dict[str, Any], path: str) -> str | None:
    actions = _actions(plain)
    hint = _name_hint(path)
    ecr = [a for a in actions if a.startswith("ecr:") or a.startswith("ecr-public:")]
    if not ecr and not ("*" in actions and (hint or "ecr" in os.path.basename(path).lower())):
        return None
    if kind == "identity-policy":
        return kind
    if ecr and all(a.startswith("ecr-public:") for a in ecr):
        return "public-repository-policy"
    if hint == "registry":
        return "registry-policy"
    if hint == "repository":
        return "repository-policy"
    if any(a in REGISTRY_ACTIONS for a in actions):
        return "registry-policy"
    return "repository-policy"


def _at(value: Value, path: list[Any]) -> Value:
    """The deepest Value along a JSON Schema error path."""
    node = value
    for step in path:
        if isinstance(step, int) and isinstance(node.data, list) and 0 <= step < len(node.data):
            node = node.data[step]
        elif isinstance(step, str) and isinstance(node.data, dict) and step in node.data:
            node = node.data[step]
        else:
            break
    return node


def schema_errors(kind: str, value: Value) -> list[tuple[str, Value]]:
    """(message, located value) for each violation of the kind's strict schema, most relevant first."""
    from jsonschema.exceptions import best_match, relevance

    schema_kind = "repository-policy" if kind == "public-repository-policy" else kind
    _, strict = _validators(schema_kind)
    errors = sorted(strict.iter_errors(value.plain()), key=relevance, reverse=True)
    # best_match looks inside anyOf/oneOf for the error that says most (e.g. a bad Effect value).
    errors = [best_match([error]) for error in errors]
    out = []
    for error in errors:
        where = "/".join(str(p) for p in error.absolute_path)
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        out.append((f"{message} (at /{where})" if where else message, _at(value, list(error.absolute_path))))
    return out


def _text(value: Value | None) -> str | None:
    return value.data if value is not None and isinstance(value.data, str) else None


def _account(value: Value | None) -> Value | None:
    return value if value is not None and isinstance(value.data, str) else None


class _Builder:
    def __init__(self, doc: Document, ctx: AdapterContext, kind: str):
        assert doc.value is not None
        self.doc = doc
        self.ctx = ctx
        self.kind = kind
        self.value = doc.value

    def header(self, address: str, value: Value, account: Value | None = None, region: Value | None = None) -> dict:
        if account is None and self.ctx.options.account_id:
            account = known(str(self.ctx.options.account_id), value.span, trace=("--account-id",))
        return {
            "address": address,
            "span": value.span,
            "source_format": "json",
            "account_id": account,
            "region": region,
            "resource_type": self.kind,
            "extra": {"input_kind": self.kind},
        }

    def objects(self) -> list[ModelObject]:
        v = self.value
        kind = self.kind
        if kind == "lifecycle-policy":
            return [LifecyclePolicy(**self.header("lifecycle_policy", v), repository=None, document=v)]
        if kind == "repository-policy":
            return [RepositoryPolicy(**self.header("repository_policy", v), document=parse_policy_document(v))]
        if kind == "public-repository-policy":
            return [
                PublicRepositoryPolicy(**self.header("public_repository_policy", v), document=parse_policy_document(v))
            ]
        if kind == "registry-policy":
            return [RegistryPolicy(**self.header("registry_policy", v), document=parse_policy_document(v))]
        if kind == "identity-policy":
            return [IamPolicy(**self.header("iam_policy", v), document=parse_policy_document(v))]
        if kind == "replication-configuration":
            rules = reshape(v.get("rules"), _REPLICATION_RULES)
            return [ReplicationConfiguration(**self.header("replication_configuration", v), rules=rules)]
        if kind == "registry-scanning-configuration":
            return [self._scanning(v, "registry_scanning_configuration", None)]
        if kind == "cli-get-repository-policy":
            name = v.get("repositoryName")
            text = v.get("policyText")
            document = parse_policy_document(embedded_json(text)) if text is not None else None
            return [
                RepositoryPolicy(
                    **self.header(f"repository_policy[{_text(name)!r}]", v, _account(v.get("registryId"))),
                    repository=name,
                    document=document,
                )
            ]
        if kind == "cli-get-lifecycle-policy":
            name = v.get("repositoryName")
            text = v.get("lifecyclePolicyText")
            return [
                LifecyclePolicy(
                    **self.header(f"lifecycle_policy[{_text(name)!r}]", v, _account(v.get("registryId"))),
                    repository=name,
                    document=embedded_json(text) if text is not None else None,
                )
            ]
        if kind == "cli-get-registry-policy":
            text = v.get("policyText")
            document = parse_policy_document(embedded_json(text)) if text is not None else None
            return [
                RegistryPolicy(**self.header("registry_policy", v, _account(v.get("registryId"))), document=document)
            ]
        if kind == "cli-describe-registry":
            config = v.get("replicationConfiguration")
            rules = reshape(config.get("rules"), _REPLICATION_RULES) if config is not None else None
            header = self.header("replication_configuration", v, _account(v.get("registryId")))
            return [ReplicationConfiguration(**header, rules=rules)]
        if kind == "cli-get-registry-scanning-configuration":
            config = v.get("scanningConfiguration")
            if config is None or not isinstance(config.data, dict):
                return []
            return [self._scanning(config, "registry_scanning_configuration", _account(v.get("registryId")))]
        if kind == "cli-describe-repositories":
            return self._repositories(v)
        return []

    def _scanning(self, config: Value, address: str, account: Value | None) -> ModelObject:
        rules = reshape(config.get("rules"), _SCANNING_RULES)
        return RegistryScanningConfiguration(
            **self.header(address, config, account), scan_type=config.get("scanType"), rules=rules
        )

    def _repositories(self, v: Value) -> list[ModelObject]:
        out: list[ModelObject] = []
        repositories = v.get("repositories")
        for index, item in enumerate(repositories.data if repositories is not None else []):
            if not isinstance(item.data, dict):
                continue
            name = item.get("repositoryName")
            arn = _text(item.get("repositoryArn"))
            m = _ARN.match(arn) if arn else None
            account = _account(item.get("registryId"))
            region = None
            if m:
                arn_value = item.get("repositoryArn")
                region = known(m.group(1), arn_value.span, trace=("region of repositoryArn",))
                if account is None:
                    account = known(m.group(2), arn_value.span, trace=("account of repositoryArn",))
            label = _text(name)
            address = f"repositories[{label!r}]" if label else f"repositories[{index}]"
            filters = item.get("imageTagMutabilityExclusionFilters")
            if filters is not None and isinstance(filters.data, list):
                filters = Value(
                    [f.get("filter") for f in filters.data if isinstance(f.data, dict) and f.get("filter")],
                    filters.span,
                )
            scanning = item.get("imageScanningConfiguration")
            encryption = item.get("encryptionConfiguration")
            kms_key = encryption.get("kmsKey") if encryption is not None else None
            out.append(
                Repository(
                    **self.header(address, item, account, region),
                    name=name,
                    image_tag_mutability=item.get("imageTagMutability"),
                    image_tag_mutability_exclusion_filters=filters,
                    scan_on_push=scanning.get("scanOnPush") if scanning is not None else None,
                    encryption_type=encryption.get("encryptionType") if encryption is not None else None,
                    kms_key=kms_key if kms_key is not None and kms_key.data else None,
                )
            )
        return out


def build_raw(doc: Document, ctx: AdapterContext, kind: str) -> AdapterResult:
    """Model objects (and ECR900 for schema violations) of one standalone JSON document."""
    assert doc.value is not None
    result = AdapterResult()
    result.file_facts.setdefault(doc.path, {})["format"] = f"json:{kind}"
    errors = schema_errors(kind, doc.value)
    if errors and kind != "lifecycle-policy":
        message, where = errors[0]
        title = _schema("repository-policy" if kind == "public-repository-policy" else kind)["title"]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        result.diagnostics.append(Diagnostic(f"not a valid {title}: {message}{more}", where.span))
        return result
    objects = _Builder(doc, ctx, kind).objects()
    if errors and kind == "lifecycle-policy":
        for obj in objects:
            obj.extra["schema_errors"] = [message for message, _ in errors]
    result.objects.extend(objects)
    return result


__all__ = ["classify", "build_raw", "schema_errors", "KINDS", "SCHEMA_DIR"]
