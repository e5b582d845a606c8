"""CloudFormation templates (YAML or JSON, SAM included) into model objects.

One template read as one stack instance: intrinsics are evaluated with `TemplateScope` (parameters
from their `Default` or the values passed to the stack, pseudo parameters from what is known about
the environment), resources whose `Condition` is false are left out, and nested stacks whose
`TemplateURL` names a local file inside the scanned roots are followed with their `Parameters`.

Addresses are `Resources.<LogicalId>`, prefixed by the nested stack's logical id for resources of
a nested stack (`Network/Resources.Endpoint`). A resource's span runs from its logical id to the
end of its definition; every attribute keeps the span of the value written (the use site for a
resolved `Ref`/`Fn::Sub`). Absent attributes stay None (the pipeline fills AWS defaults later),
except inside a `Fn::If` whose branch removes the property: that branch gets the AWS default.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ...source import Span
from ...values import DEPLOYING_ACCOUNT, DEPLOYING_REGION, Branch, Branches, Value, default, known, unknown
from ..objects import (
    CodeBuildProject,
    CodeDeployApplication,
    CodeDeployDeploymentGroup,
    ConfigRule,
    DnsRecord,
    Ec2Instance,
    Ec2LaunchTemplate,
    EcsTaskDefinition,
    EksNodeGroup,
    IamPolicy,
    IamRole,
    LambdaFunction,
    ModelObject,
    OrganizationsPolicy,
    PublicRepository,
    PullThroughCacheRule,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
    RepositoryCreationTemplate,
    RouteTable,
    Vpc,
    VpcEndpoint,
)
from ..policy import PolicyDocument, parse_policy_document
from . import AdapterContext, AdapterResult, Diagnostic
from .cfn_intrinsics import StackEnvironment, TemplateScope, dig, is_absent, map_value
from .cfn_scenarios import ScenarioSpace
from .docload import Document, Loader, embedded_json

MAX_NESTING = 8  # nested stacks followed at most this deep

CDK_PATH_KEY = "aws:cdk:path"
OPTIONS_PATH = "<options>"  # span path of values given on the command line; re-located at the resource


def is_template(value: Value | None) -> bool:
    """CloudFormation by content: a format version, or resources typed `AWS::...`."""
    if value is None or not isinstance(value.data, dict):
        return False
    if "AWSTemplateFormatVersion" in value.data:
        return True
    resources = value.data.get("Resources")
    if resources is None or not isinstance(resources.data, dict):
        return False
    for resource in resources.data.values():
        rtype = resource.get("Type") if isinstance(resource.data, dict) else None
        if rtype is not None and isinstance(rtype.data, str) and rtype.data.startswith("AWS::"):
            return True
    return False


@dataclass
class StackInstance:
    doc: Document
    env: StackEnvironment
    source_format: str = "cloudformation"
    address_prefix: str = ""
    construct_paths: dict[str, str] = field(default_factory=dict)  # logical id -> construct path
    chain: tuple[str, ...] = ()  # abspaths of the enclosing templates (nested stacks)
    stack_label: str | None = None  # CDK artifact id, kept in extra


# -- reshaping helpers, shared with the plan adapter ------------------------------------------
Spec = dict[str, tuple[str, "Spec | None"]]


def reshape(value: Value | None, spec: Spec) -> Value | None:
    """A map (or list of maps) with keys renamed per `spec`, recursively; other values as they are."""

    def one(v: Value) -> Value:
        if isinstance(v.data, list):
            items = [reshape(e, spec) for e in v.data]
            return Value([i for i in items if i is not None], v.span, v.provenance, v.trace, v.ref)
        if isinstance(v.data, dict):
            out: dict[str, Value] = {}
            for src, (dst, sub) in spec.items():
                child = v.data.get(src)
                if child is None:
                    continue
                shaped = reshape(child, sub) if sub else child
                if shaped is not None:
                    out[dst] = shaped
            return Value(out, v.span, v.provenance, v.trace, v.ref)
        return v

    return map_value(value, one)


def coerce_bool(value: Value | None) -> Value | None:
    """`"true"`/`"false"` text as booleans (CloudFormation accepts both spellings)."""

    def one(v: Value) -> Value:
        if isinstance(v.data, str) and v.data.lower() in ("true", "false"):
            return Value(v.data.lower() == "true", v.span, v.provenance, v.trace, v.ref)
        return v

    return map_value(value, one)


def settle(obj: ModelObject) -> None:
    """Branches that remove a property (`AWS::NoValue`) take the attribute's AWS default."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        if not isinstance(value, Value) or not isinstance(value.data, Branches):
            continue
        if f.name not in obj.defaults:
            continue
        options = tuple(
            Branch(o.condition, default(obj.defaults[f.name], obj.span) if is_absent(o.value) else o.value)
            for o in value.data.options
        )
        setattr(obj, f.name, Value(Branches(options), value.span, value.provenance, value.trace, value.ref))


