"""ECR606: a CodeBuild project pushes to private ECR with a service role that cannot push.

The buildspec is the project's inline text or its linked file (see `buildspecs`). A push counts
when the pushed reference, with the buildspec's and project's variables expanded, is a private
ECR reference. The role must allow `ecr:GetAuthorizationToken` and the layer upload actions.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.iam import role_for
from ecrlint.images import PRIVATE, UNKNOWN
from ecrlint.model import Model
from ecrlint.model.objects import CodeBuildProject
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.workloads.buildspecs import Push, project_script, script_pushes
from ecrlint.workloads.consumers import label
from ecrlint.workloads.permissions import PUSH_ACTIONS, role_verdict


def _shown(push: Push) -> str:
    if push.reference == push.found.text:
        return push.found.text
    return f"{push.found.text} ({push.reference})"


def _project_findings(project: CodeBuildProject, model: Model) -> Iterator[Match | Undecided]:
    script, why = project_script(project, model)
    if script is None:
        yield undecided(project, why, project.buildspec)
        return
    pushes = script_pushes(script, project)
    ecr = [p for p in pushes if p.image is not None and p.image.registry == PRIVATE]
    if not ecr:
        unknown = [p for p in pushes if p.image is None or p.image.registry == UNKNOWN]
        if unknown:
            first = unknown[0]
            yield undecided(
                project,
                f"line {first.found.line.number} of {script.what} pushes {first.found.text}, whose registry is not known",
                script.value.at(first.found.span),
            )
        return
    role = role_for(model, project.service_role, project)
    if role is None:
        reason = (project.service_role.unknown_reason() if project.service_role is not None else None) or (
            "not in the analysed set"
        )
        yield undecided(project, f"the service role of {label(project)} cannot be read: {reason}", project.service_role)
        return
    targets = [
        (p.image.repository_arn(), p.image.repository if p.image.known("repository") else None)
        for p in ecr
        if p.image is not None
    ]
    verdict = role_verdict(role, model, PUSH_ACTIONS, targets)
    first = ecr[0]
    if verdict.missing:
        yield match(
            project,
            f"line {first.found.line.number} of {script.what} pushes {_shown(first)} to private ECR, but the "
            f"service role {role.display_name()} of CodeBuild project {label(project)} does not allow "
            f"{', '.join(verdict.missing)}: the push fails with AccessDenied; allow them (ecr:GetAuthorizationToken "
            'on "*", the layer and image actions on the repository ARN)',
            script.value.at(first.found.span),
            pointer="service_role",
        )
    elif verdict.undecided:
        yield undecided(project, f"service role {role.display_name()}: {verdict.undecided[0]}", project.service_role)


def check_build_role_cannot_push(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    for project in model.of(CodeBuildProject):
        yield from _project_findings(project, model)
