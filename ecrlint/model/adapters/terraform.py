"""Terraform configuration (`.tf`, `.tf.json`) to model objects.

Each directory is a module. Root modules get their variables from defaults, `terraform.tfvars`,
`*.auto.tfvars` and `--var-file`; local child modules get the inputs of each call, so a value
passed down through a module is resolved where the resource is declared.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections import defaultdict
from dataclasses import dataclass

from ...discover import is_inside
from ...parse import ParseError
from ...parse.hcl_ast import GetAttr, Variable
from ...source import SourceFile, Span, UnreadableInput, read_limited, read_text_limited, text_of
from ...terraform.callers import callers_index, local_sources, top_callers
from ...terraform.evaluate import Env, ModuleInstance, ResourceInstance, Scope
from ...terraform.loader import ModuleSource, load_module, parse_terraform_file, registry_module_dirs
from ...terraform.module_models import NotAnalysed
from ...values import Value, known
from .. import objects as m
from ..policy import parse_policy_document
from ..units import Reads
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


def _dns_record(inst, region, account):
    targets = [a for alias in inst.blocks("alias") if (a := alias.attr("name")) is not None]
    records = inst.attr("records")
    if records is not None:
        targets += records.elements() if records.is_list else [records]
    return _common(
        inst, m.DnsRecord, region, account, name=inst.attr("name"), zone=inst.attr("zone_id"), targets=targets
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
        permissions_boundary=inst.attr("permissions_boundary"),
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
    "aws_route53_record": _dns_record,
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


def _local_module_sources(directory: str, source: SourceFile, read) -> set[str]:
    """Directories of the local modules a file calls (`source = "./..."`), read from its text."""
    if source.kind == "tfvars":
        return set()
    try:
        return local_sources(directory, read(source))
    except (OSError, UnicodeDecodeError, UnreadableInput):
        return set()


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
        self.instantiated: set[str] = set()  # module directories some walk has evaluated
        self.walked_for_context: set[str] = set()  # callers of scanned modules, outside the scanned paths
        self.reportable_dirs: set[str] = set()
        self.context_dirs: dict[str, list[str]] = {}  # directory -> display paths of its files
        self._diagnosed: set[Diagnostic] = set()
        self._reported: set[int] = set()  # ids of the diagnostics `report` gave in the current unit
        self.reads = Reads()  # what the current unit read
        self.env = Env(load_module=self.load_module, read_file=self.read_file, account_id=ctx.options.account_id)
        from ...terraform.module_models import ModuleFallback

        # Registry and remote modules that are not on disk: a module model, or an undecided record.
        model_dirs = tuple(ctx.options.extra.get("module_models", ()))
        self.models = self.env.module_fallback = ModuleFallback(model_dirs, self.load_model_files)

    def display(self, path: str) -> str:
        shown = self.ctx.display_path(path) if callable(self.ctx.display_path) else path
        return str(shown)

    def inside_roots(self, path: str) -> bool:
        """Inside the scanned paths or the project around them: local modules there are followed."""
        real = os.path.realpath(path)
        roots = [*self.ctx.roots, *([self.ctx.project_root] if self.ctx.project_root else [])]
        return any(is_inside(real, r) for r in map(os.path.realpath, roots))

    def read(self, source: SourceFile) -> str:
        self.reads.file(source.abspath)
        kept = self.ctx.terraform_bytes.get(source.abspath)
        return text_of(kept) if kept is not None else read_limited(source.abspath)

    def read_file(self, path: str) -> tuple[str, str] | None:
        if not self.inside_roots(path):
            return None
        self.reads.file(path)  # read, or found absent: a file() target created later is a change
        if not os.path.isfile(path):
            return None
        try:  # a regular file within the size limit: a FIFO would hang, a huge file exhaust memory
            return self.display(path), read_text_limited(path)
        except (OSError, UnicodeDecodeError):
            return None

    def load_module(self, directory: str) -> ModuleSource | None:
        directory = os.path.normpath(directory)
        files = self.module_files(directory)
        module = self.modules.get(directory, _DONE)
        if module is _DONE:
            module = load_module(directory, files, self.read, RELEVANT_RESOURCES) if files else None
            self.modules[directory] = module
        else:
            for source in files:  # parsed in an earlier unit: this one reads it too
                self.reads.file(source.abspath)
        if module is not None:  # once per unit (`report` gives each diagnostic once)
            for path, err in module.errors:
                self.diagnose(path, err)
        return module

    def module_files(self, directory: str) -> list[SourceFile]:
        """A module's files: those discovered in its folder, else (a registry module under
        .terraform, or a local module in a skipped folder) those on disk inside the scanned roots."""
        self.reads.fact(f"dir:{directory}", self.discovered_in(directory))
        files = self.by_dir.get(directory)
        if files is not None:
            return files
        files = []
        self.reads.folder(directory)  # listed, or found absent: a change there is a change of the unit
        if os.path.isdir(directory) and self.inside_roots(directory):
            for name in sorted(os.listdir(directory)):
                if name.endswith((".tf", ".tf.json")):
                    path = os.path.join(directory, name)
                    kind = "terraform-json" if name.endswith(".json") else "terraform"
                    files.append(SourceFile(self.display(path), path, kind))
        return files

    def discovered_in(self, directory: str) -> str:
        """Which Terraform and variable files discovery found in a folder (a fact units record)."""
        found = [f"{f.path}\0{f.kind}" for f in (*self.by_dir.get(directory, ()), *self.tfvars.get(directory, ()))]
        return "\n".join(sorted(found)) if found else "-"

    def fact(self, name: str) -> str | None:
        """A recorded fact, stated again for this run (see `discovered_in`)."""
        kind, _, directory = name.partition(":")
        return self.discovered_in(directory) if kind == "dir" else None

    def load_model_files(self, directory: str, files: list[tuple[str, str]]) -> ModuleSource:
        # A module model's files are ecrlint's own data, read whatever the scanned roots.
        sources = [SourceFile(shown, path, "terraform") for shown, path in files]
        module = load_module(directory, sources, self.read, RELEVANT_RESOURCES)
        for path, err in module.errors:
            self.result.diagnostics.append(_diagnostic(path, err))
        return module

    def variable_files(self, directory: str) -> list[SourceFile]:
        """The variable files Terraform loads by itself, in its order: `terraform.tfvars`,
        `terraform.tfvars.json`, then `*.auto.tfvars` and `*.auto.tfvars.json` by name."""
        files = [f for f in self.tfvars.get(directory, []) if _loaded_automatically(f.path)]
        return sorted(files, key=lambda f: _tfvars_order(f.path))

    def root_inputs(self, directory: str, module: ModuleSource, extra_files: list[str]) -> dict[str, Value]:
        extra = [SourceFile(self.display(p), p, "tfvars") for p in extra_files]
        values: dict[str, Value] = {}
        scratch = ModuleInstance(module, self.env)
        for source in self.variable_files(directory) + extra:
            try:
                body = parse_terraform_file(source, self.read(source))
            except ParseError as err:
                self.diagnose(source.path, err)
                continue
            except UnreadableInput as err:
                self.diagnose(source.path, ParseError(err.message, err.line, err.col))
                continue
            except (OSError, UnicodeDecodeError) as err:
                self.diagnose(source.path, ParseError(f"cannot read file: {err}"))
                continue
            for name, attribute in body.attributes.items():
                value = scratch.eval(attribute.expr, Scope())
                values[name] = value.with_trace(f"var.{name} from {source.path}:{attribute.span.start_line}")
        return values

    def diagnose(self, path: str, err: ParseError) -> None:
        self.report(_diagnostic(path, err))

    def report(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self._diagnosed:  # a file read once per scenario is reported once
            self._diagnosed.add(diagnostic)
            self._reported.add(id(diagnostic))
            self.result.diagnostics.append(diagnostic)

    def unloaded_variable_files(self, directory: str) -> list[str]:
        """Variable files beside a root that Terraform does not load unless told to (`-var-file`)."""
        return sorted(
            os.path.basename(f.path) for f in self.tfvars.get(directory, []) if not _loaded_automatically(f.path)
        )

    def build(self) -> AdapterResult:
        # Which directories are called as local child modules: found from the text, so that no
        # module has to stay parsed while the others are read. A module calling itself is not its
        # own caller: that cycle is reported where it is expanded.
        calls = {
            directory: set().union(*(_local_module_sources(directory, f, self.read) for f in files)) - {directory}
            for directory, files in self.by_dir.items()
        }
        self.ctx.terraform_bytes = {}  # the files are read again as they are parsed, and only then
        children = set().union(*calls.values()) if calls else set()
        callers = self.callers_outside(calls)
        for directory in sorted(self.by_dir):
            if directory in children:
                continue
            tops = top_callers(directory, callers) if callers else []
            if not tops:
                self.unit(directory, children)
            for top in tops:  # a scanned module is evaluated in the roots that call it
                if top not in self.walked_for_context:
                    self.walked_for_context.add(top)
                    self.unit(top, children, reportable=False)
        # A module that no root instantiates (called only with `count = 0`, or only from a cycle of
        # modules) is still analysed, with its own defaults, so that no folder goes unseen.
        for directory in sorted(self.by_dir):
            if directory in children and directory not in self.instantiated:
                self.unit(directory, children)
        self.result.context_files = sorted(
            {path for d, paths in self.context_dirs.items() if d not in self.reportable_dirs for path in paths}
        )
        for span, message in self.env.problems:
            self.report(Diagnostic(message, span))
        for err in self.models.model_errors():
            self.result.diagnostics.append(_diagnostic(self.display(err.path), ParseError(err.message, err.line, 1)))
        for record in self.models.not_analysed.values():
            self.result.diagnostics.append(
                Diagnostic(record.message, record.span, address=record.address, undecided=True)
            )
        return self.result

    def callers_outside(self, calls: dict[str, set[str]]) -> dict[str, set[str]]:
        """Callers of modules over the whole project: the scanned folders' calls, and those of the
        project's other `.tf` files (a module scanned alone still has its callers)."""
        root = self.ctx.project_root
        if not root:
            return {}
        return callers_index(root, calls)

    def unit(self, directory: str, children: set[str], reportable: bool = True) -> None:
        """Walk one root (a unit of the unit cache): its piece comes from the cache when nothing it
        read has changed. Each unit is walked from a clean slate (what it reports, instantiates and
        records), and its piece merged as one walk of all roots would have left it."""
        identity = f"{directory}\0{reportable}"
        units = self.ctx.units
        data = units.lookup("terraform", identity, self.fact) if units is not None else None
        piece = _RootPiece.decode(data, units.keeper("terraform", identity)) if data is not None else None
        if piece is None:
            piece = self.walk_alone(directory, children, reportable)
            data = piece.encode() if units is not None else None
            if data is not None:
                units.store("terraform", identity, self.reads, data)
                piece.result.objects = [units.kept("terraform", identity, data, piece.result.objects)]
        self.merge(piece)

    def walk_alone(self, directory: str, children: set[str], reportable: bool) -> _RootPiece:
        kept = (self.result, self._diagnosed, self.instantiated, self.reportable_dirs, self.context_dirs)
        kept_problems, kept_not_analysed = self.env.problems, self.models.not_analysed
        self.result, self._diagnosed, self._reported = AdapterResult(), set(), set()
        self.reads = self.ctx.units.reads() if self.ctx.units is not None else Reads()
        self.instantiated, self.reportable_dirs, self.context_dirs = set(), set(), {}
        self.env.problems, self.models.not_analysed = [], {}
        try:
            self.reads.file(os.path.join(directory, ".terraform", "modules", "modules.json"))
            self.walk_root(directory, children, reportable)
            return _RootPiece(
                self.result,
                [id(d) in self._reported for d in self.result.diagnostics],
                sorted(self.instantiated),
                sorted(self.reportable_dirs),
                dict(sorted(self.context_dirs.items())),
                list(self.env.problems),
                list(self.models.not_analysed.items()),
            )
        finally:
            self.result, self._diagnosed, self.instantiated, self.reportable_dirs, self.context_dirs = kept
            self.env.problems, self.models.not_analysed = kept_problems, kept_not_analysed

    def merge(self, piece: _RootPiece) -> None:
        for diagnostic, reported in zip(piece.result.diagnostics, piece.reported):
            if reported:
                if diagnostic in self._diagnosed:
                    continue
                self._diagnosed.add(diagnostic)
            self.result.diagnostics.append(diagnostic)
        self.result.objects.extend(piece.result.objects)
        for folder, site in piece.result.relocations.items():
            self.result.relocations.setdefault(folder, site)
        self.instantiated.update(piece.instantiated)
        self.reportable_dirs.update(piece.reportable_dirs)
        self.context_dirs.update(piece.context_dirs)
        self.env.problems.extend(piece.problems)
        for key, record in piece.not_analysed:
            self.models.not_analysed.setdefault(key, record)

    def walk_root(self, directory: str, children: set[str], reportable: bool = True) -> None:
        module = self.load_module(directory)
        if module is None:
            return
        scenarios = _scenarios_for(directory, self.ctx)
        names = tuple(name for name, _ in scenarios)
        for name, files in scenarios or [(None, [])]:
            self.env.new_budget()
            instance = ModuleInstance(
                module,
                self.env,
                inputs=self.root_inputs(directory, module, files + list(self.ctx.var_files)),
                module_dirs=registry_module_dirs(directory),
                unloaded_var_files=self.unloaded_variable_files(directory) if not scenarios else [],
            )
            context = {"scenario": name, "scenarios": names} if name is not None else {}
            self.walk(instance, _providers(instance, self.env.account_id), module.display_dir, context, reportable)
        # A root's own tree is done: keep only modules that others may call again.
        for done in [d for d in self.modules if d not in children]:
            self.modules[done] = _DONE

    def walk(
        self,
        instance: ModuleInstance,
        providers: dict[str, _Provider],
        unit: str,
        context: dict,
        reportable: bool,
        call=None,
    ) -> None:
        directory = os.path.normpath(instance.source.directory)
        self.instantiated.add(directory)
        # Code reached only through a caller found outside the scanned paths gives context (its
        # objects take part in the analysis) but no findings of its own.
        reportable = reportable or directory in self.by_dir
        if reportable:
            self.reportable_dirs.add(directory)
        else:
            self.context_dirs[directory] = instance.source.files
        site = _visible_call_site(instance)
        if site is not None:
            self.result.relocations.setdefault(instance.source.display_dir, site)
        default_provider = providers.get("aws", _Provider(None, self.env.account_id))
        for resource in instance.all_instances():
            builder = BUILDERS.get(resource.type)
            if builder is None:
                continue
            provider = providers.get(_provider_key(resource), default_provider)
            obj = builder(resource, provider.region, provider.account)
            # The root configuration this object is deployed with, and the variable files it was
            # evaluated with: objects of two scenarios are never the same resource.
            obj.extra["unit"] = f"{unit} when {context['scenario']}" if context else unit
            obj.extra["root"] = unit
            obj.extra.update(context)
            if call is not None:
                obj = self.models.relocate(obj, instance, call)  # a module model's parts: at the call
            self.result.objects.append(obj)
        for name in sorted(instance.source.module_calls):
            for child in instance.children(name):
                self.walk(child, providers, unit, context, reportable, instance.source.module_calls[name])


