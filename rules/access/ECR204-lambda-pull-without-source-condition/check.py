"""ECR204 lambda-pull-without-source-condition: Lambda may pull without an aws:SourceArn or aws:SourceAccount condition."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.conditions import SOURCE_KEYS, caller_restriction
from ecrlint.iam.principals import SERVICE, UNKNOWN, Principal
from ecrlint.iam.report import (
    Reporter,
    Result,
    actions_text,
    capitalized,
    undecided_document,
)
from ecrlint.iam.sources import (
    REPOSITORY,
    TEMPLATE,
    analysis_of,
    resource_policies,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext


def _is_lambda(principal: Principal) -> bool:
    return principal.kind == SERVICE and principal.service_name() == "lambda"


def check_lambda_pull_without_source_condition(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR204: lambda.amazonaws.com may pull without an aws:SourceArn or aws:SourceAccount condition."""
    reporter = Reporter()
    for source in resource_policies(model, REPOSITORY, TEMPLATE):
        analysis = analysis_of(model, source.document)
        undecided_document(reporter, source, analysis)
        reporter.saw(analysis.views)
        for grant in analysis.grants:
            principal = grant.principal
            maybe_lambda = (
                principal is not None and principal.kind == UNKNOWN and principal.type in ("Service", "*", "?")
            )
            if principal is None or not (_is_lambda(principal) or maybe_lambda):
                continue
            view = grant.view
            pointer = source.pointer(view)
            pulls = grant.actions & act.PULL_ACTIONS
            maybe = grant.maybe & act.PULL_ACTIONS
            if not pulls and not maybe:
                continue
            if principal.kind == UNKNOWN:
                reporter.unsure(
                    source.obj,
                    f"{view.label()} lets {principal.describe()} pull, which may be lambda.amazonaws.com ({principal.reason})",
                    view.value,
                    pointer,
                )
                continue
            if any(t.key_lower in SOURCE_KEYS for t in grant.restriction.by):
                continue  # a Deny already confines the caller's source
            scoped = caller_restriction(view.conditions, SOURCE_KEYS)
            if scoped.restricted:
                continue
            if scoped.state != "unrestricted":
                reporter.unsure(
                    source.obj,
                    f"{view.label()} lets {principal.text} pull; whether its source condition pins the caller is "
                    f"undecided: {'; '.join(scoped.reasons)}",
                    view.value,
                    pointer,
                )
                continue
            if not pulls:
                reporter.unsure(
                    source.obj,
                    f"{view.label()} may let {principal.text} pull ({act.summarize(maybe)})",
                    view.value,
                    pointer,
                )
                continue
            what, service, text = source.what, principal.text, actions_text(pulls, view)
            reporter.fire(
                source.obj,
                view,
                ("lambda", principal.text),
                lambda label, what=what, service=service, text=text: (
                    f"{capitalized(what)}: {label} lets {service} pull ({text}) without an aws:SourceArn or "
                    "aws:SourceAccount condition, so Lambda functions of any account can use these images"
                ),
                pointer,
            )
    yield from reporter.results()
