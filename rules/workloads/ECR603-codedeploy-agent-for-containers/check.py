"""ECR603: the CodeDeploy agent installed for ECS or Fargate, where it has no job.

ECS blue/green deployments are run by the CodeDeploy service itself: nothing runs on container
instances or in tasks. The agent is for EC2/on-premises deployment groups. A finding points at
the first line that downloads, installs or starts the agent:

- in a Dockerfile (an agent inside a container image is never used);
- in the user data of an ECS container instance (it sets `ECS_CLUSTER`, writes
  `/etc/ecs/ecs.config`, or starts `ecs-init`);
- in other user data or a buildspec, when the analysed set deploys with CodeDeploy only to ECS
  (a deployment group with ECS services, or of an ECS application) and has no EC2/on-premises
  deployment group the agent could serve.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.model import Model, ModelObject
from ecrlint.model.objects import (
    BuildSpecFile,
    CodeBuildProject,
    CodeDeployApplication,
    CodeDeployDeploymentGroup,
    Dockerfile,
    Ec2Instance,
    Ec2LaunchTemplate,
)
from ecrlint.relations import same_deployment
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Value
from ecrlint.workloads.commands import Found, agent_install, configures_ecs_instance
from ecrlint.workloads.consumers import label
from ecrlint.workloads.text import Line, code_lines, excerpt, script_text, unreadable_scripts

SERVICE_ONLY = (
    "ECS blue/green deployments use the CodeDeploy service only: no agent runs on container instances or in tasks; "
    "remove the agent (it is for EC2/on-premises deployment groups)"
)


def _application(group: CodeDeployDeploymentGroup, model: Model) -> CodeDeployApplication | None:
    link = group.application
    if link is None:
        return None
    apps = model.of(CodeDeployApplication)
    if link.ref is not None:
        named = [app for app in apps if link.ref == app.address or link.ref.startswith(app.address + ".")]
        named = same_deployment(named, group)  # the same address in another root is another application
        if named:
            return named[0]
    if link.is_known and isinstance(link.data, str):
        named = [a for a in apps if a.name is not None and a.name.is_known and a.name.data == link.data]
        if len(named) == 1:
            return named[0]
    return None


def platform(group: CodeDeployDeploymentGroup, model: Model) -> str | None:
    """ECS, Server or Lambda; None when not known."""
    services = group.ecs_services
    if services is not None and services.is_list and services.data:
        return "ECS"
    app = _application(group, model)
    if app is None or app.compute_platform is None or not app.compute_platform.is_known:
        return None
    return str(app.compute_platform.data)


def _first_install(value: Value | None) -> Found | None:
    for line in code_lines(value):
        found = agent_install(line)
        if found is not None:
            return found
    return None


def _is_container_instance(obj: ModelObject, text_lines: list[Line]) -> bool:
    if any(configures_ecs_instance(line) for line in text_lines):
        return True
    image = getattr(obj, "image_id", None)
    text = script_text(image) if isinstance(image, Value) else None
    return bool(text) and ("ecs/optimized-ami" in text or "amzn2-ami-ecs" in text or "ecs-optimized" in text)


def _scripts(model: Model) -> Iterator[tuple[ModelObject, Value | None, str, bool]]:
    """(object, text, what, is a container image or ECS container instance)."""
    for obj in model.objects:
        if isinstance(obj, Dockerfile):
            yield obj, obj.text, f"Dockerfile {obj.span.path}", True
        elif isinstance(obj, (Ec2LaunchTemplate, Ec2Instance)):
            text_lines = list(code_lines(obj.user_data))
            yield obj, obj.user_data, f"the user data of {label(obj)}", _is_container_instance(obj, text_lines)
        elif isinstance(obj, BuildSpecFile):
            yield obj, obj.text, f"buildspec {obj.span.path}", False
        elif isinstance(obj, CodeBuildProject) and obj.buildspec is not None:
            text = script_text(obj.buildspec)
            if text is not None and "\n" in text.strip():
                yield obj, obj.buildspec, f"the inline buildspec of CodeBuild project {label(obj)}", False


def check_codedeploy_agent_for_containers(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    platforms = [(g, platform(g, model)) for g in model.of(CodeDeployDeploymentGroup)]
    for obj, value, what in unreadable_scripts(model):
        why = value.unknown_reason() or "not text"
        yield undecided(obj, f"whether {what} installs the CodeDeploy agent is not known: {why}", value)
    ecs_groups = [g for g, p in platforms if p == "ECS"]
    other_groups = [g for g, p in platforms if p in ("Server", None)]
    for obj, text, what, for_containers in _scripts(model):
        found = _first_install(text)
        if found is None:
            continue
        where = f"line {found.line.number} of {what} ({excerpt(found.line.text)})"
        if for_containers:
            kind = "into a container image" if isinstance(obj, Dockerfile) else "on an ECS container instance"
            yield match(obj, f"{where} installs the CodeDeploy agent {kind}: {SERVICE_ONLY}", _value_at(found, text))
            continue
        if not ecs_groups:
            continue
        if other_groups:
            unknown = [g for g, p in platforms if p is None]
            if unknown:
                yield undecided(
                    obj,
                    f"{where} installs the CodeDeploy agent; whether deployment group {unknown[0].address} deploys "
                    "to EC2 or to ECS is not known",
                    _value_at(found, text),
                )
            continue
        names = ", ".join(g.address for g in ecs_groups)
        yield match(
            obj,
            f"{where} installs the CodeDeploy agent beside ECS deployment group {names}, and no EC2/on-premises "
            f"deployment group uses it: {SERVICE_ONLY}",
            _value_at(found, text),
        )


def _value_at(found: Found, text: Value | None) -> Value | None:
    if text is None:
        return None
    return text.at(found.span)
