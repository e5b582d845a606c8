"""ECR201 public-repository-policy: a repository policy lets everyone pull, push or change it."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.principals import EVERYONE, UNKNOWN
from ecrlint.iam.report import (
    Reporter,
    Result,
    actions_text,
    capitalized,
    undecided_document,
    unresolved_principal,
)
from ecrlint.iam.sources import (
    PUBLIC,
    PolicySource,
    analysis_of,
    resource_policies,
    scoped_actions,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext


def _public_relevant(source: PolicySource, actions: frozenset[str]) -> frozenset[str]:
    scoped = scoped_actions(source, actions)
    if source.scope == PUBLIC:
        # Pulling from ECR Public is public by design; what matters is who may change the repository.
        return frozenset(a for a in scoped if not (act.action_info(a) and act.action_info(a).is_read))
    return scoped


def check_public_repository_policy(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR201: an Allow applies to everyone with no condition that restricts the caller."""
    reporter = Reporter()
    for source in resource_policies(model):
        analysis = analysis_of(model, source.document)
        undecided_document(reporter, source, analysis)
        reporter.saw(analysis.views)
        for grant in analysis.grants:
            principal = grant.principal
            if principal is None:
                continue
            sure = _public_relevant(source, grant.actions)
            maybe = _public_relevant(source, grant.maybe)
            if not sure and not maybe:
                continue
            view = grant.view
            pointer = source.pointer(view)
            if principal.kind == UNKNOWN:
                if not grant.restriction.restricted:
                    reporter.unsure(
                        source.obj,
                        f"{view.label()}: {unresolved_principal(principal)}; it might be everyone",
                        principal.value,
                        pointer,
                    )
                continue
            if principal.kind != EVERYONE or grant.restriction.restricted:
                continue
            if grant.restriction.state != "unrestricted":
                reporter.unsure(
                    source.obj,
                    f"{view.label()} grants {principal.describe()}; whether its condition restricts the caller "
                    f"is undecided: {'; '.join(grant.restriction.reasons)}",
                    view.value,
                    pointer,
                )
                continue
            if not sure:
                reporter.unsure(
                    source.obj,
                    f"{view.label()} may grant {principal.describe()} {act.summarize(maybe)}: "
                    + "; ".join(grant.notes or ("some actions are undecided",)),
                    view.value,
                    pointer,
                )
                continue
            what, desc, text = source.what, principal.describe(), actions_text(sure, view)
            note = (
                "; pulling from ECR Public is public by design, but these actions change the repository"
                if source.scope == PUBLIC
                else ""
            )
            reporter.fire(
                source.obj,
                view,
                ("public", principal.text, principal.type),
                lambda label, what=what, desc=desc, text=text, note=note: (
                    f"{capitalized(what)}: {label} allows {desc} to call {text} "
                    f"with no condition that restricts the caller{note}"
                ),
                pointer,
            )
    yield from reporter.results()
