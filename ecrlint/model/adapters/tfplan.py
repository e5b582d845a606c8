"""Terraform plan JSON (`terraform show -json <planfile>`) into model objects.

Managed resources come from `planned_values` (root module and child modules, recursively), with
their full addresses (`module.ecr.aws_ecr_repository.this["api"]`). Each is joined by address with
its `resource_changes` entry: attributes marked in `change.after_unknown` become `Unknown` ("known
after apply"), and the change itself (actions, `replace_paths`, `action_reason`, `before`) is kept in
`obj.extra["change"]`. A plan without `planned_values` is read from `resource_changes[].change.after`.

Attribute names are the provider's, as in `.tf` files; nested blocks are lists of objects. JSON
attributes (policies, lifecycle policies, container definitions) are parsed. Values keep their span
in the plan file; an attribute known only after apply is located at the resource.

Account: the resource's own `registry_id` or ARN, else the plan's account (from
`data.aws_caller_identity`, resources' own ARNs, or the provider's `allowed_account_ids`), else
`--account-id`. Region: the resource's `region` argument or ARN, else the provider's region.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...source import Span
from ...values import Value, known, unknown
from ..objects import (
    CodeBuildProject,
    ConfigRule,
    EcsTaskDefinition,
    EksNodeGroup,
    IamPolicy,
    IamRole,
    LambdaFunction,
    LifecyclePolicy,
    ModelObject,
    OrganizationsPolicy,
    PublicRepository,
    PublicRepositoryPolicy,
    PullThroughCacheRule,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
    RepositoryCreationTemplate,
    RepositoryPolicy,
    RouteTable,
    Vpc,
    VpcEndpoint,
)
from ..policy import PolicyDocument, parse_policy_document
from . import AdapterContext, AdapterResult, Diagnostic
from .cfn_intrinsics import map_value
from .cloudformation import Spec, reshape
from .docload import Document, embedded_json

KNOWN_AFTER_APPLY = "known after apply"
_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:[a-z0-9-]+:([a-z0-9-]*):(\d{12}):")
_MODULE_STEP = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?\.')
_RESOURCE_REF = re.compile(r"^(?:data\.)?[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


def is_plan(value: Value | None) -> bool:
    if value is None or not isinstance(value.data, dict):
        return False
    data = value.data
    return "format_version" in data and ("planned_values" in data or "resource_changes" in data)


def _module_path(address: str) -> tuple[tuple[str, ...], str]:
    """(module names, resource address inside the module without index) of an absolute address."""
    modules: list[str] = []
    pos = 0
    while True:
        m = _MODULE_STEP.match(address, pos)
        if not m:
            break
        modules.append(m.group(1))
        pos = m.end()
    rest = address[pos:]
    rest = re.sub(r"\[[^\]]*\]$", "", rest)
    return tuple(modules), rest


class _Plan:
    def __init__(self, doc: Document, ctx: AdapterContext):
        assert doc.value is not None
        self.doc = doc
        self.ctx = ctx
        self.root = doc.value
        self.changes: dict[str, Value] = {}
        for change in self._list(self.root.get("resource_changes")):
            address = change.get("address")
            if address is not None and isinstance(address.data, str) and change.get("deposed") is None:
                self.changes[address.data] = change
        self.config: dict[tuple[tuple[str, ...], str], Value] = {}
        configuration = self.root.get("configuration")
        if configuration is not None:
            self._index_config(configuration.get("root_module"), ())
        self.provider_region, self.provider_accounts = self._provider()
        self.plan_account = self._plan_account()

    @staticmethod
    def _list(value: Value | None) -> list[Value]:
        return list(value.data) if value is not None and isinstance(value.data, list) else []

    def _index_config(self, module: Value | None, path: tuple[str, ...]) -> None:
        if module is None or not isinstance(module.data, dict):
            return
        for resource in self._list(module.get("resources")):
            address = resource.get("address")
            expressions = resource.get("expressions")
            if address is not None and isinstance(address.data, str) and expressions is not None:
                self.config[(path, address.data)] = expressions
        calls = module.get("module_calls")
        if calls is not None and isinstance(calls.data, dict):
            for name, call in calls.data.items():
                self._index_config(call.get("module") if isinstance(call.data, dict) else None, (*path, name))

    def _provider(self) -> tuple[Value | None, Value | None]:
        configuration = self.root.get("configuration")
        providers = configuration.get("provider_config") if configuration is not None else None
        if providers is None or not isinstance(providers.data, dict):
            return None, None
        for key, provider in providers.data.items():
            if not isinstance(provider.data, dict):
                continue
            name = provider.get("name")
            if (name.data if name is not None else key) != "aws" or provider.get("alias") is not None:
                continue
            if provider.get("module_address") is not None:
                continue
            expressions = provider.get("expressions")
            region = self._expression_value(expressions.get("region") if expressions is not None else None)
            accounts = self._expression_value(
                expressions.get("allowed_account_ids") if expressions is not None else None
            )
            return region, accounts
        return None, None

    def _expression_value(self, expression: Value | None) -> Value | None:
        if expression is None or not isinstance(expression.data, dict):
            return None
        constant = expression.get("constant_value")
        if constant is not None:
            return constant
        for ref in self._list(expression.get("references")):
            if isinstance(ref.data, str) and ref.data.startswith("var."):
                variables = self.root.get("variables")
                entry = variables.get(ref.data[4:]) if variables is not None else None
                value = entry.get("value") if entry is not None and isinstance(entry.data, dict) else None
                if value is not None:
                    return value.with_trace(ref.data)
        return None

    def _plan_account(self) -> Value | None:
        prior = self.root.get("prior_state")
        prior_values = prior.get("values") if prior is not None else None
        for resource in self._resources(prior_values.get("root_module") if prior_values is not None else None):
            rtype = resource.get("type")
            if rtype is not None and rtype.data == "aws_caller_identity":
                values = resource.get("values")
                account = values.get("account_id") if values is not None else None
                if account is not None and isinstance(account.data, str) and account.data:
                    return account.with_trace("data.aws_caller_identity")
        accounts = self.provider_accounts
        if accounts is not None and isinstance(accounts.data, list) and len(accounts.data) == 1:
            only = accounts.data[0]
            if isinstance(only.data, str):
                return only.with_trace("provider allowed_account_ids")
        found: dict[str, Value] = {}
        for module in (self.root.get("planned_values"), prior_values):
            for resource in self._resources(module.get("root_module") if module is not None else None):
                values = resource.get("values")
                arn = values.get("arn") if values is not None and isinstance(values.data, dict) else None
                m = _ARN.match(arn.data) if arn is not None and isinstance(arn.data, str) else None
                if m:
                    found.setdefault(m.group(2), arn)
        if len(found) == 1:
            ((account, arn),) = found.items()
            return known(account, arn.span, trace=("account of the resources' ARNs",))
        return None

    def _resources(self, module: Value | None):
        if module is None or not isinstance(module.data, dict):
            return
        yield from self._list(module.get("resources"))
        for child in self._list(module.get("child_modules")):
            yield from self._resources(child)

    # -- building ------------------------------------------------------------------------
    def build(self) -> AdapterResult:
        result = AdapterResult()
        result.file_facts.setdefault(self.doc.path, {})["format"] = "tfplan"
        version = self.root.get("format_version")
        if version is not None and not (isinstance(version.data, str) and version.data.split(".")[0] == "1"):
            message = f"Terraform plan JSON format_version {version.text()} is not supported (major version 1 is)"
            result.diagnostics.append(Diagnostic(message, version.span))
            return result
        planned = self.root.get("planned_values")
        if planned is not None and isinstance(planned.data, dict):
            for resource in self._resources(planned.get("root_module")):
                obj = self._resource(resource, resource.get("values"), resource)
                if obj is not None:
                    result.objects.extend(obj)
        else:
            for change in self.changes.values():
                change_body = change.get("change")
                actions = change_body.get("actions") if change_body is not None else None
                plain_actions = actions.plain() if actions is not None else []
                if plain_actions == ["delete"]:
                    continue
                after = change_body.get("after") if change_body is not None else None
                obj = self._resource(change, after, change)
                if obj is not None:
                    result.objects.extend(obj)
        return result

    def _resource(self, resource: Value, values: Value | None, located: Value) -> list[ModelObject] | None:
        if not isinstance(resource.data, dict):
            return None
        mode = resource.get("mode")
        if mode is not None and mode.data != "managed":
            return None
        rtype = resource.get("type")
        address = resource.get("address")
        if rtype is None or address is None or not isinstance(rtype.data, str) or not isinstance(address.data, str):
            return None
        mapper = MAPPERS.get(rtype.data)
        if mapper is None:
            return None
        if values is None or not isinstance(values.data, dict):
            values = known({}, located.span)
        change = self.changes.get(address.data)
        return mapper(_Resource(self, address.data, rtype.data, values, located.span, change))


class _Resource:
    def __init__(self, plan: _Plan, address: str, rtype: str, values: Value, span: Span, change: Value | None) -> None:
        self.plan = plan
        self.address = address
        self.rtype = rtype
        self.values = values
        self.span = span
        self.change = change
        body = change.get("change") if change is not None else None
        after_unknown = body.get("after_unknown") if body is not None else None
        self.unknowns: Any = after_unknown.plain() if after_unknown is not None else {}
        modules, local = _module_path(address)
        self.module_prefix = "".join(f"module.{m}." for m in modules)
        self.expressions = plan.config.get((modules, local))

    def reference(self, attribute: str) -> str | None:
        """The resource an attribute's configuration refers to (`aws_vpc.main`), made absolute."""
        if self.expressions is None:
            return None
        expression = self.expressions.get(attribute)
        if expression is None or not isinstance(expression.data, dict):
            return None
        for ref in _Plan._list(expression.get("references")):
            if isinstance(ref.data, str) and _RESOURCE_REF.match(ref.data):
                first = ref.data.split(".")[0]
                if first in ("var", "local", "each", "count", "path", "terraform", "module", "self"):
                    continue
                return self.module_prefix + ref.data
        return None

    def a(self, *path: str | int) -> Value | None:
        """The attribute at `path` (keys and list indexes); Unknown when known only after apply."""
        value: Value | None = self.values
        marks: Any = self.unknowns
        for step in path:
            if marks is True:
                break
            if isinstance(step, int):
                marks = marks[step] if isinstance(marks, list) and 0 <= step < len(marks) else None
                if value is not None and isinstance(value.data, list) and 0 <= step < len(value.data):
                    value = value.data[step]
                else:
                    value = None
            else:
                marks = marks.get(step) if isinstance(marks, dict) else None
                value = value.get(step) if value is not None and isinstance(value.data, dict) else None
        ref = self.reference(path[0]) if path and isinstance(path[0], str) else None
        if marks is True:
            return unknown(KNOWN_AFTER_APPLY, self.span, ref=ref)
        if value is None or value.data is None:
            return None
        if ref is not None and value.ref is None:
            value = Value(value.data, value.span, value.provenance, value.trace, ref)
        return value

    def text(self, *path: str | int) -> Value | None:
        """A string attribute; the provider's empty string for "not set" is absent."""
        value = self.a(*path)
        if value is not None and value.data == "":
            return None
        return value

    def blocks(self, name: str, key: str) -> Value | None:
        """`[block.key for block in name]` as one list Value (None when there are no blocks)."""
        value = self.a(name)
        if value is None or not isinstance(value.data, list):
            return value
        if not value.data:
            return None
        items = [b.get(key) for b in value.data if isinstance(b.data, dict)]
        items = [i for i in items if i is not None and i.data is not None]
        return Value(items, value.span, value.provenance, value.trace, value.ref)

    def json(self, *path: str | int) -> Value | None:
        value = self.text(*path)
        return map_value(value, embedded_json) if value is not None else None

    def policy(self, *path: str | int) -> PolicyDocument | None:
        value = self.text(*path)
        return parse_policy_document(value) if value is not None else None

    def account(self) -> Value | None:
        own = self.text("registry_id") if self.rtype.startswith("aws_ecr") else None
        if own is not None and own.is_known:
            return own
        arn = self.a("arn")
        if arn is not None and isinstance(arn.data, str):
            m = _ARN.match(arn.data)
            if m:
                return known(m.group(2), arn.span, trace=("account of the resource's ARN",))
        if self.plan.plan_account is not None:
            return self.plan.plan_account
        if self.plan.ctx.options.account_id:
            return known(str(self.plan.ctx.options.account_id), self.span, trace=("--account-id",))
        return unknown("the account of the plan is not known", self.span)

    def region(self) -> Value | None:
        own = self.text("region")
        if own is not None and own.is_known:
            return own
        arn = self.a("arn")
        if arn is not None and isinstance(arn.data, str):
            m = _ARN.match(arn.data)
            if m and m.group(1):
                return known(m.group(1), arn.span, trace=("region of the resource's ARN",))
        if self.plan.provider_region is not None and isinstance(self.plan.provider_region.data, str):
            return self.plan.provider_region
        return unknown("the region of the plan is not known", self.span)

    def header(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.change is not None:
            body = self.change.get("change")
            actions = body.get("actions") if body is not None else None
            extra["change"] = {
                "actions": actions.plain() if actions is not None else [],
                "actions_value": actions,
                "replace_paths": body.get("replace_paths") if body is not None else None,
                "action_reason": self.change.get("action_reason"),
                "before": body.get("before") if body is not None else None,
                "value": self.change,
            }
        return {
            "address": self.address,
            "span": self.span,
            "source_format": "tfplan",
            "account_id": self.account(),
            "region": self.region(),
            "resource_type": self.rtype,
            "extra": extra,
        }


_FILTER: Spec = {"filter": ("filter", None), "filter_type": ("filter_type", None)}
_REPLICATION_RULES: Spec = {
    "destination": ("destinations", {"region": ("region", None), "registry_id": ("registry_id", None)}),
    "repository_filter": ("repository_filters", _FILTER),
}
_SCANNING_RULES: Spec = {
    "scan_frequency": ("scan_frequency", None),
    "repository_filter": ("repository_filters", _FILTER),
}


def _repository(r: _Resource) -> list[ModelObject]:
    obj = Repository(
        **r.header(),
        name=r.a("name"),
        image_tag_mutability=r.text("image_tag_mutability"),
        image_tag_mutability_exclusion_filters=r.blocks("image_tag_mutability_exclusion_filter", "filter"),
        scan_on_push=r.a("image_scanning_configuration", 0, "scan_on_push"),
        encryption_type=r.text("encryption_configuration", 0, "encryption_type"),
        kms_key=r.text("encryption_configuration", 0, "kms_key"),
        force_delete=r.a("force_delete"),
        tags=r.a("tags"),
    )
    return [obj]


def _repository_policy(r: _Resource) -> list[ModelObject]:
    return [RepositoryPolicy(**r.header(), repository=r.a("repository"), document=r.policy("policy"))]


def _lifecycle_policy(r: _Resource) -> list[ModelObject]:
    return [LifecyclePolicy(**r.header(), repository=r.a("repository"), document=r.json("policy"))]


def _registry_policy(r: _Resource) -> list[ModelObject]:
    return [RegistryPolicy(**r.header(), document=r.policy("policy"))]


def _replication(r: _Resource) -> list[ModelObject]:
    rules = reshape(r.a("replication_configuration", 0, "rule"), _REPLICATION_RULES)
    return [ReplicationConfiguration(**r.header(), rules=rules)]


def _scanning(r: _Resource) -> list[ModelObject]:
    rules = reshape(r.a("rule"), _SCANNING_RULES)
    return [RegistryScanningConfiguration(**r.header(), scan_type=r.text("scan_type"), rules=rules)]


def _pull_through_cache(r: _Resource) -> list[ModelObject]:
    obj = PullThroughCacheRule(
        **r.header(),
        ecr_repository_prefix=r.a("ecr_repository_prefix"),
        upstream_registry_url=r.a("upstream_registry_url"),
        credential_arn=r.text("credential_arn"),
    )
    for key in ("custom_role_arn", "upstream_repository_prefix"):
        value = r.text(key)
        if value is not None:
            obj.extra[key] = value
    return [obj]


def _creation_template(r: _Resource) -> list[ModelObject]:
    obj = RepositoryCreationTemplate(
        **r.header(),
        prefix=r.a("prefix"),
        applied_for=r.a("applied_for"),
        image_tag_mutability=r.text("image_tag_mutability"),
        image_tag_mutability_exclusion_filters=r.blocks("image_tag_mutability_exclusion_filter", "filter"),
        encryption_type=r.text("encryption_configuration", 0, "encryption_type"),
        kms_key=r.text("encryption_configuration", 0, "kms_key"),
        lifecycle_policy=r.json("lifecycle_policy"),
        repository_policy=r.policy("repository_policy"),
    )
    for key in ("custom_role_arn", "resource_tags"):
        value = r.a(key)
        if value is not None:
            obj.extra[key] = value
    return [obj]


def _public_repository(r: _Resource) -> list[ModelObject]:
    obj = PublicRepository(
        **r.header(),
        name=r.a("repository_name"),
        description=r.text("catalog_data", 0, "description"),
        about_text=r.text("catalog_data", 0, "about_text"),
        usage_text=r.text("catalog_data", 0, "usage_text"),
        tags=r.a("tags"),
    )
    force_destroy = r.a("force_destroy")
    if force_destroy is not None:
        obj.extra["force_destroy"] = force_destroy
    return [obj]


def _public_repository_policy(r: _Resource) -> list[ModelObject]:
    return [PublicRepositoryPolicy(**r.header(), repository=r.a("repository_name"), document=r.policy("policy"))]


def _vpc(r: _Resource) -> list[ModelObject]:
    return [Vpc(**r.header(), vpc_id=r.text("id"), cidr_block=r.a("cidr_block"))]


def _vpc_endpoint(r: _Resource) -> list[ModelObject]:
    obj = VpcEndpoint(
        **r.header(),
        vpc=r.a("vpc_id"),
        service_name=r.a("service_name"),
        vpc_endpoint_type=r.text("vpc_endpoint_type"),
        private_dns_enabled=r.a("private_dns_enabled"),
        route_table_ids=r.a("route_table_ids"),
        subnet_ids=r.a("subnet_ids"),
    )
    policy = r.text("policy")
    if policy is not None:
        obj.extra["policy"] = parse_policy_document(policy)
    return [obj]


def _route_table(r: _Resource) -> list[ModelObject]:
    return [RouteTable(**r.header(), vpc=r.a("vpc_id"))]


def _lambda(r: _Resource) -> list[ModelObject]:
    return [
        LambdaFunction(
            **r.header(),
            name=r.a("function_name"),
            package_type=r.text("package_type"),
            image_uri=r.text("image_uri"),
            role=r.a("role"),
        )
    ]


def _task_definition(r: _Resource) -> list[ModelObject]:
    return [
        EcsTaskDefinition(
            **r.header(),
            family=r.a("family"),
            container_definitions=r.json("container_definitions"),
            execution_role=r.text("execution_role_arn"),
            task_role=r.text("task_role_arn"),
            requires_compatibilities=r.a("requires_compatibilities"),
        )
    ]


def _node_group(r: _Resource) -> list[ModelObject]:
    return [EksNodeGroup(**r.header(), node_role=r.a("node_role_arn"))]


def _codebuild(r: _Resource) -> list[ModelObject]:
    return [
        CodeBuildProject(
            **r.header(),
            name=r.a("name"),
            service_role=r.a("service_role"),
            image=r.a("environment", 0, "image"),
            buildspec=r.text("source", 0, "buildspec"),
            timeout_minutes=r.a("build_timeout"),
        )
    ]


def _iam_role(r: _Resource) -> list[ModelObject]:
    inline: list[PolicyDocument] = []
    blocks = r.a("inline_policy")
    if blocks is not None and isinstance(blocks.data, list):
        for block in blocks.data:
            policy = block.get("policy") if isinstance(block.data, dict) else None
            if policy is not None and isinstance(policy.data, str) and policy.data:
                doc = parse_policy_document(policy)
                if doc is not None:
                    inline.append(doc)
    return [
        IamRole(
            **r.header(),
            name=r.a("name"),
            assume_role_policy=r.policy("assume_role_policy"),
            inline_policies=inline,
            managed_policy_arns=r.a("managed_policy_arns"),
        )
    ]


def _iam_policy(r: _Resource) -> list[ModelObject]:
    attached = None
    if r.rtype == "aws_iam_role_policy":
        role = r.a("role")
        attached = known([role], role.span) if role is not None else None
    return [IamPolicy(**r.header(), name=r.a("name"), document=r.policy("policy"), attached_to=attached)]


def _config_rule(r: _Resource) -> list[ModelObject]:
    return [
        ConfigRule(
            **r.header(),
            name=r.a("name"),
            source_identifier=r.a("source", 0, "source_identifier"),
            resource_types=r.a("scope", 0, "compliance_resource_types"),
        )
    ]


def _organizations_policy(r: _Resource) -> list[ModelObject]:
    return [OrganizationsPolicy(**r.header(), name=r.a("name"), policy_type=r.a("type"), document=r.policy("content"))]


MAPPERS: dict[str, Callable[[_Resource], list[ModelObject]]] = {
    "aws_ecr_repository": _repository,
    "aws_ecr_repository_policy": _repository_policy,
    "aws_ecr_lifecycle_policy": _lifecycle_policy,
    "aws_ecr_registry_policy": _registry_policy,
    "aws_ecr_replication_configuration": _replication,
    "aws_ecr_registry_scanning_configuration": _scanning,
    "aws_ecr_pull_through_cache_rule": _pull_through_cache,
    "aws_ecr_repository_creation_template": _creation_template,
    "aws_ecrpublic_repository": _public_repository,
    "aws_ecrpublic_repository_policy": _public_repository_policy,
    "aws_vpc": _vpc,
    "aws_vpc_endpoint": _vpc_endpoint,
    "aws_route_table": _route_table,
    "aws_lambda_function": _lambda,
    "aws_ecs_task_definition": _task_definition,
    "aws_eks_node_group": _node_group,
    "aws_codebuild_project": _codebuild,
    "aws_iam_role": _iam_role,
    "aws_iam_policy": _iam_policy,
    "aws_iam_role_policy": _iam_policy,
    "aws_config_config_rule": _config_rule,
    "aws_organizations_policy": _organizations_policy,
}


def build_plan(doc: Document, ctx: AdapterContext) -> AdapterResult:
    """Model objects of one plan file."""
    return _Plan(doc, ctx).build()


__all__ = ["is_plan", "build_plan", "MAPPERS", "KNOWN_AFTER_APPLY"]
