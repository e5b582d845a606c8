"""Checks of the access rules ECR201-ECR208 (`check: ecrlint.iam.checks:<function>` in rule.yaml).

Every check reads policies through `analyze_policy`, so they agree on what a statement grants.
A finding points at the statement (`pointer="Statement[i]"`) and names the statement, the
principal and the actions found. Where an undecided value could change the verdict, the check
reports `Undecided` instead of guessing.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..checks import CheckContext, match, undecided
from ..findings import Match, Undecided
from ..graph import unit_of
from ..model import Model, ModelObject
from ..model.objects import (
    CodeBuildProject,
    IamPolicy,
    IamPolicyAttachment,
    IamRole,
    PublicRepository,
    PublicRepositoryPolicy,
    RegistryPolicy,
    Repository,
    RepositoryCreationTemplate,
    RepositoryPolicy,
)
from ..model.policy import PolicyDocument
from ..values import Value
from . import actions as act
from .accounts import Owner, external_accounts, is_external, owner_account
from .arns import scalar_text
from .conditions import ORGANIZATION_KEYS, SOURCE_KEYS, caller_restriction, restricts_caller
from .managed import PULL_POLICIES, managed_policy
from .principals import ACCOUNT, ACCOUNT_WILDCARD, EVERYONE, IDENTITY, SERVICE, UNKNOWN, Principal
from .roles import role_policies
from .statements import ALLOW, Grant, PolicyAnalysis, StatementView, analyze_policy

Result = Match | Undecided

# -- where policies are --------------------------------------------------------------------------------

REPOSITORY = "repository"
REGISTRY = "registry"
PUBLIC = "public-repository"
TEMPLATE = "template"

#: what registry policies exist for: replication into the registry and pull through cache
REGISTRY_ACTIONS = frozenset({"ecr:ReplicateImage", "ecr:CreateRepository", "ecr:BatchImportUpstreamImage"})


@dataclass(frozen=True)
class PolicySource:
    """A resource policy in the model and what it governs."""

    obj: ModelObject
    document: PolicyDocument
    scope: str  # repository | registry | public-repository | template
    prefix: str  # pointer prefix for documents nested in their resource ("" for policy resources)

    @property
    def namespace(self) -> str:
        return act.PUBLIC if self.scope == PUBLIC else act.PRIVATE

    @property
    def what(self) -> str:
        return {
            REPOSITORY: "repository policy",
            REGISTRY: "registry policy",
            PUBLIC: "public repository policy",
            TEMPLATE: "repository creation template policy",
        }[self.scope]

    def pointer(self, view: StatementView) -> str:
        return f"{self.prefix}{view.pointer}"


def resource_policies(model: Model, *scopes: str) -> list[PolicySource]:
    """Every repository, registry, public repository and creation-template policy in the model."""
    wanted = set(scopes) or {REPOSITORY, REGISTRY, PUBLIC, TEMPLATE}
    found: list[PolicySource] = []
    for obj in model.objects:
        if isinstance(obj, RepositoryPolicy) and REPOSITORY in wanted and obj.document is not None:
            found.append(PolicySource(obj, obj.document, REPOSITORY, ""))
        elif isinstance(obj, Repository) and REPOSITORY in wanted and obj.inline_policy is not None:
            found.append(PolicySource(obj, obj.inline_policy, REPOSITORY, "repository_policy."))
        elif isinstance(obj, RegistryPolicy) and REGISTRY in wanted and obj.document is not None:
            found.append(PolicySource(obj, obj.document, REGISTRY, ""))
        elif isinstance(obj, PublicRepositoryPolicy) and PUBLIC in wanted and obj.document is not None:
            found.append(PolicySource(obj, obj.document, PUBLIC, ""))
        elif isinstance(obj, PublicRepository) and PUBLIC in wanted and obj.inline_policy is not None:
            found.append(PolicySource(obj, obj.inline_policy, PUBLIC, "repository_policy."))
        elif isinstance(obj, RepositoryCreationTemplate) and TEMPLATE in wanted and obj.repository_policy is not None:
            found.append(PolicySource(obj, obj.repository_policy, TEMPLATE, "repository_policy."))
    return found


_ANALYSES: weakref.WeakKeyDictionary[PolicyDocument, PolicyAnalysis] = weakref.WeakKeyDictionary()


def forget_analyses() -> None:
    """Drop the per-document analyses; whoever asks again gets them computed afresh."""
    _ANALYSES.clear()


release = forget_analyses  # called by the engine after the last rule of this module


def analysis_of(document: PolicyDocument) -> PolicyAnalysis:
    """`analyze_policy`, computed once per document for all rules of a run."""
    cached = _ANALYSES.get(document)
    if cached is None:
        cached = analyze_policy(document)
        _ANALYSES[document] = cached
    return cached


def _owner(source: PolicySource, model: Model, ctx: CheckContext) -> Owner:
    return owner_account(source.obj, ctx.options.account_id, model=model, documents=[source.document])


# -- reporting -------------------------------------------------------------------------------------------


class Reporter:
    """Collects findings per statement outcome and merges outcomes that agree.

    A finding that holds in every outcome of a conditional statement is reported once, without
    naming a branch; one that holds in some outcomes names the branch in its message.
    """

    def __init__(self) -> None:
        self._matches: dict[tuple, list[tuple[StatementView, Callable[[str], str], ModelObject, str]]] = {}
        self._undecided: dict[tuple, Undecided] = {}
        self._outcomes: dict[tuple[int, int], set[str | None]] = {}

    def saw(self, views: Iterable[StatementView]) -> None:
        for view in views:
            self._outcomes.setdefault(view.origin, set()).add(view.branch)

    def fire(self, obj: ModelObject, view: StatementView, key: tuple, build: Callable[[str], str], pointer: str):
        self._outcomes.setdefault(view.origin, set()).add(view.branch)
        self._matches.setdefault((id(obj), view.origin, pointer, *key), []).append((view, build, obj, pointer))

    def unsure(self, obj: ModelObject, reason: str, value: Value | None, pointer: str = "") -> None:
        key = (id(obj), pointer, reason)
        if key not in self._undecided:
            self._undecided[key] = undecided(obj, reason, value, pointer=pointer)

    def results(self) -> Iterator[Result]:
        for hits in self._matches.values():
            view, build, obj, pointer = hits[0]
            outcomes = self._outcomes.get(view.origin, {None})
            branches = {v.branch for v, *_ in hits}
            if branches >= outcomes:
                yield match(obj, build(view.statement.label()), view.value, pointer=pointer)
                continue
            seen: set[str | None] = set()
            for hit_view, hit_build, hit_obj, hit_pointer in hits:
                if hit_view.branch in seen:
                    continue
                seen.add(hit_view.branch)
                yield match(hit_obj, hit_build(hit_view.label()), hit_view.value, pointer=hit_pointer)
        yield from self._undecided.values()


def _join(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unresolved(principal: Principal) -> str:
    name = "a principal" if principal.opaque else f"principal {principal.text}"
    return f"{name} could not be resolved ({principal.reason})"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _actions_text(actions: Iterable[str], view: StatementView) -> str:
    items = list(actions)
    via = view.actions.via(items)
    listed = act.summarize(items)
    return f"{listed} (via {via})" if via and any(act.is_wildcard(p) for p in view.actions.patterns) else listed


def _grants_by_principal(analysis: PolicyAnalysis) -> dict[tuple[int, str, str], list[Grant]]:
    grouped: dict[tuple[int, str, str], list[Grant]] = {}
    for grant in analysis.grants:
        if grant.principal is None:
            continue
        key = (id(grant.view), grant.principal.type, grant.principal.text)
        grouped.setdefault(key, []).append(grant)
    return grouped


def _undecided_document(reporter: Reporter, source: PolicySource, analysis: PolicyAnalysis) -> None:
    for reason in analysis.undecided:
        reporter.unsure(source.obj, f"{source.what} could not be read: {reason}", source.document.value)


# -- ECR201 public-repository-policy ------------------------------------------------------------------


def _scoped(source: PolicySource, actions: frozenset[str]) -> frozenset[str]:
    """The actions a policy of this kind can grant: a repository policy only governs repository actions."""
    scoped = act.in_namespace(actions, source.namespace)
    if source.scope == REGISTRY:
        return scoped  # registry policy scope V2 enforces every ECR action
    return frozenset(
        a for a in scoped if (info := act.action_info(a)) is not None and "repository" in info.resource_types
    )


def _public_relevant(source: PolicySource, actions: frozenset[str]) -> frozenset[str]:
    scoped = _scoped(source, actions)
    if source.scope == PUBLIC:
        # Pulling from ECR Public is public by design; what matters is who may change the repository.
        return frozenset(a for a in scoped if not (act.action_info(a) and act.action_info(a).is_read))
    return scoped


def check_public_repository_policy(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR201: an Allow applies to everyone with no condition that restricts the caller."""
    reporter = Reporter()
    for source in resource_policies(model):
        analysis = analysis_of(source.document)
        _undecided_document(reporter, source, analysis)
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
                        f"{view.label()}: {_unresolved(principal)}; it might be everyone",
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
            what, desc, text = source.what, principal.describe(), _actions_text(sure, view)
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
                    f"{_cap(what)}: {label} allows {desc} to call {text} "
                    f"with no condition that restricts the caller{note}"
                ),
                pointer,
            )
    yield from reporter.results()