def tags_map(value: Value | None) -> Value | None:
    """CloudFormation `Tags: [{Key, Value}]` as a map, like Terraform's `tags`."""

    def one(v: Value) -> Value:
        if not isinstance(v.data, list):
            return v
        out: dict[str, Value] = {}
        for item in v.data:
            key = item.get("Key") if isinstance(item.data, dict) else None
            if key is None or not isinstance(key.data, str):
                return v
            out[key.data] = item.get("Value") or known("", item.span)
        return Value(out, v.span, v.provenance, v.trace, v.ref)

    return map_value(value, one)


_FILTERS: Spec = {"Filter": ("filter", None), "FilterType": ("filter_type", None)}
_REPLICATION_RULES: Spec = {
    "Destinations": ("destinations", {"Region": ("region", None), "RegistryId": ("registry_id", None)}),
    "RepositoryFilters": ("repository_filters", _FILTERS),
}
_SCANNING_RULES: Spec = {
    "ScanFrequency": ("scan_frequency", None),
    "RepositoryFilters": ("repository_filters", _FILTERS),
}


def _lower_first(key: str) -> str:
    return key[:1].lower() + key[1:]


def container_definitions(value: Value | None) -> Value | None:
    """ECS `ContainerDefinitions` with the API's key spelling (`name`, `image`, `repositoryCredentials`)."""

    def container(v: Value) -> Value:
        if not isinstance(v.data, dict):
            return v
        out: dict[str, Value] = {}
        for key, child in v.data.items():
            name = _lower_first(key)
            if name in ("repositoryCredentials", "logConfiguration") and isinstance(child.data, dict):
                child = Value(
                    {_lower_first(k): c for k, c in child.data.items()}, child.span, child.provenance, child.trace
                )
            elif name in ("environment", "secrets", "portMappings") and isinstance(child.data, list):
                child = Value(
                    [
                        Value({_lower_first(k): c for k, c in e.data.items()}, e.span, e.provenance, e.trace)
                        if isinstance(e.data, dict)
                        else e
                        for e in child.data
                    ],
                    child.span,
                    child.provenance,
                    child.trace,
                )
            out[name] = child
        return Value(out, v.span, v.provenance, v.trace, v.ref)

    def listing(v: Value) -> Value:
        if not isinstance(v.data, list):
            return v
        return Value([map_value(e, container) or e for e in v.data], v.span, v.provenance, v.trace, v.ref)

    return map_value(value, listing)


