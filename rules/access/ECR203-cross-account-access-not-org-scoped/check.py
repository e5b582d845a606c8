"""ECR203 cross-account-access-not-org-scoped: read access for many external accounts without an organization condition."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.iam import actions as act
from ecrlint.iam.accounts import is_external
from ecrlint.iam.conditions import ORGANIZATION_KEYS, restricts_caller
from ecrlint.iam.principals import ACCOUNT, ACCOUNT_WILDCARD, IDENTITY, UNKNOWN
from ecrlint.iam.report import (
    Reporter,
    Result,
    actions_text,
    capitalized,
    join_words,
    outside_owner,
    owner_note,
    undecided_document,
)
from ecrlint.iam.sources import (
    REGISTRY,
    REPOSITORY,
    TEMPLATE,
    analysis_of,
    owner_of,
    resource_policies,
    scoped_actions,
)
from ecrlint.iam.statements import Grant, StatementView
from ecrlint.model import Model
from ecrlint.rule_api import CheckContext


def _org_scoped(grant: Grant) -> bool | None:
    if any(t.key_lower in ORGANIZATION_KEYS for t in grant.restriction.by):
        return True
    verdicts = [restricts_caller(t, ORGANIZATION_KEYS) for t in grant.view.conditions.tests]
    if any(v is True for v in verdicts):
        return True
    if any(v is None for v in verdicts) or grant.view.conditions.unknown:
        return None
    return False


def check_cross_account_access_not_org_scoped(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR203: read access for three or more external accounts, or any account, without an org condition."""
    threshold = int(ctx.options.extra.get("cross_account_threshold", 3))
    reporter = Reporter()
    # ECR Public repositories are readable by anyone anyway: read grants there change nothing.
    for source in resource_policies(model, REPOSITORY, REGISTRY, TEMPLATE):
        analysis = analysis_of(model, source.document)
        undecided_document(reporter, source, analysis)
        reporter.saw(analysis.views)
        owner = owner_of(source, model, ctx)
        named: dict[str, list[StatementView]] = {}
        unsure_accounts: list[str] = []
        for grant in analysis.grants:
            principal = grant.principal
            reads = act.read_actions(scoped_actions(source, grant.actions))
            maybe_reads = act.read_actions(scoped_actions(source, grant.maybe)) - reads
            if principal is None or not (reads or maybe_reads):
                continue
            if principal.kind == UNKNOWN:
                if principal.type not in ("AWS", "*", "?"):
                    continue  # a service or identity provider is no account
                # It may be one more external account: counts toward the threshold as undecided.
                unsure_accounts.append(principal.text if not principal.opaque else "an unresolved principal")
                continue
            if not reads:
                if (
                    principal.kind in (ACCOUNT, IDENTITY, ACCOUNT_WILDCARD)
                    and is_external(principal, owner) is not False
                ):
                    unsure_accounts.append(f"{principal.text} (may read: {act.summarize(maybe_reads)})")
                continue
            view = grant.view
            org = _org_scoped(grant)
            if org is True:
                continue
            if principal.kind == ACCOUNT_WILDCARD:
                if grant.restriction.restricted:
                    continue
                if org is None or grant.restriction.state == "unknown":
                    reporter.unsure(
                        source.obj,
                        f"{view.label()} grants any account read access; its condition could not be read",
                        view.value,
                        source.pointer(view),
                    )
                    continue
                what, desc, text = source.what, principal.describe(), actions_text(reads, view)
                reporter.fire(
                    source.obj,
                    view,
                    ("wildcard", principal.text),
                    lambda label, what=what, desc=desc, text=text: (
                        f"{capitalized(what)}: {label} grants {desc} read access ({text}) without an "
                        "aws:PrincipalOrgID or aws:PrincipalOrgPaths condition"
                    ),
                    source.pointer(view),
                )
                continue
            accounts: list[str] = []
            if principal.kind in (ACCOUNT, IDENTITY):
                external = is_external(principal, owner)
                if external is None:
                    unsure_accounts.append(principal.text)
                    continue
                if external and principal.account:
                    accounts = [principal.account]
            if org is None and accounts:
                unsure_accounts.extend(accounts)
                continue
            for account in accounts:
                named.setdefault(account, []).append(view)
        if len(named) >= threshold:
            views = sorted({id(v): v for vs in named.values() for v in vs}.values(), key=lambda v: v.index)
            first = views[0]
            labels = join_words([v.label() for v in views])
            accounts_text = ", ".join(sorted(named))
            what, count, where, note = source.what, len(named), outside_owner(owner), owner_note(owner)
            reporter.fire(
                source.obj,
                first,
                ("accounts",),
                lambda label, what=what, count=count, accounts_text=accounts_text, labels=labels, where=where, note=note: (
                    f"{capitalized(what)} grants read access to {count} accounts{where} ({accounts_text}) in {labels} "
                    f"without an organization condition; one statement with aws:PrincipalOrgID covers them{note}"
                ),
                source.pointer(first),
            )
        elif unsure_accounts and len(named) + len(unsure_accounts) >= threshold:
            reporter.unsure(
                source.obj,
                f"{source.what} grants read access to {len(named)} external accounts, and to "
                f"{', '.join(unsure_accounts)} whose account or organization condition is undecided",
                source.document.value,
            )
    yield from reporter.results()
