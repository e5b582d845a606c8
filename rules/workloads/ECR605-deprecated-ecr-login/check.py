"""ECR605: `aws ecr get-login`, or a build longer than the 12-hour ECR token that logs in once.

`aws ecr get-login` exists in AWS CLI v1 only: with v2 (CodeBuild's current images) the command
fails. It is looked for in buildspecs (files and inline), EC2 user data and Dockerfiles. A
CodeBuild project whose timeout is over 12 hours and whose buildspec logs in to ECR exactly once
is reported at that login: the token expires after 12 hours.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.model import Model, ModelObject
from ecrlint.model.objects import BuildSpecFile, CodeBuildProject, Dockerfile, Ec2Instance, Ec2LaunchTemplate
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Value
from ecrlint.workloads.buildspecs import Script, inline_script, project_script
from ecrlint.workloads.commands import ecr_login, get_login
from ecrlint.workloads.consumers import label
from ecrlint.workloads.text import code_lines, unreadable_scripts

TOKEN_HOURS = 12
REPLACEMENT = (
    "aws ecr get-login-password --region <region> | docker login --username AWS --password-stdin "
    "<account>.dkr.ecr.<region>.amazonaws.com"
)


def _scripts(model: Model) -> Iterator[tuple[ModelObject, Value, str]]:
    for obj in model.objects:
        if isinstance(obj, BuildSpecFile) and obj.text is not None:
            yield obj, obj.text, f"buildspec {obj.span.path}"
        elif isinstance(obj, CodeBuildProject):
            script = inline_script(obj)
            if script is not None:
                yield obj, script.value, script.what
        elif isinstance(obj, (Ec2LaunchTemplate, Ec2Instance)) and obj.user_data is not None:
            yield obj, obj.user_data, f"the user data of {label(obj)}"
        elif isinstance(obj, Dockerfile) and obj.text is not None:
            yield obj, obj.text, f"Dockerfile {obj.span.path}"


def _deprecated(model: Model) -> Iterator[Match]:
    for obj, text, what in _scripts(model):
        for line in code_lines(text):
            found = get_login(line)
            if found is None:
                continue
            yield match(
                obj,
                f"line {line.number} of {what} runs `aws ecr get-login`, which AWS CLI v2 removed, so the step "
                f"fails; log in with `{REPLACEMENT}`",
                text.at(found.span),
                pointer=f"line {line.number}",
            )


def _minutes(project: CodeBuildProject) -> int | None:
    value = project.timeout_minutes
    if value is None or not value.is_known:
        return None
    try:
        return int(str(value.data))
    except ValueError:
        return None


def _long_builds(model: Model) -> Iterator[Match | Undecided]:
    for project in model.of(CodeBuildProject):
        minutes = _minutes(project)
        if minutes is None or minutes <= TOKEN_HOURS * 60:
            continue
        script, why = project_script(project, model)
        if script is None:
            yield undecided(project, f"build timeout is {minutes} minutes; {why}", project.timeout_minutes)
            continue
        yield from _long_build(project, script, minutes)


def _long_build(project: CodeBuildProject, script: Script, minutes: int) -> Iterator[Match]:
    logins = [(line, ecr_login(line)) for line in code_lines(script.value)]
    logins = [(line, found) for line, found in logins if found is not None]
    if len(logins) != 1:
        return
    line, found = logins[0]
    if get_login(line) is not None:
        return  # reported as deprecated already
    yield match(
        project,
        f"CodeBuild project {label(project)} may build for {minutes} minutes, but line {line.number} of "
        f"{script.what} logs in to ECR only once: the token expires after {TOKEN_HOURS} hours, so later pulls and "
        "pushes fail; log in again right before pushing (or use the Amazon ECR credential helper)",
        script.value.at(found.span),
        pointer="timeout_minutes",
    )


def check_deprecated_ecr_login(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    yield from _deprecated(model)
    yield from _long_builds(model)
    for obj, value, what in unreadable_scripts(model):
        why = value.unknown_reason() or "not text"
        yield undecided(obj, f"whether {what} runs `aws ecr get-login` is not known: {why}", value)