# -- one resource ------------------------------------------------------------------------------
class _Resource:
    def __init__(self, builder: _Builder, logical_id: str, resource: Value, rtype: str, props: Value | None):
        self.builder = builder
        self.logical_id = logical_id
        self.resource = resource
        self.rtype = rtype
        self.props = props
        self.span = builder.resource_span(logical_id, resource)

    def get(self, *keys: str | int) -> Value | None:
        return dig(self.props, *keys)

    def boolean(self, *keys: str) -> Value | None:
        return coerce_bool(self.get(*keys))

    def policy(self, *keys: str) -> PolicyDocument | None:
        value = self.get(*keys)
        if value is None:
            return None
        return parse_policy_document(self.builder.json_value(value))

    def json_text(self, *keys: str) -> Value | None:
        value = self.get(*keys)
        if value is None:
            return None
        return map_value(value, self.builder.json_value)

    def filters(self, key: str) -> Value | None:
        def one(v: Value) -> Value:
            if not isinstance(v.data, list):
                return v
            items = [dig(item, "ImageTagMutabilityExclusionFilterValue") for item in v.data]
            return Value([i for i in items if i is not None], v.span, v.provenance, v.trace, v.ref)

        return map_value(self.get(key), one)

    def listing(self, *keys: str) -> list[Value]:
        value = self.get(*keys)
        if value is None or not isinstance(value.data, list):
            return []
        return list(value.data)

    def header(self) -> dict[str, Any]:
        b = self.builder
        metadata = self.resource.get("Metadata") if isinstance(self.resource.data, dict) else None
        construct_path = None
        if metadata is not None and isinstance(metadata.data, dict):
            path = metadata.data.get(CDK_PATH_KEY)
            if path is not None and isinstance(path.data, str):
                construct_path = path.data
        if construct_path is None:
            construct_path = b.stack.construct_paths.get(self.logical_id)
        extra: dict[str, Any] = {"logical_id": self.logical_id}
        if metadata is not None:
            extra["metadata"] = metadata
        for key, name in (("DeletionPolicy", "deletion_policy"), ("UpdateReplacePolicy", "update_replace_policy")):
            policy = self.resource.get(key) if isinstance(self.resource.data, dict) else None
            if policy is not None:
                extra[name] = policy
        condition = self.resource.get("Condition") if isinstance(self.resource.data, dict) else None
        if condition is not None and isinstance(condition.data, str):
            extra["condition"] = condition.data
        if b.stack.stack_label:
            extra["stack"] = b.stack.stack_label
        return {
            "address": b.scope.address(self.logical_id),
            "span": self.span,
            "source_format": b.stack.source_format,
            "construct_path": construct_path,
            "account_id": b.account_value(self.span),
            "region": b.region_value(self.span),
            "resource_type": self.rtype,
            "extra": extra,
        }


def _repository(r: _Resource) -> list[ModelObject]:
    repo = Repository(
        **r.header(),
        name=r.get("RepositoryName"),
        image_tag_mutability=r.get("ImageTagMutability"),
        image_tag_mutability_exclusion_filters=r.filters("ImageTagMutabilityExclusionFilters"),
        scan_on_push=r.boolean("ImageScanningConfiguration", "ScanOnPush"),
        encryption_type=r.get("EncryptionConfiguration", "EncryptionType"),
        kms_key=r.get("EncryptionConfiguration", "KmsKey"),
        force_delete=r.boolean("EmptyOnDelete"),
        tags=tags_map(r.get("Tags")),
        inline_policy=r.policy("RepositoryPolicyText"),
        inline_lifecycle_policy=r.json_text("LifecyclePolicy", "LifecyclePolicyText"),
    )
    registry_id = r.get("LifecyclePolicy", "RegistryId")
    if registry_id is not None:
        repo.extra["lifecycle_registry_id"] = registry_id
    from .cdk_bootstrap import is_cdk_bootstrap_repository

    repo.is_cdk_bootstrap = is_cdk_bootstrap_repository(r.logical_id, repo.name, r.builder.scope)
    return [repo]


def _creation_template(r: _Resource) -> list[ModelObject]:
    obj = RepositoryCreationTemplate(
        **r.header(),
        prefix=r.get("Prefix"),
        applied_for=r.get("AppliedFor"),
        image_tag_mutability=r.get("ImageTagMutability"),
        image_tag_mutability_exclusion_filters=r.filters("ImageTagMutabilityExclusionFilters"),
        encryption_type=r.get("EncryptionConfiguration", "EncryptionType"),
        kms_key=r.get("EncryptionConfiguration", "KmsKey"),
        lifecycle_policy=r.json_text("LifecyclePolicy"),
        repository_policy=r.policy("RepositoryPolicy"),
    )
    for key, name in (("CustomRoleArn", "custom_role_arn"), ("ResourceTags", "resource_tags")):
        value = r.get(key)
        if value is not None:
            obj.extra[name] = tags_map(value) if key == "ResourceTags" else value
    return [obj]


