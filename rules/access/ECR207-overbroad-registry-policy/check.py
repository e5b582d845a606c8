"""ECR207 overbroad-registry-policy: a registry policy grants replication or pull-through actions to everyone."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.principals import ACCOUNT_WILDCARD, EVERYONE, UNKNOWN
from ecrlint.iam.report import (
    Reporter,
    Result,
    actions_text,
    unresolved_principal,
)
from ecrlint.iam.sources import (
    REGISTRY,
    REGISTRY_ACTIONS,
    analysis_of,
    resource_policies,
)
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext


def check_overbroad_registry_policy(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR207: a registry policy grants replication, repository creation or upstream import to anyone."""
    reporter = Reporter()
    for source in resource_policies(model, REGISTRY):
        analysis = analysis_of(model, source.document)
        reporter.saw(analysis.views)
        for grant in analysis.grants:
            principal = grant.principal
            if principal is None:
                continue
            view = grant.view
            pointer = source.pointer(view)
            sure = grant.actions & REGISTRY_ACTIONS
            maybe = grant.maybe & REGISTRY_ACTIONS
            if not sure and not maybe:
                continue
            if principal.kind == UNKNOWN:
                if not grant.restriction.restricted:
                    reporter.unsure(
                        source.obj,
                        f"{view.label()}: {unresolved_principal(principal)}",
                        principal.value,
                        pointer,
                    )
                continue
            if principal.kind not in (EVERYONE, ACCOUNT_WILDCARD) or grant.restriction.restricted:
                continue
            if grant.restriction.state != "unrestricted":
                reporter.unsure(
                    source.obj,
                    f"{view.label()} grants {principal.describe()} {act.summarize(sure | maybe)}; its condition "
                    f"could not be read: {'; '.join(grant.restriction.reasons)}",
                    view.value,
                    pointer,
                )
                continue
            if not sure:
                reporter.unsure(
                    source.obj, f"{view.label()} may grant {principal.describe()} {act.summarize(maybe)}", view.value
                )
                continue
            desc, text = principal.describe(), actions_text(sure, view)
            reporter.fire(
                source.obj,
                view,
                ("registry", principal.text),
                lambda label, desc=desc, text=text: (
                    f"Registry policy: {label} grants {desc} {text}: any account can replicate images into, or "
                    "create repositories in, this registry"
                ),
                pointer,
            )
    yield from reporter.results()
