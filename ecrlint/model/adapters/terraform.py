"""Terraform configuration (`.tf`, `.tf.json`) to model objects.

Each directory is a module. Root modules get their variables from defaults, `terraform.tfvars`,
`*.auto.tfvars` and `--var-file`; local child modules get the inputs of each call, so a value
passed down through a module is resolved where the resource is declared.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass

from ... import runcache
from ...parse import ParseError
from ...parse.hcl_ast import GetAttr, Variable
from ...source import SourceFile, Span, UnreadableInput, read_limited, read_text_limited
from ...terraform.evaluate import Env, ModuleInstance, ResourceInstance, Scope
from ...terraform.loader import ModuleSource, load_module, parse_terraform_file, registry_module_dirs
from ...values import Value, known
from .. import objects as m
from ..policy import parse_policy_document
from . import AdapterContext, AdapterResult, Diagnostic


def _first_block_attr(inst: ResourceInstance, block: str, attr: str) -> Value | None:
    blocks = inst.blocks(block)
    return blocks[0].attr(attr) if blocks else None


def _filters(inst: ResourceInstance, block: str) -> Value | None:
    found = inst.blocks(block)
    if not found:
        return None
    items = [b.attr("filter") for b in found]
    return known([v for v in items if v is not None], found[0].span)


def _common(inst: ResourceInstance, cls, region: Value | None, account: str | None, **fields):
    span = inst.block.span
    obj = cls(
        address=inst.address,
        span=span,
        source_format="terraform",
        resource_type=inst.type,
        region=inst.attr("region") or region,
        account_id=known(account, span) if account else None,
        **fields,
    )
    return obj


def _repository(inst, region, account):
    return _common(
        inst,
        m.Repository,
        region,
        account,
        name=inst.attr("name"),
        image_tag_mutability=inst.attr("image_tag_mutability"),
        image_tag_mutability_exclusion_filters=_filters(inst, "image_tag_mutability_exclusion_filter"),
        scan_on_push=_first_block_attr(inst, "image_scanning_configuration", "scan_on_push"),
        encryption_type=_first_block_attr(inst, "encryption_configuration", "encryption_type"),
        kms_key=_first_block_attr(inst, "encryption_configuration", "kms_key"),
        force_delete=inst.attr("force_delete"),
        tags=inst.attr("tags"),
    )


def _creation_template(inst, region, account):
    return _common(
        inst,
        m.RepositoryCreationTemplate,
        region,
        account,
        prefix=inst.attr("prefix"),
        applied_for=inst.attr("applied_for"),
        image_tag_mutability=inst.attr("image_tag_mutability"),
        image_tag_mutability_exclusion_filters=_filters(inst, "image_tag_mutability_exclusion_filter"),
        encryption_type=_first_block_attr(inst, "encryption_configuration", "encryption_type"),
        kms_key=_first_block_attr(inst, "encryption_configuration", "kms_key"),
        lifecycle_policy=_lifecycle_document(inst.attr("lifecycle_policy")),
        repository_policy=parse_policy_document(inst.attr("repository_policy")),
    )


def _lifecycle_document(value: Value | None) -> Value | None:
    """Lifecycle policies are JSON text; parse it here so rules see the structure with spans."""
    if value is None or not (value.is_known and isinstance(value.data, str)):
        return value
    from ...parse.json import JsonError, parse_embedded_json

    try:
        return parse_embedded_json(value)
    except JsonError:
        return value  # ECR401 reports text that is not JSON


def _repository_policy(inst, region, account):
    return _common(
        inst,
        m.RepositoryPolicy,
        region,
        account,
        repository=inst.attr("repository"),
        document=parse_policy_document(inst.attr("policy")),
    )


def _lifecycle_policy(inst, region, account):
    return _common(
        inst,
        m.LifecyclePolicy,
        region,
        account,
        repository=inst.attr("repository"),
        document=_lifecycle_document(inst.attr("policy")),
    )


def _registry_policy(inst, region, account):
    return _common(inst, m.RegistryPolicy, region, account, document=parse_policy_document(inst.attr("policy")))


def _replication(inst, region, account):
    rules: list[Value] = []
    for config in inst.blocks("replication_configuration"):
        for rule in config.blocks("rule"):
            destinations = [
                known({"region": d.attr("region"), "registry_id": d.attr("registry_id")}, d.span)
                for d in rule.blocks("destination")
            ]
            filters = [
                known({"filter": f.attr("filter"), "filter_type": f.attr("filter_type")}, f.span)
                for f in rule.blocks("repository_filter")
            ]
            rules.append(
                known(
                    {"destinations": known(destinations, rule.span), "repository_filters": known(filters, rule.span)},
                    rule.span,
                )
            )
    return _common(inst, m.ReplicationConfiguration, region, account, rules=known(rules, inst.block.span))


def _scanning(inst, region, account):
    rules = []
    for rule in inst.blocks("rule"):
        filters = [
            known({"filter": f.attr("filter"), "filter_type": f.attr("filter_type")}, f.span)
            for f in rule.blocks("repository_filter")
        ]
        rules.append(
            known(
                {"scan_frequency": rule.attr("scan_frequency"), "repository_filters": known(filters, rule.span)},
                rule.span,
            )
        )
    return _common(
        inst,
        m.RegistryScanningConfiguration,
        region,
        account,
        scan_type=inst.attr("scan_type"),
        rules=known(rules, inst.block.span),
    )


def _pull_through(inst, region, account):
    return _common(
        inst,
        m.PullThroughCacheRule,
        region,
        account,
        ecr_repository_prefix=inst.attr("ecr_repository_prefix"),
        upstream_registry_url=inst.attr("upstream_registry_url"),
        credential_arn=inst.attr("credential_arn"),
    )


def _public_repository(inst, region, account):
    return _common(
        inst,
        m.PublicRepository,
        region,
        account,
        name=inst.attr("repository_name"),
        description=_first_block_attr(inst, "catalog_data", "description"),
        about_text=_first_block_attr(inst, "catalog_data", "about_text"),
        usage_text=_first_block_attr(inst, "catalog_data", "usage_text"),
        tags=inst.attr("tags"),
    )


def _public_repository_policy(inst, region, account):
    return _common(
        inst,
        m.PublicRepositoryPolicy,
        region,
        account,
        repository=inst.attr("repository_name"),
        document=parse_policy_document(inst.attr("policy")),
    )


def _vpc(inst, region, account):
    return _common(inst, m.Vpc, region, account, cidr_block=inst.attr("cidr_block"))


def _vpc_endpoint(inst, region, account):
    return _common(
        inst,
        m.VpcEndpoint,
        region,
        account,
        vpc=inst.attr("vpc_id"),
        service_name=inst.attr("service_name"),
        vpc_endpoint_type=inst.attr("vpc_endpoint_type"),
        private_dns_enabled=inst.attr("private_dns_enabled"),
        route_table_ids=inst.attr("route_table_ids"),
        subnet_ids=inst.attr("subnet_ids"),
    )


def _route_table(inst, region, account):
    return _common(inst, m.RouteTable, region, account, vpc=inst.attr("vpc_id"))


def _lambda(inst, region, account):
    return _common(
        inst,
        m.LambdaFunction,
        region,
        account,
        name=inst.attr("function_name"),
        package_type=inst.attr("package_type"),
        image_uri=inst.attr("image_uri"),
        role=inst.attr("role"),
    )


def _task_definition(inst, region, account):
    definitions = inst.attr("container_definitions")
    if definitions is not None and definitions.is_known and isinstance(definitions.data, str):
        from ...parse.json import JsonError, parse_embedded_json

        try:
            definitions = parse_embedded_json(definitions)
        except JsonError:
            pass
    return _common(
        inst,
        m.EcsTaskDefinition,
        region,
        account,
        family=inst.attr("family"),
        container_definitions=definitions,
        execution_role=inst.attr("execution_role_arn"),
        task_role=inst.attr("task_role_arn"),
        requires_compatibilities=inst.attr("requires_compatibilities"),
    )


def _node_group(inst, region, account):
    return _common(inst, m.EksNodeGroup, region, account, node_role=inst.attr("node_role_arn"))


def _codebuild(inst, region, account):
    variables = [
        known({k: a for k in ("name", "value", "type") if (a := v.attr(k)) is not None}, v.span)
        for env in inst.blocks("environment")[:1]
        for v in env.blocks("environment_variable")
    ]
    return _common(
        inst,
        m.CodeBuildProject,
        region,
        account,
        name=inst.attr("name"),
        service_role=inst.attr("service_role"),
        image=_first_block_attr(inst, "environment", "image"),
        buildspec=_first_block_attr(inst, "source", "buildspec"),
        timeout_minutes=inst.attr("build_timeout"),
        extra={"environment_variables": variables},
    )


def _iam_role(inst, region, account):
    inline = [parse_policy_document(b.attr("policy")) for b in inst.blocks("inline_policy")]
    return _common(
        inst,
        m.IamRole,
        region,
        account,
        name=inst.attr("name"),
        assume_role_policy=parse_policy_document(inst.attr("assume_role_policy")),
        inline_policies=[d for d in inline if d is not None],
        managed_policy_arns=inst.attr("managed_policy_arns"),
    )


def _iam_policy(target_attr: str | None):
    def build(inst, region, account):
        return _common(
            inst,
            m.IamPolicy,
            region,
            account,
            name=inst.attr("name"),
            document=parse_policy_document(inst.attr("policy")),
            attached_to=inst.attr(target_attr) if target_attr else None,
        )

    return build


def _config_rule(inst, region, account):
    return _common(
        inst,
        m.ConfigRule,
        region,
        account,
        name=inst.attr("name"),
        source_identifier=_first_block_attr(inst, "source", "source_identifier"),
        resource_types=_first_block_attr(inst, "scope", "compliance_resource_types"),
    )


def _organizations_policy(inst, region, account):
    return _common(
        inst,
        m.OrganizationsPolicy,
        region,
        account,
        name=inst.attr("name"),
        policy_type=inst.attr("type"),
        document=parse_policy_document(inst.attr("content")),
    )


def _launch_template(inst, region, account):
    return _common(
        inst,
        m.Ec2LaunchTemplate,
        region,
        account,
        name=inst.attr("name"),
        user_data=inst.attr("user_data"),
        image_id=inst.attr("image_id"),
        iam_instance_profile=_first_block_attr(inst, "iam_instance_profile", "name")
        or _first_block_attr(inst, "iam_instance_profile", "arn"),
    )


def _launch_configuration(inst, region, account):
    return _common(
        inst,
        m.Ec2LaunchTemplate,
        region,
        account,
        name=inst.attr("name"),
        user_data=inst.attr("user_data") or inst.attr("user_data_base64"),
        image_id=inst.attr("image_id"),
        iam_instance_profile=inst.attr("iam_instance_profile"),
    )


def _instance(inst, region, account):
    return _common(
        inst,
        m.Ec2Instance,
        region,
        account,
        user_data=inst.attr("user_data") or inst.attr("user_data_base64"),
        image_id=inst.attr("ami"),
        iam_instance_profile=inst.attr("iam_instance_profile"),
    )


def _codedeploy_app(inst, region, account):
    return _common(
        inst,
        m.CodeDeployApplication,
        region,
        account,
        name=inst.attr("name"),
        compute_platform=inst.attr("compute_platform"),
    )


def _codedeploy_group(inst, region, account):
    services = [
        known({"cluster_name": b.attr("cluster_name"), "service_name": b.attr("service_name")}, b.span)
        for b in inst.blocks("ecs_service")
    ]
    return _common(
        inst,
        m.CodeDeployDeploymentGroup,
        region,
        account,
        application=inst.attr("app_name"),
        ecs_services=known(services, inst.block.span) if services else None,
        service_role=inst.attr("service_role_arn"),
    )


def _policy_attachment(inst, region, account):
    return _common(
        inst, m.IamPolicyAttachment, region, account, role=inst.attr("role"), policy_arn=inst.attr("policy_arn")
    )


def _endpoint_route_table(inst, region, account):
    return _common(
        inst,
        m.VpcEndpointRouteTableAssociation,
        region,
        account,
        vpc_endpoint=inst.attr("vpc_endpoint_id"),
        route_table=inst.attr("route_table_id"),
    )


BUILDERS = {
    "aws_ecr_repository": _repository,
    "aws_ecr_repository_creation_template": _creation_template,
    "aws_ecr_repository_policy": _repository_policy,
    "aws_ecr_lifecycle_policy": _lifecycle_policy,
    "aws_ecr_registry_policy": _registry_policy,
    "aws_ecr_replication_configuration": _replication,
    "aws_ecr_registry_scanning_configuration": _scanning,
    "aws_ecr_pull_through_cache_rule": _pull_through,
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
    "aws_iam_policy": _iam_policy(None),
    "aws_iam_role_policy": _iam_policy("role"),
    "aws_iam_user_policy": _iam_policy("user"),
    "aws_iam_group_policy": _iam_policy("group"),
    "aws_config_config_rule": _config_rule,
    "aws_organizations_policy": _organizations_policy,
    "aws_launch_template": _launch_template,
    "aws_launch_configuration": _launch_configuration,
    "aws_instance": _instance,
    "aws_codedeploy_app": _codedeploy_app,
    "aws_codedeploy_deployment_group": _codedeploy_group,
    "aws_iam_role_policy_attachment": _policy_attachment,
    "aws_vpc_endpoint_route_table_association": _endpoint_route_table,
}


RELEVANT_RESOURCES = frozenset(BUILDERS)
_DONE = object()  # a module whose root was walked and whose tree was let go
_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.M)


def _local_module_sources(directory: str, source: SourceFile, read) -> set[str]:
    """Directories of the local modules a file calls (`source = "./..."`), read from its text."""
    if source.kind == "tfvars":
        return set()
    try:
        text = read(source)
    except (OSError, UnicodeDecodeError):
        return set()
    if "module" not in text:
        return set()
    return {os.path.normpath(os.path.join(directory, m)) for m in _LOCAL_SOURCE.findall(text)}


class _Project:
    """All Terraform modules of a run, parsed once each."""

    def __init__(self, files: list[SourceFile], ctx: AdapterContext):
        self.ctx = ctx
        self.result = AdapterResult()
        self.by_dir: dict[str, list[SourceFile]] = defaultdict(list)
        self.tfvars: dict[str, list[SourceFile]] = defaultdict(list)
        for f in files:
            directory = os.path.dirname(f.abspath)
            (self.tfvars if f.kind == "tfvars" else self.by_dir)[directory].append(f)
        self.modules: dict[str, ModuleSource | None] = {}
        self.env = Env(load_module=self.load_module, read_file=self.read_file, account_id=ctx.options.account_id)

    def display(self, path: str) -> str:
        shown = self.ctx.display_path(path) if callable(self.ctx.display_path) else path
        return str(shown)

    def inside_roots(self, path: str) -> bool:
        real = os.path.realpath(path)
        return any(
            real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in map(os.path.realpath, self.ctx.roots)
        )

    def read(self, source: SourceFile) -> str:
        return read_limited(source.abspath)

    def read_file(self, path: str) -> tuple[str, str] | None:
        if not self.inside_roots(path):
            return None
        runcache.probed(path)  # a file() target created later changes the run
        if not os.path.isfile(path):
            return None
        try:  # a regular file within the size limit: a FIFO would hang, a huge file exhaust memory
            return self.display(path), read_text_limited(path)
        except (OSError, UnicodeDecodeError):
            return None

    def load_module(self, directory: str) -> ModuleSource | None:
        directory = os.path.normpath(directory)
        if directory in self.modules and self.modules[directory] is not _DONE:
            return self.modules[directory]
        reload = self.modules.get(directory) is _DONE  # parsed before: its ECR900s were already given
        files = self.by_dir.get(directory)
        if files is None:
            # A module outside the discovered set: a registry module under .terraform, or a local
            # module in a skipped folder. Read it only when it is inside the scanned roots.
            files = []
            if self.inside_roots(directory):
                runcache.probed(directory, folder=True)
            if os.path.isdir(directory) and self.inside_roots(directory):
                for name in sorted(os.listdir(directory)):
                    if name.endswith((".tf", ".tf.json")):
                        path = os.path.join(directory, name)
                        kind = "terraform-json" if name.endswith(".json") else "terraform"
                        files.append(SourceFile(self.display(path), path, kind))
        module = load_module(directory, files, self.read, RELEVANT_RESOURCES) if files else None
        self.modules[directory] = module
        if module is not None and not reload:
            for path, err in module.errors:
                self.result.diagnostics.append(_diagnostic(path, err))
        return module

    def root_inputs(self, directory: str, module: ModuleSource) -> dict[str, Value]:
        files = sorted(self.tfvars.get(directory, []), key=lambda f: _tfvars_order(f.path))
        extra = [SourceFile(self.display(p), p, "tfvars") for p in self.ctx.var_files]
        values: dict[str, Value] = {}
        scratch = ModuleInstance(module, self.env)
        for source in files + extra:
            try:
                body = parse_terraform_file(source, self.read(source))
            except ParseError as err:
                self.result.diagnostics.append(_diagnostic(source.path, err))
                continue
            except UnreadableInput as err:
                self.result.diagnostics.append(_diagnostic(source.path, ParseError(err.message, err.line, err.col)))
                continue
            except (OSError, UnicodeDecodeError) as err:
                self.result.diagnostics.append(_diagnostic(source.path, ParseError(f"cannot read file: {err}")))
                continue
            for name, attribute in body.attributes.items():
                value = scratch.eval(attribute.expr, Scope())
                values[name] = value.with_trace(f"var.{name} from {source.path}:{attribute.span.start_line}")
        return values

    def build(self) -> AdapterResult:
        # Which directories are called as local child modules: found from the text, so that no
        # module has to stay parsed while the others are read.
        children = set()
        for directory, files in self.by_dir.items():
            for source in files:
                children |= _local_module_sources(directory, source, self.read)
        for directory in sorted(self.by_dir):
            if directory in children:
                continue
            module = self.load_module(directory)
            if module is None:
                continue
            instance = ModuleInstance(
                module,
                self.env,
                inputs=self.root_inputs(directory, module),
                module_dirs=registry_module_dirs(directory),
            )
            self.walk(instance, _providers(instance, self.env.account_id), module.display_dir)
            # A root's own tree is done: keep only modules that others may call again.
            for done in [d for d in self.modules if d not in children]:
                self.modules[done] = _DONE
        return self.result

    def walk(self, instance: ModuleInstance, providers: dict[str, _Provider], unit: str) -> None:
        default_provider = providers.get("aws", _Provider(None, self.env.account_id))
        for resource in instance.all_instances():
            builder = BUILDERS.get(resource.type)
            if builder is None:
                continue
            provider = providers.get(_provider_key(resource), default_provider)
            obj = builder(resource, provider.region, provider.account)
            obj.extra["unit"] = unit  # the root configuration this object is deployed with
            self.result.objects.append(obj)
        for name in sorted(instance.source.module_calls):
            for child in instance.children(name):
                self.walk(child, providers, unit)


@dataclass(frozen=True)
class _Provider:
    region: Value | None
    account: str | None


_ACCOUNT_IN_ARN = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}):")


def _provider_key(resource: ResourceInstance) -> str:
    """`aws` or `aws.ALIAS`, from the resource's `provider` meta-argument."""
    attribute = resource.block.body.attributes.get("provider")
    expr = getattr(attribute, "expr", None)
    if isinstance(expr, GetAttr) and isinstance(expr.target, Variable):
        return f"{expr.target.name}.{expr.name}"
    return "aws"