def _registry_policy(r: _Resource) -> list[ModelObject]:
    return [RegistryPolicy(**r.header(), document=r.policy("PolicyText"))]


def _replication(r: _Resource) -> list[ModelObject]:
    rules = reshape(r.get("ReplicationConfiguration", "Rules"), _REPLICATION_RULES)
    return [ReplicationConfiguration(**r.header(), rules=rules)]


def _scanning(r: _Resource) -> list[ModelObject]:
    rules = reshape(r.get("Rules"), _SCANNING_RULES)
    return [RegistryScanningConfiguration(**r.header(), scan_type=r.get("ScanType"), rules=rules)]


def _pull_through_cache(r: _Resource) -> list[ModelObject]:
    obj = PullThroughCacheRule(
        **r.header(),
        ecr_repository_prefix=r.get("EcrRepositoryPrefix"),
        upstream_registry_url=r.get("UpstreamRegistryUrl"),
        credential_arn=r.get("CredentialArn"),
    )
    for key, name in (
        ("UpstreamRegistry", "upstream_registry"),
        ("CustomRoleArn", "custom_role_arn"),
        ("UpstreamRepositoryPrefix", "upstream_repository_prefix"),
    ):
        value = r.get(key)
        if value is not None:
            obj.extra[name] = value
    return [obj]


def _public_repository(r: _Resource) -> list[ModelObject]:
    obj = PublicRepository(
        **r.header(),
        name=r.get("RepositoryName"),
        description=r.get("RepositoryCatalogData", "RepositoryDescription"),
        about_text=r.get("RepositoryCatalogData", "AboutText"),
        usage_text=r.get("RepositoryCatalogData", "UsageText"),
        tags=tags_map(r.get("Tags")),
        inline_policy=r.policy("RepositoryPolicyText"),
    )
    for key, name in (("Architectures", "architectures"), ("OperatingSystems", "operating_systems")):
        value = r.get("RepositoryCatalogData", key)
        if value is not None:
            obj.extra[name] = value
    return [obj]


def _vpc(r: _Resource) -> list[ModelObject]:
    return [Vpc(**r.header(), cidr_block=r.get("CidrBlock"))]


def _vpc_endpoint(r: _Resource) -> list[ModelObject]:
    obj = VpcEndpoint(
        **r.header(),
        vpc=r.get("VpcId"),
        service_name=r.get("ServiceName"),
        vpc_endpoint_type=r.get("VpcEndpointType"),
        private_dns_enabled=r.boolean("PrivateDnsEnabled"),
        route_table_ids=r.get("RouteTableIds"),
        subnet_ids=r.get("SubnetIds"),
    )
    policy = r.get("PolicyDocument")
    if policy is not None:
        obj.extra["policy"] = parse_policy_document(r.builder.json_value(policy))
    return [obj]


def _dns_record(r: _Resource) -> list[ModelObject]:
    targets = [t for t in (r.get("AliasTarget", "DNSName"),) if t is not None]
    records = r.get("ResourceRecords")
    if records is not None:
        targets += records.elements() if records.is_list else [records]
    zone = r.get("HostedZoneId") or r.get("HostedZoneName")
    return [DnsRecord(**r.header(), name=r.get("Name"), zone=zone, targets=targets)]


def _route_table(r: _Resource) -> list[ModelObject]:
    return [RouteTable(**r.header(), vpc=r.get("VpcId"))]


def _lambda(r: _Resource) -> list[ModelObject]:
    return [
        LambdaFunction(
            **r.header(),
            name=r.get("FunctionName"),
            package_type=r.get("PackageType"),
            image_uri=r.get("Code", "ImageUri"),
            role=r.get("Role"),
        )
    ]


def _serverless_function(r: _Resource) -> list[ModelObject]:
    return [
        LambdaFunction(
            **r.header(),
            name=r.get("FunctionName"),
            package_type=r.get("PackageType"),
            image_uri=r.get("ImageUri"),
            role=r.get("Role"),
        )
    ]