# -- ECR202 cross-account-write-access -----------------------------------------------------------------


def _write_relevant(source: PolicySource, actions: frozenset[str]) -> frozenset[str]:
    writes = act.write_actions(_scoped(source, actions))
    if source.scope == REGISTRY:
        # Replication and pull-through-cache grants to named accounts are what registry policies are for
        # (ECR207 reports them when granted to everyone).
        writes -= REGISTRY_ACTIONS
    return writes


def _outside(owner: Owner) -> str:
    """Where the grantee is, relative to the owner: said before the grant."""
    if owner.known:
        return f" outside the owner account {owner.account}"
    return ""


def _owner_note(owner: Owner) -> str:
    """Appended to messages when the owner account is unknown."""
    if owner.known:
        return ""
    return " (the owner account is not known, so every named account counts as external; --account-id sets it)"


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
        analysis = analysis_of(source.document)
        _undecided_document(reporter, source, analysis)
        reporter.saw(analysis.views)
        owner = _owner(source, model, ctx)
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
                desc = _join(descs)
            elif principal.kind == UNKNOWN:
                reporter.unsure(
                    source.obj,
                    f"{view.label()} grants write actions to {_unresolved(principal)}",
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
            what, text, where, note = source.what, _actions_text(sure, view), _outside(owner), _owner_note(owner)
            who = _join(descs)
            reporter.fire(
                source.obj,
                view,
                ("write",),
                lambda label, what=what, who=who, text=text, where=where, note=note: (
                    f"{_cap(what)}: {label} grants {who}{where} write access: {text}{note}"
                ),
                source.pointer(view),
            )
    yield from reporter.results()


# -- ECR203 cross-account-access-not-org-scoped ------------------------------------------------------


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
        analysis = analysis_of(source.document)
        _undecided_document(reporter, source, analysis)
        reporter.saw(analysis.views)
        owner = _owner(source, model, ctx)
        named: dict[str, list[StatementView]] = {}
        unsure_accounts: list[str] = []
        for grant in analysis.grants:
            principal = grant.principal
            reads = act.read_actions(_scoped(source, grant.actions))
            maybe_reads = act.read_actions(_scoped(source, grant.maybe)) - reads
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
                what, desc, text = source.what, principal.describe(), _actions_text(reads, view)
                reporter.fire(
                    source.obj,
                    view,
                    ("wildcard", principal.text),
                    lambda label, what=what, desc=desc, text=text: (
                        f"{_cap(what)}: {label} grants {desc} read access ({text}) without an "
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
            labels = _join([v.label() for v in views])
            accounts_text = ", ".join(sorted(named))
            what, count, where, note = source.what, len(named), _outside(owner), _owner_note(owner)
            reporter.fire(
                source.obj,
                first,
                ("accounts",),
                lambda label, what=what, count=count, accounts_text=accounts_text, labels=labels, where=where, note=note: (
                    f"{_cap(what)} grants read access to {count} accounts{where} ({accounts_text}) in {labels} "
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


# -- ECR204 lambda-pull-without-source-condition -----------------------------------------------------


def _is_lambda(principal: Principal) -> bool:
    return principal.kind == SERVICE and principal.service_name() == "lambda"


def check_lambda_pull_without_source_condition(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR204: lambda.amazonaws.com may pull without an aws:SourceArn or aws:SourceAccount condition."""
    reporter = Reporter()
    for source in resource_policies(model, REPOSITORY, TEMPLATE):
        analysis = analysis_of(source.document)
        _undecided_document(reporter, source, analysis)
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
            what, service, text = source.what, principal.text, _actions_text(pulls, view)
            reporter.fire(
                source.obj,
                view,
                ("lambda", principal.text),
                lambda label, what=what, service=service, text=text: (
                    f"{_cap(what)}: {label} lets {service} pull ({text}) without an aws:SourceArn or "
                    "aws:SourceAccount condition, so Lambda functions of any account can use these images"
                ),
                pointer,
            )
    yield from reporter.results()


# -- ECR205 public-repository-internal-image ---------------------------------------------------------


def _marker_pattern(markers: Iterable[str]) -> re.Pattern[str] | None:
    words = [re.escape(m.strip()) for m in markers if m and m.strip()]
    if not words:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")s?(?![A-Za-z0-9])", re.IGNORECASE)


def _split_words(text: str) -> str:
    """`corpTools` -> `corp Tools`, so camel case counts as separate words."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)


def _tag_values(tags: Value | None) -> list[tuple[str, str, Value]]:
    """(label, pointer, value) for every tag key and value, from a map (Terraform) or a Key/Value list."""
    if tags is None:
        return []
    found: list[tuple[str, str, Value]] = []
    if tags.is_map:
        for key, value in tags.items():
            found.append((f"tag key {key}", f"tags.{key}", Value(key, value.span)))
            found.append((f"tag {key}", f"tags.{key}", value))
    elif tags.is_list:
        for index, item in enumerate(tags.elements()):
            key = item.get_ci("Key")
            value = item.get_ci("Value")
            name = str(key.data) if key is not None and key.is_known else str(index)
            if key is not None:
                found.append((f"tag key {name}", f"Tags[{index}]", key))
            if value is not None:
                found.append((f"tag {name}", f"Tags[{index}]", value))
    else:
        found.append(("tags", "tags", tags))
    return found


def _outcomes(value: Value) -> list[tuple[str | None, Value]]:
    """The value, or each option of a conditional value with its branch."""
    if value.is_branches:
        return [(b.condition, b.value) for b in value.data.options if b.value.data is not None]
    return [(None, value)]


_PUBLIC_PUSH = re.compile(
    r"\bpush\b[^\n]*?public\.ecr\.aws/[a-z0-9._-]+/([a-z0-9._/-]+?)(?=[:@\s\"']|$)", re.IGNORECASE | re.MULTILINE
)
_PRIVATE_URI = re.compile(r"[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com", re.IGNORECASE)


def _pushers(model: Model) -> dict[str, list[str]]:
    """Public repository names pushed to by a build that also uses private repositories -> build addresses."""
    found: dict[str, list[str]] = {}
    for project in model.of(CodeBuildProject):
        texts = []
        for value in (project.buildspec, project.image):
            if value is not None:
                text, _ = scalar_text(value)
                if text:
                    texts.append(text)
        joined = "\n".join(texts)
        if not _PRIVATE_URI.search(joined):
            continue
        for m in _PUBLIC_PUSH.finditer(joined):
            found.setdefault(m.group(1).lower(), []).append(project.address)
    return found


def check_public_repository_internal_image(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR205: an ECR Public repository whose name, catalog text or tags look internal."""
    pattern = _marker_pattern(ctx.options.internal_markers)
    pushers = _pushers(model)
    for repo in model.of(PublicRepository):
        fields: list[tuple[str, str, Value | None]] = [
            ("name", "repository_name", repo.name),
            ("description", "catalog_data.description", repo.description),
            ("about text", "catalog_data.about_text", repo.about_text),
            ("usage text", "catalog_data.usage_text", repo.usage_text),
        ]
        fields.extend(_tag_values(repo.tags))
        for label, pointer, field_value in fields:
            if field_value is None or pattern is None:
                continue
            for branch, value in _outcomes(field_value):
                when = f" (when {branch})" if branch else ""
                text, exact = scalar_text(value)
                if text is None:
                    if value.is_unknown or value.is_branches:
                        reason = value.unknown_reason()
                        yield undecided(repo, f"{label} of public repository is undecided{when}: {reason}", value)
                    continue
                hits = sorted({m.group(1).lower() for m in pattern.finditer(_split_words(text))})
                if hits:
                    shown = text if len(text) <= 60 else text[:57] + "..."
                    yield match(
                        repo,
                        f"ECR Public repository {repo.display_name()} is readable by anyone, yet its {label} "
                        f'"{shown}" contains internal marker(s) {", ".join(hits)}{when}',
                        value,
                        pointer=pointer,
                    )
                elif not exact:
                    yield undecided(repo, f"{label} of public repository is only partly known{when}: {text}", value)
        name, exact = scalar_text(repo.name) if repo.name is not None else (None, False)
        if name and exact and name.lower() in pushers:
            builds = ", ".join(sorted(set(pushers[name.lower()])))
            yield match(
                repo,
                f"ECR Public repository {name} receives pushes from {builds}, which also uses private ECR "
                "repositories: images built for internal use may end up public",
                repo.name,
                pointer="repository_name",
            )


# -- ECR206 identity-policy-ecr-wildcard ---------------------------------------------------------------

_WILDCARD_MANAGED = {"AmazonEC2ContainerRegistryFullAccess", "AmazonEC2ContainerRegistryPowerUser"}


def _names_policy(value: Value, policy: IamPolicy) -> bool:
    """`value` (an ARN or a reference) is `policy`: by reference, or by ARN ending in its known name."""
    if value.ref is not None and (value.ref == policy.address or value.ref.startswith(policy.address + ".")):
        return True
    text, exact = scalar_text(value)
    name = policy.name.data if policy.name is not None and policy.name.is_known else None
    return bool(exact and text and isinstance(name, str) and text.endswith(":policy/" + name))


def _boundary_only(policy: IamPolicy, roles: list[IamRole], attachments: list[IamPolicyAttachment]) -> bool:
    """The policy is some role's permissions boundary and attached to nothing: a boundary only limits
    what other policies grant, so its `ecr:*` grants nothing by itself."""
    if policy.attached_to is not None:
        return False
    mine = [r for r in roles if unit_of(r) == unit_of(policy)]
    if not any(r.permissions_boundary is not None and _names_policy(r.permissions_boundary, policy) for r in mine):
        return False
    for role in roles:
        arns = role.managed_policy_arns
        if arns is not None and any(
            _names_policy(e, policy) or e.ref is None and not e.is_known for e in arns.elements()
        ):
            return False  # attached too, or an attachment that cannot be read may be this policy
    # An attachment to a role outside the analysed set still attaches it.
    return not any(a.policy_arn is not None and _names_policy(a.policy_arn, policy) for a in attachments)


def _identity_documents(model: Model) -> list[tuple[ModelObject, PolicyDocument, str, str]]:
    """(object, document, what, pointer prefix) for every identity policy, each document once."""
    found: list[tuple[ModelObject, PolicyDocument, str, str]] = []
    seen: set[int] = set()
    roles, attachments = model.of(IamRole), model.of(IamPolicyAttachment)
    for policy in model.of(IamPolicy):
        if policy.document is not None and _boundary_only(policy, roles, attachments):
            continue
        if policy.document is not None and id(policy.document) not in seen:
            seen.add(id(policy.document))
            found.append((policy, policy.document, "identity policy", ""))
    for role in model.of(IamRole):
        for index, document in enumerate(role.inline_policies):
            if document is not None and id(document) not in seen:
                seen.add(id(document))
                found.append((role, document, f"inline policy #{index + 1} of role", f"inline_policies[{index}]."))
    return found


def _resource_tag_scoped(view: StatementView) -> bool | None:
    for test in view.conditions.tests:
        key = test.key_lower
        if test.positive and (key.startswith("aws:resourcetag/") or key.startswith("ecr:resourcetag/")):
            if not test.if_exists:
                return True
    return None if view.conditions.unknown else False


def _scopable(actions: Iterable[str]) -> frozenset[str]:
    """Actions that support resource-level permissions: scoping them to repositories was possible."""
    return frozenset(a for a in actions if (info := act.action_info(a)) is not None and info.supports_resources)


def check_identity_policy_ecr_wildcard(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR206: an identity policy allows `ecr:*` or ECR write actions on `Resource: "*"`."""
    reporter = Reporter()
    every_ecr = act.all_actions(act.PRIVATE)
    every_public = act.all_actions(act.PUBLIC)
    for obj, document, what, prefix in _identity_documents(model):
        analysis = analysis_of(document)
        reporter.saw(analysis.views)
        for reason in analysis.undecided:
            reporter.unsure(obj, f"{what} could not be read: {reason}", document.value)
        for grant in analysis.grants:
            if grant.principal is not None:
                continue
            view = grant.view
            pointer = f"{prefix}{view.pointer}"
            writes = _scopable(act.write_actions(grant.actions))
            full = [
                ns for ns, every in (("ecr:*", every_ecr), ("ecr-public:*", every_public)) if every <= grant.actions
            ]
            maybe = _scopable(act.write_actions(grant.maybe))
            if not writes and not full and not maybe:
                continue
            anywhere = view.resources.every_repository()
            scoped = _resource_tag_scoped(view)
            if anywhere is False or scoped is True:
                continue
            if anywhere is None or scoped is None:
                reporter.unsure(
                    obj,
                    f"{view.label()} allows ECR write actions; its resources or conditions are undecided",
                    view.value,
                    pointer,
                )
                continue
            if not writes and not full:
                reporter.unsure(obj, f"{view.label()} may allow {act.summarize(maybe)} on all resources", view.value)
                continue
            wildcard = view.resources.wildcard_value()
            if view.resources.negated:
                resource_text = f"every resource but {view.resources.describe()}"
            else:
                resource_text = f'Resource "{scalar_text(wildcard)[0] if wildcard is not None else "*"}"'

            if full:
                granted = " and ".join(full) + " (every ECR action)"
                via = view.actions.via(frozenset().union(*(every_ecr if f == "ecr:*" else every_public for f in full)))
                if via and via.strip('"') not in full:
                    granted += f" via {via}"
            else:
                granted = _actions_text(writes, view)
            owner_name = obj.address
            reporter.fire(
                obj,
                view,
                ("identity",),
                lambda label, what=what, owner_name=owner_name, granted=granted, resource_text=resource_text: (
                    f"{_cap(what)} {owner_name}: {label} allows {granted} on {resource_text}; "
                    "scope it to the repositories the identity needs"
                ),
                pointer,
            )
    for role in model.of(IamRole):
        if role.managed_policy_arns is None:
            continue
        for index, element in enumerate(role.managed_policy_arns.elements()):
            text, exact = scalar_text(element)
            known = managed_policy(text) if exact and text else None
            if known is not None and known.name in _WILDCARD_MANAGED:
                granted = "ecr:*" if known.name.endswith("FullAccess") else "ECR push actions"
                yield match(
                    role,
                    f"Role {role.display_name()} attaches AWS managed policy {known.name}, which allows {granted} "
                    'on Resource "*"; a policy scoped to the repositories the role needs is narrower',
                    element,
                    pointer=f"managed_policy_arns[{index}]",
                )
    yield from reporter.results()


# -- ECR207 overbroad-registry-policy ------------------------------------------------------------------


def check_overbroad_registry_policy(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR207: a registry policy grants replication, repository creation or upstream import to anyone."""
    reporter = Reporter()
    for source in resource_policies(model, REGISTRY):
        analysis = analysis_of(source.document)
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
                        f"{view.label()}: {_unresolved(principal)}",
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
            desc, text = principal.describe(), _actions_text(sure, view)
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


# -- ECR208 cross-account-pull-via-role ----------------------------------------------------------------


def _allows_assume(view: StatementView) -> bool | None:
    if view.actions.negated:
        return None
    if any(act.matches(p, "sts:AssumeRole") for p in view.actions.patterns if not p.startswith("${")):
        return True
    return None if view.actions.unknown else False


def _role_purpose(role: IamRole, model: Model) -> tuple[str, frozenset[str], str]:
    """("pull", reads, "") when the role's permissions are ECR reads only; ("other"|"unknown", ..., reason)."""
    policies = role_policies(role, model)
    reads: set[str] = set()
    for _, managed in policies.managed:
        if managed.name not in PULL_POLICIES:
            return "other", frozenset(), ""
        reads |= act.read_actions(analyze_policy(managed.document).grants[0].actions)
    unknown = [u for u in policies.unknown if "may hold more" not in u]
    if unknown:
        return "unknown", frozenset(), "; ".join(unknown)
    for _, document in policies.documents:
        analysis = analysis_of(document)
        if analysis.undecided:
            return "unknown", frozenset(), "; ".join(analysis.undecided)
        for view in analysis.views:
            if view.effect != ALLOW:
                continue
            if view.actions.unknown or view.problems:
                return "unknown", frozenset(), "; ".join(view.problems or view.actions.unknown)
            others = [p for p in view.actions.patterns if act.may_name_other_actions(p)]
            if any(p.lower() != "sts:getservicebearertoken" for p in others) or view.actions.negated:
                return "other", frozenset(), ""
            if act.write_actions(view.actions.definite) or act.with_levels(view.actions.definite, [act.TAGGING]):
                return "other", frozenset(), ""
            reads |= view.actions.definite
    if not reads & (act.PULL_ACTIONS | {"ecr-public:BatchCheckLayerAvailability"}):
        return "other", frozenset(), ""
    return "pull", frozenset(reads), ""


def check_cross_account_pull_via_role(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR208: a role trusted by other accounts whose permissions are ECR read actions only."""
    reporter = Reporter()
    for role in model.of(IamRole):
        if role.assume_role_policy is None:
            continue
        trust = analysis_of(role.assume_role_policy)
        reporter.saw(trust.views)
        documents = [d for _, d in role_policies(role, model).documents]
        owner = owner_account(role, ctx.options.account_id, model=model, documents=documents)
        purpose: tuple[str, frozenset[str], str] | None = None
        if trust.undecided:
            purpose = _role_purpose(role, model)
            if purpose[0] != "other":  # a pull-only role (or one that may be) whose trust cannot be read
                reason = f"its trust policy could not be read: {trust.undecided[0]}"
                reporter.unsure(role, reason, role.assume_role_policy.value, "assume_role_policy")
        for view in trust.views:
            if view.effect != ALLOW or not view.principals:
                continue
            assume = _allows_assume(view)
            if assume is False:
                continue
            outsiders: list[Principal] = []
            unsure: list[Principal] = []
            for principal in view.principals:
                if principal.kind == EVERYONE:
                    outsiders.append(principal)
                    continue
                external = is_external(principal, owner)
                if external is True:
                    outsiders.append(principal)
                elif external is None or principal.kind == UNKNOWN:
                    unsure.append(principal)
            if not outsiders and not unsure:
                continue
            if purpose is None:
                purpose = _role_purpose(role, model)
            kind, reads, reason = purpose
            if kind == "other":
                break
            pointer = f"assume_role_policy.{view.pointer}"
            if kind == "unknown" or assume is None or not outsiders:
                why = reason or (
                    "the trusted action is undecided"
                    if assume is None
                    else "the account of " + ", ".join(p.text for p in unsure) + " is not known"
                )
                reporter.unsure(role, f"{view.label()} of the trust policy: {why}", view.value, pointer)
                continue
            who = _join([p.describe() for p in outsiders])
            where, note = _outside(owner), _owner_note(owner)
            text = act.summarize(reads)
            name = role.display_name()
            reporter.fire(
                role,
                view,
                ("trust",),
                lambda label, who=who, where=where, text=text, name=name, note=note: (
                    f"Role {name}: {label} of its trust policy lets {who}{where} assume a role whose permissions "
                    f"are only ECR reads ({text}); a repository policy granting them pull keeps the grant on the "
                    f"repository and avoids the role{note}"
                ),
                pointer,
            )
    yield from reporter.results()
