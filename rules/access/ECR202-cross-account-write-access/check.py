"""ECR202 cross-account-write-access: a principal outside the owner's account can push, delete or change the policy."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.accounts import Owner, external_accounts, is_external
from ecrlint.iam.principals import ACCOUNT, ACCOUNT_WILDCARD, EVERYONE, IDENTITY, UNKNOWN
from ecrlint.iam.report import (
    Reporter,
    Result,
    actions_text,
    capitalized,
    join_words,
    outside_owner,
    owner_note,
    undecided_document,
    unresolved_principal,
)
from ecrlint.iam.sources import (
    REGISTRY,
    REGISTRY_ACTIONS,
    PolicySource,
    analysis_of,
    owner_of,
    resource_policies,
    scoped_actions,
)
from ecrlint.iam.statements import Grant, PolicyAnalysis, StatementView
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext


def _grants_by_principal(analysis: PolicyAnalysis) -> dict[tuple[int, str, str], list[Grant]]:
    grouped: dict[tuple[int, str, str], list[Grant]] = {}
    for grant in analysis.grants:
        if grant.principal is None:
            continue
        key = (id(grant.view), grant.principal.type, grant.principal.text)
        grouped.setdefault(key, []).append(grant)
    return grouped


def _write_relevant(source: PolicySource, actions: frozenset[str]) -> frozenset[str]:
    writes = act.write_actions(scoped_actions(source, actions))
    if source.scope == REGISTRY:
        # Replication and pull-through-cache grants to named accounts are what registry policies are for
        # (ECR207 reports them when granted to everyone).
        writes -= REGISTRY_ACTIONS
    return writes


def _everyone_writes(
    source: PolicySource, grants: list[Grant], owner: Owner, reporter: Reporter
) -> tuple[frozenset[str], frozenset[str], list[str]]:
    """Writes granted to everyone: unrestricted, scoped to an organization (whose accounts may all
    write), or pinned by a condition to accounts other than the owner. A grant whose condition
    cannot be read is undecided.
    """
    sure: set[str] = set()
    maybe: set[str] = set()
    descs: list[str] = []
    for grant in grants:
        assert grant.principal is not None
        writes, maybe_writes = _write_relevant(source, grant.actions), _write_relevant(source, grant.maybe)
        if not writes and not maybe_writes:
            continue
        restriction = grant.restriction
        who = grant.principal.describe()
        if restriction.unrestricted:
            descs.append(who)
        elif restriction.restricted and restriction.accounts is not None:
            accounts = external_accounts(restriction.accounts, owner)
            if not accounts:
                continue  # pinned to the owner account
            if restriction.accounts_unknown:
                reporter.unsure(
                    source.obj,
                    f"{grant.view.label()} grants {who} write actions; some accounts its condition allows are not known",
                    grant.view.value,
                    source.pointer(grant.view),
                )
                continue
            descs.append(f"{who} limited by its condition to account(s) {', '.join(accounts)}")
        elif restriction.restricted and not restriction.accounts_unknown:
            # Scoped to an organization or organizational unit: every account in it may write.
            descs.append(f"{who} limited to callers matching {restriction.describe()}")
        elif restriction.restricted:
            reporter.unsure(
                source.obj,
                f"{grant.view.label()} grants {who} write actions; the accounts its condition allows are not known",
                grant.view.value,
                source.pointer(grant.view),
            )
            continue
        else:
            reporter.unsure(
                source.obj,
                f"{grant.view.label()} grants {grant.principal.describe()} write actions; whether its condition "
                f"restricts the caller is undecided: {'; '.join(restriction.reasons)}",
                grant.view.value,
                source.pointer(grant.view),
            )
            continue
        sure |= writes
        maybe |= maybe_writes
    return frozenset(sure), frozenset(maybe - sure), descs


def check_cross_account_write_access(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR202: a principal outside the owner's account gets Write or Permissions-management actions."""
    reporter = Reporter()
    for source in resource_policies(model):
        analysis = analysis_of(model, source.document)
        undecided_document(reporter, source, analysis)
        reporter.saw(analysis.views)
        owner = owner_of(source, model, ctx)
        per_statement: dict[int, tuple[StatementView, list[str], set[str]]] = {}
        for grants in _grants_by_principal(analysis).values():
            principal = grants[0].principal
            assert principal is not None
            view = grants[0].view
            pointer = source.pointer(view)
            sure = frozenset().union(*(_write_relevant(source, g.actions) for g in grants))
            maybe = frozenset().union(*(_write_relevant(source, g.maybe) for g in grants)) - sure
            if not sure and not maybe:
                continue
            desc = principal.describe()
            if principal.kind in (ACCOUNT, IDENTITY, ACCOUNT_WILDCARD):
                external = is_external(principal, owner)
                if external is None:
                    reporter.unsure(
                        source.obj,
                        f"{view.label()} grants write actions to {principal.text}, whose account is not known "
                        f"({principal.reason})",
                        principal.value,
                        pointer,
                    )
                    continue
                if not external:
                    continue
            elif principal.kind == EVERYONE:
                sure, maybe, descs = _everyone_writes(source, grants, owner, reporter)
                if not sure and not maybe:
                    continue
                desc = join_words(descs)
            elif principal.kind == UNKNOWN:
                reporter.unsure(
                    source.obj,
                    f"{view.label()} grants write actions to {unresolved_principal(principal)}",
                    principal.value,
                    pointer,
                )
                continue
            else:
                continue
            if not sure:
                reporter.unsure(
                    source.obj,
                    f"{view.label()} may grant {desc} write actions {act.summarize(maybe)}",
                    view.value,
                    pointer,
                )
                continue
            entry = per_statement.setdefault(id(view), (view, [], set()))
            entry[1].append(desc)
            entry[2].update(sure)
        for view, descs, sure in per_statement.values():
            what, text, where, note = source.what, actions_text(sure, view), outside_owner(owner), owner_note(owner)
            who = join_words(descs)
            reporter.fire(
                source.obj,
                view,
                ("write",),
                lambda label, what=what, who=who, text=text, where=where, note=note: (
                    f"{capitalized(what)}: {label} grants {who}{where} write access: {text}{note}"
                ),
                source.pointer(view),
            )
    yield from reporter.results()