def _task_definition(r: _Resource) -> list[ModelObject]:
    return [
        EcsTaskDefinition(
            **r.header(),
            family=r.get("Family"),
            container_definitions=container_definitions(r.get("ContainerDefinitions")),
            execution_role=r.get("ExecutionRoleArn"),
            task_role=r.get("TaskRoleArn"),
            requires_compatibilities=r.get("RequiresCompatibilities"),
        )
    ]


def _node_group(r: _Resource) -> list[ModelObject]:
    return [EksNodeGroup(**r.header(), node_role=r.get("NodeRole"))]


_ENV_KEYS = (("name", "Name"), ("value", "Value"), ("type", "Type"))


def _codebuild(r: _Resource) -> list[ModelObject]:
    project = CodeBuildProject(
        **r.header(),
        name=r.get("Name"),
        service_role=r.get("ServiceRole"),
        image=r.get("Environment", "Image"),
        buildspec=r.get("Source", "BuildSpec"),
        timeout_minutes=r.get("TimeoutInMinutes"),
    )
    project.extra["environment_variables"] = [
        Value({k: a for k, key in _ENV_KEYS if (a := dig(v, key)) is not None}, v.span)
        for v in r.listing("Environment", "EnvironmentVariables")
        if v.is_map
    ]
    return [project]


def _launch_template(r: _Resource) -> list[ModelObject]:
    if r.rtype == "AWS::AutoScaling::LaunchConfiguration":
        return [
            Ec2LaunchTemplate(
                **r.header(),
                name=r.get("LaunchConfigurationName"),
                user_data=r.get("UserData"),
                image_id=r.get("ImageId"),
                iam_instance_profile=r.get("IamInstanceProfile"),
            )
        ]
    return [
        Ec2LaunchTemplate(
            **r.header(),
            name=r.get("LaunchTemplateName"),
            user_data=r.get("LaunchTemplateData", "UserData"),
            image_id=r.get("LaunchTemplateData", "ImageId"),
            iam_instance_profile=r.get("LaunchTemplateData", "IamInstanceProfile", "Name")
            or r.get("LaunchTemplateData", "IamInstanceProfile", "Arn"),
        )
    ]


def _instance(r: _Resource) -> list[ModelObject]:
    return [
        Ec2Instance(
            **r.header(),
            user_data=r.get("UserData"),
            image_id=r.get("ImageId"),
            iam_instance_profile=r.get("IamInstanceProfile"),
        )
    ]


def _codedeploy_app(r: _Resource) -> list[ModelObject]:
    return [
        CodeDeployApplication(**r.header(), name=r.get("ApplicationName"), compute_platform=r.get("ComputePlatform"))
    ]


def _codedeploy_group(r: _Resource) -> list[ModelObject]:
    services = r.get("ECSServices")
    if services is not None and services.is_list:
        services = Value(
            [
                Value(
                    {"cluster_name": dig(item, "ClusterName"), "service_name": dig(item, "ServiceName")},
                    item.span,
                )
                for item in services.data
            ],
            services.span,
        )
    return [
        CodeDeployDeploymentGroup(
            **r.header(),
            application=r.get("ApplicationName"),
            ecs_services=services,
            service_role=r.get("ServiceRoleArn"),
        )
    ]


def _iam_role(r: _Resource) -> list[ModelObject]:
    inline: list[PolicyDocument] = []
    for item in r.listing("Policies"):
        document = dig(item, "PolicyDocument")
        if document is not None:
            doc = parse_policy_document(r.builder.json_value(document))
            if doc is not None:
                inline.append(doc)
    return [
        IamRole(
            **r.header(),
            name=r.get("RoleName"),
            assume_role_policy=r.policy("AssumeRolePolicyDocument"),
            inline_policies=inline,
            managed_policy_arns=r.get("ManagedPolicyArns"),
            permissions_boundary=r.get("PermissionsBoundary"),
        )
    ]