@dataclass
class _RootPiece:
    """What walking one root gave: its result, and what the walk left for the project as a whole."""

    result: AdapterResult
    reported: list[bool]  # per diagnostic: given through `report` (each once per project)
    instantiated: list[str]
    reportable_dirs: list[str]
    context_dirs: dict[str, list[str]]
    problems: list[tuple[Span, str]]
    not_analysed: list[tuple[tuple[str, int, int], NotAnalysed]]

    def encode(self) -> bytes | None:
        from ..codec import piece_bytes

        return piece_bytes(self.result, {name: getattr(self, name) for name in _PIECE_HINTS})

    @classmethod
    def decode(cls, data: bytes, keep) -> _RootPiece | None:
        from ..codec import piece_from_bytes

        found = piece_from_bytes(data, _PIECE_HINTS, keep)
        if found is None:
            return None
        result, parts = found
        if len(parts["reported"]) != len(result.diagnostics):
            return None
        return cls(result, **parts)


_PIECE_HINTS = {
    "reported": list[bool],
    "instantiated": list[str],
    "reportable_dirs": list[str],
    "context_dirs": dict[str, list[str]],
    "problems": list[tuple[Span, str]],
    "not_analysed": list[tuple[tuple[str, int, int], NotAnalysed]],
}


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