def _providers(instance: ModuleInstance, account_id: str | None) -> dict[str, _Provider]:
    """AWS provider configurations by key, with the region and, where the source says, the account."""
    found: dict[str, _Provider] = {}
    for block in instance.source.providers:
        if block.labels[:1] != ("aws",):
            continue
        attrs = block.body.attributes
        alias = instance.eval(attrs["alias"].expr, Scope()) if "alias" in attrs else None
        key = f"aws.{alias.data}" if alias is not None and alias.is_known else "aws"
        region = instance.eval(attrs["region"].expr, Scope()) if "region" in attrs else None
        account = None
        allowed = instance.eval(attrs["allowed_account_ids"].expr, Scope()) if "allowed_account_ids" in attrs else None
        if allowed is not None and allowed.is_list and len(allowed.data) == 1 and allowed.data[0].is_known:
            account = str(allowed.data[0].data)
        for assume in block.body.blocks_of("assume_role"):
            role = assume.body.attributes.get("role_arn")
            value = instance.eval(role.expr, Scope()) if role is not None else None
            if value is not None and value.is_known and isinstance(value.data, str):
                m = _ACCOUNT_IN_ARN.match(value.data)
                account = account or (m.group(1) if m else None)
        found[key] = _Provider(region, account or (account_id if key == "aws" else None))
    return found


def _tfvars_order(path: str) -> tuple[int, str]:
    name = os.path.basename(path)
    return (0 if name in ("terraform.tfvars", "terraform.tfvars.json") else 1, name)


def _diagnostic(path: str, err: ParseError) -> Diagnostic:
    return Diagnostic(err.message, Span(path, err.line, err.col, err.line, err.col))


def build(files: list[SourceFile], ctx: AdapterContext) -> AdapterResult:
    return _Project(files, ctx).build()