def _iam_policy(r: _Resource) -> list[ModelObject]:
    name_key = "ManagedPolicyName" if r.rtype == "AWS::IAM::ManagedPolicy" else "PolicyName"
    targets: list[Value] = []
    first: Value | None = None
    for key in ("Roles", "Users", "Groups"):
        value = r.get(key)
        if value is None:
            continue
        first = first or value
        targets.extend(value.data if isinstance(value.data, list) else [value])
    attached = known(targets, first.span) if first is not None else None
    return [IamPolicy(**r.header(), name=r.get(name_key), document=r.policy("PolicyDocument"), attached_to=attached)]


def _config_rule(r: _Resource) -> list[ModelObject]:
    return [
        ConfigRule(
            **r.header(),
            name=r.get("ConfigRuleName"),
            source_identifier=r.get("Source", "SourceIdentifier"),
            resource_types=r.get("Scope", "ComplianceResourceTypes"),
        )
    ]


def _organizations_policy(r: _Resource) -> list[ModelObject]:
    return [
        OrganizationsPolicy(**r.header(), name=r.get("Name"), policy_type=r.get("Type"), document=r.policy("Content"))
    ]


MAPPERS: dict[str, Callable[[_Resource], list[ModelObject]]] = {
    "AWS::ECR::Repository": _repository,
    "AWS::ECR::RepositoryCreationTemplate": _creation_template,
    "AWS::ECR::RegistryPolicy": _registry_policy,
    "AWS::ECR::ReplicationConfiguration": _replication,
    "AWS::ECR::RegistryScanningConfiguration": _scanning,
    "AWS::ECR::PullThroughCacheRule": _pull_through_cache,
    "AWS::ECR::PublicRepository": _public_repository,
    "AWS::EC2::VPC": _vpc,
    "AWS::EC2::VPCEndpoint": _vpc_endpoint,
    "AWS::Route53::RecordSet": _dns_record,
    "AWS::EC2::RouteTable": _route_table,
    "AWS::Lambda::Function": _lambda,
    "AWS::Serverless::Function": _serverless_function,
    "AWS::ECS::TaskDefinition": _task_definition,
    "AWS::EKS::Nodegroup": _node_group,
    "AWS::CodeBuild::Project": _codebuild,
    "AWS::IAM::Role": _iam_role,
    "AWS::IAM::Policy": _iam_policy,
    "AWS::IAM::ManagedPolicy": _iam_policy,
    "AWS::Config::ConfigRule": _config_rule,
    "AWS::Organizations::Policy": _organizations_policy,
    "AWS::EC2::LaunchTemplate": _launch_template,
    "AWS::AutoScaling::LaunchConfiguration": _launch_template,
    "AWS::EC2::Instance": _instance,
    "AWS::CodeDeploy::Application": _codedeploy_app,
    "AWS::CodeDeploy::DeploymentGroup": _codedeploy_group,
}

BOOL_FIELDS = ("scan_on_push", "force_delete", "private_dns_enabled")


