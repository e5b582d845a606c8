"""Model types. Field names follow ECR API concepts in snake_case, not a format's spelling."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from ..source import Span
from ..values import Value, default
from .policy import PolicyDocument

__all__ = [
    "ModelObject",
    "Repository",
    "RepositoryPolicy",
    "LifecyclePolicy",
    "RegistryPolicy",
    "ReplicationConfiguration",
    "RegistryScanningConfiguration",
    "PullThroughCacheRule",
    "RepositoryCreationTemplate",
    "PublicRepository",
    "PublicRepositoryPolicy",
    "Vpc",
    "VpcEndpoint",
    "RouteTable",
    "LambdaFunction",
    "EcsTaskDefinition",
    "IamRole",
    "IamPolicy",
    "ConfigRule",
    "OrganizationsPolicy",
    "EksNodeGroup",
    "CodeBuildProject",
    "Ec2LaunchTemplate",
    "Ec2Instance",
    "CodeDeployApplication",
    "CodeDeployDeploymentGroup",
    "IamPolicyAttachment",
    "VpcEndpointRouteTableAssociation",
    "BuildSpecFile",
    "Dockerfile",
    "DnsRecord",
    "Model",
    "MODEL_TYPES",
]


@dataclass(eq=False)
class ModelObject:
    """Common header of every model object.

    `address` names the object the way its format does (`aws_ecr_repository.app`,
    `module.x.aws_ecr_repository.this["api"]`, `Resources.AppRepo`); `span` is the whole
    resource, where findings about defaulted values point.
    """

    kind: ClassVar[str] = "object"
    defaults: ClassVar[dict[str, Any]] = {}

    address: str
    span: Span
    source_format: str  # terraform | terraform-json | tfplan | cloudformation | cdk | json
    construct_path: str | None = None  # CDK construct path from aws:cdk:path
    account_id: Value | None = None
    region: Value | None = None
    resource_type: str = ""  # e.g. aws_ecr_repository, AWS::ECR::Repository
    extra: dict[str, Any] = field(default_factory=dict)  # format-specific facts (plan actions, metadata)

    def fill_defaults(self) -> None:
        """Give absent attributes their AWS default, located at the resource."""
        for name, data in self.defaults.items():
            if getattr(self, name, None) is None:
                setattr(self, name, default(data, self.span))

    def attributes(self) -> Iterator[tuple[str, Any]]:
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def display_name(self) -> str:
        name = getattr(self, "name", None)
        if isinstance(name, Value) and name.is_known and isinstance(name.data, str):
            return name.data
        return self.address


@dataclass(eq=False)
class Repository(ModelObject):
    kind: ClassVar[str] = "repository"
    defaults: ClassVar[dict[str, Any]] = {
        "image_tag_mutability": "MUTABLE",
        "scan_on_push": False,
        "encryption_type": "AES256",
        "force_delete": False,
    }
    name: Value | None = None
    image_tag_mutability: Value | None = None
    image_tag_mutability_exclusion_filters: Value | None = None  # list of filter strings
    scan_on_push: Value | None = None
    encryption_type: Value | None = None
    kms_key: Value | None = None
    force_delete: Value | None = None
    tags: Value | None = None
    # CloudFormation carries these inline; Terraform has separate resources.
    inline_policy: PolicyDocument | None = None
    inline_lifecycle_policy: Value | None = None
    is_cdk_bootstrap: bool = False
    # Relations, bound by ecrlint.relations.
    policies: list[RepositoryPolicy] = field(default_factory=list)
    lifecycle_policies: list[LifecyclePolicy] = field(default_factory=list)
    unlinked_policy_reason: str | None = None  # why a policy might belong here but could not be tied
    scanning: Value | None = None  # covered by a registry scanning configuration: True/False/unknown
    has_lifecycle_policy: Value | None = None  # True/False, or unknown when a policy's target is undecided


@dataclass(eq=False)
class RepositoryCreationTemplate(ModelObject):
    kind: ClassVar[str] = "repository_creation_template"
    defaults: ClassVar[dict[str, Any]] = {"image_tag_mutability": "MUTABLE", "encryption_type": "AES256"}
    prefix: Value | None = None
    applied_for: Value | None = None
    image_tag_mutability: Value | None = None
    image_tag_mutability_exclusion_filters: Value | None = None
    encryption_type: Value | None = None
    kms_key: Value | None = None
    lifecycle_policy: Value | None = None
    repository_policy: PolicyDocument | None = None

    def display_name(self) -> str:
        if self.prefix is not None and self.prefix.is_known:
            return f"creation template {self.prefix.data}"
        return self.address


@dataclass(eq=False)
class RepositoryPolicy(ModelObject):
    kind: ClassVar[str] = "repository_policy"
    repository: Value | None = None  # repository name
    document: PolicyDocument | None = None


@dataclass(eq=False)
class LifecyclePolicy(ModelObject):
    kind: ClassVar[str] = "lifecycle_policy"
    repository: Value | None = None  # repository name
    document: Value | None = None  # the policy JSON as a located Value (a str Value when not JSON)


@dataclass(eq=False)
class RegistryPolicy(ModelObject):
    kind: ClassVar[str] = "registry_policy"
    document: PolicyDocument | None = None


@dataclass(eq=False)
class ReplicationConfiguration(ModelObject):
    kind: ClassVar[str] = "replication_configuration"
    # list of {"destinations": [{"region", "registry_id"}], "repository_filters": [{"filter", "filter_type"}]}
    rules: Value | None = None


@dataclass(eq=False)
class RegistryScanningConfiguration(ModelObject):
    kind: ClassVar[str] = "registry_scanning_configuration"
    defaults: ClassVar[dict[str, Any]] = {"scan_type": "BASIC"}
    scan_type: Value | None = None
    # list of {"scan_frequency", "repository_filters": [{"filter", "filter_type"}]}
    rules: Value | None = None


@dataclass(eq=False)
class PullThroughCacheRule(ModelObject):
    kind: ClassVar[str] = "pull_through_cache_rule"
    ecr_repository_prefix: Value | None = None
    upstream_registry_url: Value | None = None
    credential_arn: Value | None = None


@dataclass(eq=False)
class PublicRepository(ModelObject):
    kind: ClassVar[str] = "public_repository"
    name: Value | None = None
    description: Value | None = None
    about_text: Value | None = None
    usage_text: Value | None = None
    tags: Value | None = None
    inline_policy: PolicyDocument | None = None
    policies: list[PublicRepositoryPolicy] = field(default_factory=list)


@dataclass(eq=False)
class PublicRepositoryPolicy(ModelObject):
    kind: ClassVar[str] = "public_repository_policy"
    repository: Value | None = None
    document: PolicyDocument | None = None


@dataclass(eq=False)
class Vpc(ModelObject):
    kind: ClassVar[str] = "vpc"
    vpc_id: Value | None = None  # a literal id where the source names one
    cidr_block: Value | None = None


@dataclass(eq=False)
class VpcEndpoint(ModelObject):
    kind: ClassVar[str] = "vpc_endpoint"
    defaults: ClassVar[dict[str, Any]] = {"vpc_endpoint_type": "Gateway"}
    vpc: Value | None = None  # reference (ref=address) or literal id
    service_name: Value | None = None
    vpc_endpoint_type: Value | None = None
    private_dns_enabled: Value | None = None
    route_table_ids: Value | None = None
    subnet_ids: Value | None = None


@dataclass(eq=False)
class DnsRecord(ModelObject):
    """A Route 53 record: private hosted zones can point the ECR names at an endpoint themselves."""

    kind: ClassVar[str] = "dns_record"
    name: Value | None = None
    zone: Value | None = None  # zone id or reference
    targets: list[Value] = field(default_factory=list)  # alias target names and record values


@dataclass(eq=False)
class RouteTable(ModelObject):
    kind: ClassVar[str] = "route_table"
    vpc: Value | None = None


@dataclass(eq=False)
class LambdaFunction(ModelObject):
    kind: ClassVar[str] = "lambda_function"
    defaults: ClassVar[dict[str, Any]] = {"package_type": "Zip"}
    name: Value | None = None
    package_type: Value | None = None
    image_uri: Value | None = None
    role: Value | None = None


@dataclass(eq=False)
class EcsTaskDefinition(ModelObject):
    kind: ClassVar[str] = "ecs_task_definition"
    family: Value | None = None
    container_definitions: Value | None = None  # list of {"name", "image", ...}
    execution_role: Value | None = None
    task_role: Value | None = None
    requires_compatibilities: Value | None = None


@dataclass(eq=False)
class EksNodeGroup(ModelObject):
    kind: ClassVar[str] = "eks_node_group"
    node_role: Value | None = None


@dataclass(eq=False)
class CodeBuildProject(ModelObject):
    kind: ClassVar[str] = "codebuild_project"
    name: Value | None = None
    service_role: Value | None = None
    image: Value | None = None
    buildspec: Value | None = None
    timeout_minutes: Value | None = None


@dataclass(eq=False)
class Ec2LaunchTemplate(ModelObject):
    """A launch template or launch configuration: user data shows what container instances run."""

    kind: ClassVar[str] = "ec2_launch_template"
    name: Value | None = None
    user_data: Value | None = None  # the script text (decoded when written with base64encode/Fn::Base64)
    image_id: Value | None = None
    iam_instance_profile: Value | None = None


@dataclass(eq=False)
class Ec2Instance(ModelObject):
    kind: ClassVar[str] = "ec2_instance"
    user_data: Value | None = None
    image_id: Value | None = None
    iam_instance_profile: Value | None = None


@dataclass(eq=False)
class CodeDeployApplication(ModelObject):
    kind: ClassVar[str] = "codedeploy_application"
    defaults: ClassVar[dict[str, Any]] = {"compute_platform": "Server"}
    name: Value | None = None
    compute_platform: Value | None = None  # Server | Lambda | ECS


@dataclass(eq=False)
class CodeDeployDeploymentGroup(ModelObject):
    kind: ClassVar[str] = "codedeploy_deployment_group"
    application: Value | None = None  # application name or reference
    ecs_services: Value | None = None  # list of {"cluster_name", "service_name"}; present for ECS targets
    service_role: Value | None = None


@dataclass(eq=False)
class IamPolicyAttachment(ModelObject):
    """A managed policy attached to a role by a separate resource (aws_iam_role_policy_attachment)."""

    kind: ClassVar[str] = "iam_policy_attachment"
    role: Value | None = None
    policy_arn: Value | None = None


@dataclass(eq=False)
class VpcEndpointRouteTableAssociation(ModelObject):
    kind: ClassVar[str] = "vpc_endpoint_route_table_association"
    vpc_endpoint: Value | None = None
    route_table: Value | None = None


@dataclass(eq=False)
class BuildSpecFile(ModelObject):
    """A CodeBuild buildspec file, kept as text with its line numbers."""

    kind: ClassVar[str] = "buildspec_file"
    text: Value | None = None  # str Value; text_line_offset=0 so lines map to the file


@dataclass(eq=False)
class Dockerfile(ModelObject):
    kind: ClassVar[str] = "dockerfile"
    text: Value | None = None


@dataclass(eq=False)
class IamRole(ModelObject):
    kind: ClassVar[str] = "iam_role"
    name: Value | None = None
    assume_role_policy: PolicyDocument | None = None
    inline_policies: list[PolicyDocument] = field(default_factory=list)
    managed_policy_arns: Value | None = None
    attached_policies: list[IamPolicy] = field(default_factory=list)  # bound by ecrlint.relations
    permissions_boundary: Value | None = None  # a managed policy ARN: it limits the role, grants nothing


@dataclass(eq=False)
class IamPolicy(ModelObject):
    """An identity policy: managed, or inline on a role, user or group."""

    kind: ClassVar[str] = "iam_policy"
    name: Value | None = None
    document: PolicyDocument | None = None
    attached_to: Value | None = None  # role/user/group names or references


@dataclass(eq=False)
class ConfigRule(ModelObject):
    kind: ClassVar[str] = "config_rule"
    name: Value | None = None
    source_identifier: Value | None = None
    resource_types: Value | None = None


@dataclass(eq=False)
class OrganizationsPolicy(ModelObject):
    kind: ClassVar[str] = "organizations_policy"
    name: Value | None = None
    policy_type: Value | None = None
    document: PolicyDocument | None = None


MODEL_TYPES: dict[str, type[ModelObject]] = {
    cls.kind: cls
    for cls in (
        DnsRecord,
        Repository,
        RepositoryPolicy,
        LifecyclePolicy,
        RegistryPolicy,
        ReplicationConfiguration,
        RegistryScanningConfiguration,
        PullThroughCacheRule,
        RepositoryCreationTemplate,
        PublicRepository,
        PublicRepositoryPolicy,
        Vpc,
        VpcEndpoint,
        RouteTable,
        LambdaFunction,
        EcsTaskDefinition,
        EksNodeGroup,
        CodeBuildProject,
        Ec2LaunchTemplate,
        Ec2Instance,
        CodeDeployApplication,
        CodeDeployDeploymentGroup,
        IamPolicyAttachment,
        VpcEndpointRouteTableAssociation,
        BuildSpecFile,
        Dockerfile,
        IamRole,
        IamPolicy,
        ConfigRule,
        OrganizationsPolicy,
    )
}


@dataclass(eq=False)
class Model:
    """Everything the adapters found, in a stable order (by path, then position)."""

    objects: list[ModelObject] = field(default_factory=list)
    diagnostics: list[Any] = field(default_factory=list)  # adapters' Diagnostics (ECR900 and kin)
    # Objects by the types asked for, so rules that look up related objects per object stay linear.
    # Valid while `objects` keeps its length; `add` and `sort` clear it.
    _by_types: dict[tuple[type, ...], tuple[int, list[Any]]] = field(default_factory=dict, repr=False)
    _derived: dict[str, tuple[int, Any]] = field(default_factory=dict, repr=False)

    def add(self, obj: ModelObject) -> None:
        self.objects.append(obj)
        self._by_types.clear()
        self._derived.clear()

    def derived(self, name: str, build: Callable[[Model], Any]) -> Any:
        """`build(self)`, computed once while the objects stay the same: an index that rules share."""
        hit = self._derived.get(name)
        if hit is None or hit[0] != len(self.objects):
            hit = (len(self.objects), build(self))
            self._derived[name] = hit
        return hit[1]

    def forget_derived(self) -> None:
        """Drop the shared indexes (they are rebuilt when asked for again)."""
        self._derived.clear()

    def of(self, *types: type[ModelObject]) -> list[Any]:
        hit = self._by_types.get(types)
        if hit is None or hit[0] != len(self.objects):
            hit = (len(self.objects), [o for o in self.objects if isinstance(o, types)])
            self._by_types[types] = hit
        return list(hit[1])

    def of_kind(self, kind: str) -> list[ModelObject]:
        return self.of(MODEL_TYPES[kind])

    def sort(self) -> None:
        self.objects.sort(key=lambda o: (o.span.path, o.span.start_line, o.span.start_col, o.address))
        self._by_types.clear()
        self._derived.clear()
