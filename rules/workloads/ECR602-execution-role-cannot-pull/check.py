"""ECR602: the role that pulls a workload's images cannot pull from ECR.

- An ECS task definition with a private ECR image pulls with its execution role. Without one,
  Fargate and external (ECS Anywhere) tasks cannot pull at all; on the EC2 launch type the
  container instance role pulls instead, so a task definition only for EC2 needs none.
- An EKS managed node group pulls with its node role (the VPC CNI and kube-proxy images come
  from ECR too, whatever the pods run).

The role must allow `ecr:GetAuthorizationToken`, `ecr:BatchGetImage` and
`ecr:GetDownloadUrlForLayer` (`AmazonECSTaskExecutionRolePolicy`,
`AmazonEC2ContainerRegistryReadOnly` or `...PullOnly` do).
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.iam import role_for
from ecrlint.images import PRIVATE, UNKNOWN
from ecrlint.model import Model
from ecrlint.model.objects import EcsTaskDefinition, EksNodeGroup, IamRole
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Value
from ecrlint.workloads.consumers import ImageUse, Unreadable, label, task_images
from ecrlint.workloads.permissions import PULL_ACTIONS, role_verdict

NEEDS_EXECUTION_ROLE = frozenset({"FARGATE", "EXTERNAL"})


def _compatibilities(task: EcsTaskDefinition) -> set[str] | None:
    """Launch types the task definition is for (absent: EC2); None when not known."""
    value = task.requires_compatibilities
    if value is None:
        return {"EC2"}
    found: set[str] = set()
    for _, option in value.outcomes() if value is not None else []:
        if not option.is_list:
            return None
        for item in option.data:
            if not item.is_known or not isinstance(item.data, str):
                return None
            found.add(item.data.upper())
    return found


def _role_text(value: Value) -> str:
    return value.text() if value.is_known else str(value.data)


def _pull_images(task: EcsTaskDefinition) -> tuple[list[ImageUse], list[str]]:
    """(private ECR images of the task, reasons some image's registry is not known)."""
    ecr: list[ImageUse] = []
    unknown: list[str] = []
    for item in task_images(task):
        if isinstance(item, Unreadable):
            unknown.append(item.reason)
        elif item.image is not None and item.image.registry == PRIVATE:
            ecr.append(item)
        elif item.image is not None and item.image.registry == UNKNOWN:
            unknown.append(f"the registry of {item.what} is not known")
    return ecr, unknown


def _missing_message(subject: str, kind: str, role: IamRole, missing: list[str], fix: str) -> str:
    return f"{subject}, but its {kind} {role.display_name()} does not allow {', '.join(missing)}: {fix}"


def _task_findings(task: EcsTaskDefinition, model: Model) -> Iterator[Match | Undecided]:
    ecr, unknown = _pull_images(task)
    if not ecr:
        if unknown:
            yield undecided(task, unknown[0], task.container_definitions)
        return
    first = ecr[0]
    subject = f"task definition {label(task)} runs {first.written} from private ECR"
    if task.execution_role is None:
        launch = _compatibilities(task)
        if launch is None:
            yield undecided(task, f"{subject} with no execution role, and its launch types are not known")
        elif launch & NEEDS_EXECUTION_ROLE:
            kinds = ", ".join(sorted(launch & NEEDS_EXECUTION_ROLE))
            yield match(
                task,
                f"{subject} on {kinds} with no execution role, so the image cannot be pulled: set the execution role "
                "to a role with AmazonECSTaskExecutionRolePolicy (or ecr:GetAuthorizationToken, ecr:BatchGetImage "
                "and ecr:GetDownloadUrlForLayer)",
                pointer="execution_role",
            )
        return
    role = role_for(model, task.execution_role, task)
    if role is None:
        reason = task.execution_role.unknown_reason() or "not in the analysed set"
        yield undecided(
            task, f"execution role {_role_text(task.execution_role)} cannot be read: {reason}", task.execution_role
        )
        return
    targets = [
        (use.image.repository_arn(), use.image.repository if use.image.known("repository") else None)
        for use in ecr
        if use.image is not None
    ]
    verdict = role_verdict(role, model, PULL_ACTIONS, targets)
    if verdict.missing:
        yield match(
            task,
            _missing_message(
                f"task definition {label(task)} pulls {first.written} from private ECR",
                "execution role",
                role,
                verdict.missing,
                "ECS cannot start the task (CannotPullContainerError); attach AmazonECSTaskExecutionRolePolicy "
                'or allow these actions (ecr:GetAuthorizationToken on "*")',
            ),
            task.execution_role,
            pointer="execution_role",
        )
    elif verdict.undecided:
        yield undecided(task, f"execution role {role.display_name()}: {verdict.undecided[0]}", task.execution_role)


def _node_group_findings(group: EksNodeGroup, model: Model) -> Iterator[Match | Undecided]:
    if group.node_role is None:
        return
    role = role_for(model, group.node_role, group)
    if role is None:
        reason = group.node_role.unknown_reason() or "not in the analysed set"
        yield undecided(group, f"node role {_role_text(group.node_role)} cannot be read: {reason}", group.node_role)
        return
    verdict = role_verdict(role, model, PULL_ACTIONS)
    if verdict.missing:
        yield match(
            group,
            _missing_message(
                f"EKS node group {label(group)} pulls images from ECR (its own add-ons' images included)",
                "node role",
                role,
                verdict.missing,
                "nodes cannot pull and pods stay in ImagePullBackOff; attach AmazonEC2ContainerRegistryPullOnly "
                "(or AmazonEC2ContainerRegistryReadOnly) to the node role",
            ),
            group.node_role,
            pointer="node_role",
        )
    elif verdict.undecided:
        yield undecided(group, f"node role {role.display_name()}: {verdict.undecided[0]}", group.node_role)


def check_execution_role_cannot_pull(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    for obj in model.objects:
        if isinstance(obj, EcsTaskDefinition):
            yield from _task_findings(obj, model)
        elif isinstance(obj, EksNodeGroup):
            yield from _node_group_findings(obj, model)