# -- one stack ---------------------------------------------------------------------------------
class _Builder:
    def __init__(self, stack: StackInstance, ctx: AdapterContext, loader: Loader):
        self.stack = stack
        self.ctx = ctx
        self.loader = loader
        self.doc = stack.doc
        assert stack.doc.value is not None
        self.template = stack.doc.value
        self.result = AdapterResult()
        if not stack.chain:
            stack.env = self.deployment_values(stack.env)
        self.scope = TemplateScope(self.template, stack.doc.path, stack.env, stack.address_prefix)
        self.scenarios = ScenarioSpace(self.scope)
        resources = self.template.get("Resources")
        self.resources_value = resources
        self._starts: list[int] | None = None

    def deployment_values(self, env: StackEnvironment) -> StackEnvironment:
        """The parameter values a deployment of this template passes: samconfig.toml, then --parameters."""
        from .cfn_parameters import SAMCONFIG, ParametersError, samconfig_parameters

        pinned: dict[str, Value] = {}
        if self.stack.source_format == "cloudformation" and self.doc.abspath:
            display = os.path.join(os.path.dirname(self.doc.path), "samconfig.toml")
            # Read, or found absent: creating or changing it later changes this template's model.
            self.loader.reads.file(os.path.join(os.path.dirname(self.doc.abspath), SAMCONFIG))
            try:
                found = samconfig_parameters(self.doc.abspath)
            except ParametersError as err:
                self.result.diagnostics.append(Diagnostic(str(err), Span.point(display, 1, 1)))
                found = None
            if found is not None:
                where = Span.point(display, 1, 1)
                pinned.update({k: known(v, where, trace=("samconfig.toml",)) for k, v in found[0].items()})
        where = Span.point(OPTIONS_PATH, 1, 1)
        pinned.update({k: known(v, where, trace=("--parameters",)) for k, v in self.ctx.options.cfn_parameters})
        if not pinned:
            return env
        return replace(env, parameter_values={**pinned, **env.parameter_values})

    def resource_span(self, logical_id: str, resource: Value) -> Span:
        from ...parse.yaml import key_span

        start = key_span(self.resources_value, logical_id)
        end = resource.span
        if start is None and self.doc.syntax == "json":
            start = _json_key_span(self.doc.text or "", self._line_starts(), logical_id, end)
        if start is None or (start.start_line, start.start_col) > (end.start_line, end.start_col):
            return end
        return Span(end.path, start.start_line, start.start_col, end.end_line, end.end_col)

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            text = self.doc.text or ""
            self._starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        return self._starts

    def json_value(self, value: Value) -> Value:
        return map_value(value, lambda v: embedded_json(v, self.doc.text)) or value

    def account_value(self, span: Span) -> Value:
        account = self.stack.env.account_id
        if account is not None and account.is_known:
            return account.at(span) if account.span.path == OPTIONS_PATH else account
        return unknown("the account the stack is deployed to is not known", span, DEPLOYING_ACCOUNT)

    def region_value(self, span: Span) -> Value:
        region = self.stack.env.region
        if region is not None and region.is_known:
            return region
        return unknown("the region the stack is deployed to is not known", span, DEPLOYING_REGION)

    def build(self) -> AdapterResult:
        path = self.doc.path
        facts = self.result.file_facts.setdefault(path, {})
        facts["format"] = self.stack.source_format
        metadata = self.template.get("Metadata")
        if metadata is not None:
            facts["metadata"] = metadata
        resources = self.resources_value
        if resources is None:
            return self.result
        if not isinstance(resources.data, dict):
            self.result.diagnostics.append(
                Diagnostic("CloudFormation template: Resources is not a mapping", resources.span)
            )
            return self.result
        globals_function = dig(self.template, "Globals", "Function")
        for logical_id, resource in resources.data.items():
            if not isinstance(resource.data, dict):
                continue
            rtype_value = resource.get("Type")
            rtype = rtype_value.data if rtype_value is not None and isinstance(rtype_value.data, str) else None
            if rtype is None:
                continue
            mapper = MAPPERS.get(rtype)
            if mapper is None and rtype != "AWS::CloudFormation::Stack":
                continue
            raw_props = resource.get("Properties")
            if rtype == "AWS::Serverless::Function" and globals_function is not None:
                raw_props = _merge_globals(globals_function, raw_props)
            condition = resource.get("Condition")
            condition_name = condition.data if condition is not None and isinstance(condition.data, str) else None
            exists, props = self.scenarios.resolve(raw_props, condition_name)
            if not exists:
                continue
            if mapper is None:
                self.nested_stack(logical_id, props)
                continue
            for obj in mapper(_Resource(self, logical_id, resource, rtype, props)):
                for name in BOOL_FIELDS:
                    if hasattr(obj, name):
                        setattr(obj, name, coerce_bool(getattr(obj, name)))
                settle(obj)
                self.result.objects.append(obj)
        return self.result

    def nested_stack(self, logical_id: str, props: Value | None) -> None:
        url = dig(props, "TemplateURL")
        if url is None or not isinstance(url.data, str):
            return
        target = self.loader.relative(self.doc, url.data)
        if target is None or len(self.stack.chain) >= MAX_NESTING:
            return
        abspath, display = target
        child = self.loader.load(abspath, display)
        if self.loader.key(abspath) in self.stack.chain or self.loader.key(abspath) == self.loader.key(
            self.doc.abspath
        ):
            return
        if child.value is None:
            if not child.reported:
                self.result.diagnostics.append(self.loader.reported(child, child.diagnostic("nested stack template: ")))
            return
        if not is_template(child.value):
            return
        parameters = dig(props, "Parameters")
        values = dict(parameters.data) if parameters is not None and isinstance(parameters.data, dict) else {}
        env = StackEnvironment(
            account_id=self.stack.env.account_id,
            region=self.stack.env.region,
            stack_name=None,
            parameter_values=values,
        )
        nested = StackInstance(
            doc=child,
            env=env,
            source_format=self.stack.source_format,
            address_prefix=f"{self.stack.address_prefix}{logical_id}/",
            chain=(*self.stack.chain, self.loader.key(self.doc.abspath)),
            stack_label=self.stack.stack_label,
        )
        self.result.extend(build_stack(nested, self.ctx, self.loader))