def _installed(directory: str) -> bool:
    """Code `terraform init` installed: gitignored, so code scanning cannot show a finding there."""
    return f"{os.sep}.terraform{os.sep}modules{os.sep}" in os.path.normpath(directory) + os.sep


def _visible_call_site(instance: ModuleInstance) -> Span | None:
    """For installed module code, the `module` block in the user's own files that leads to it."""
    if not _installed(instance.source.directory):
        return None
    site = None
    while instance.parent is not None and _installed(instance.source.directory):
        site, instance = instance.call_span, instance.parent
    return site


def _loaded_automatically(path: str) -> bool:
    name = os.path.basename(path)
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith((".auto.tfvars", ".auto.tfvars.json"))


def _tfvars_order(path: str) -> tuple[int, str]:
    name = os.path.basename(path)
    return ({"terraform.tfvars": 0, "terraform.tfvars.json": 1}.get(name, 2), name)


def _scenarios_for(directory: str, ctx: AdapterContext) -> list[tuple[str, list[str]]]:
    """The named sets of variable files configured for a root folder, as absolute paths."""
    found: dict[str, list[str]] = {}
    for root, scenarios in ctx.scenarios.items():
        if os.path.normpath(root) == directory or fnmatch.fnmatch(directory, os.path.normpath(root)):
            for name, files in scenarios.items():
                found.setdefault(name, [os.path.normpath(os.path.join(directory, f)) for f in files])
    return sorted(found.items())


def _diagnostic(path: str, err: ParseError) -> Diagnostic:
    return Diagnostic(err.message, Span(path, err.line, err.col, err.line, err.col))


def build(files: list[SourceFile], ctx: AdapterContext) -> AdapterResult:
    return _Project(files, ctx).build()