def _json_key_span(text: str, starts: list[int], key: str, value: Span) -> Span | None:
    """Where `"key":` is written just before a JSON value (the resource's logical id)."""
    if value.start_line - 1 >= len(starts):
        return None
    pos = starts[value.start_line - 1] + value.start_col - 1
    pos -= 1
    while pos >= 0 and text[pos] in " \t\r\n":
        pos -= 1
    if pos < 0 or text[pos] != ":":
        return None
    pos -= 1
    while pos >= 0 and text[pos] in " \t\r\n":
        pos -= 1
    quoted = '"' + key + '"'
    begin = pos - len(quoted) + 1
    if begin < 0 or text[begin : pos + 1] != quoted:
        return None
    line = bisect.bisect_right(starts, begin) - 1
    col = begin - starts[line] + 1
    return Span(value.path, line + 1, col, line + 1, col + len(quoted))


def _merge_globals(globals_value: Value, props: Value | None) -> Value:
    if not isinstance(globals_value.data, dict):
        return props if props is not None else globals_value
    if props is None:
        return globals_value
    if not isinstance(props.data, dict):
        return props
    merged = dict(globals_value.data)
    merged.update(props.data)
    return Value(merged, props.span, props.provenance, props.trace, props.ref)


def build_stack(stack: StackInstance, ctx: AdapterContext, loader: Loader) -> AdapterResult:
    """Model objects of one stack instance (and of the nested stacks it names)."""
    return _Builder(stack, ctx, loader).build()


def nested_template_files(doc: Document, env: StackEnvironment, loader: Loader) -> list[str]:
    """Real paths of the local nested-stack templates a template names (read through it, not alone)."""
    if doc.value is None:
        return []
    scope = TemplateScope(doc.value, doc.path, env)
    out: list[str] = []
    for resource in scope.resources.values():
        if not isinstance(resource.data, dict):
            continue
        rtype = resource.get("Type")
        if rtype is None or rtype.data != "AWS::CloudFormation::Stack":
            continue
        url = dig(scope.resolve(resource.get("Properties")), "TemplateURL")
        if url is not None and isinstance(url.data, str):
            target = loader.relative(doc, url.data)
            if target is not None:
                out.append(loader.key(target[0]))
    return out


def environment(ctx: AdapterContext, account: Value | None = None, region: Value | None = None) -> StackEnvironment:
    """A stack environment; the account falls back to `--account-id` when the input does not say."""
    if (account is None or not account.is_known) and ctx.options.account_id:
        account = known(str(ctx.options.account_id), Span.point(OPTIONS_PATH, 1, 1), trace=("--account-id",))
    return StackEnvironment(account_id=account, region=region)


__all__ = [
    "is_template",
    "build_stack",
    "StackInstance",
    "nested_template_files",
    "environment",
    "reshape",
    "coerce_bool",
    "tags_map",
    "settle",
    "MAPPERS",
]
