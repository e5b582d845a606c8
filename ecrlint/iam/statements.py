"""Statement analysis: the one reading of a policy every access rule works from.

`analyze_policy(document)` reads each statement once: its effect, who it is about (with
accounts), which catalog actions it covers (wildcards expanded, `NotAction` complemented), its
resources, and whether its conditions restrict the caller. It then turns the `Allow`
statements into `Grant`s, one per principal, and lets `Deny` statements take away what they
clearly cover:

- a Deny that covers the principal, the actions and the resources without conditions removes
  those actions from the grant;
- a Deny whose only conditions deny callers outside a pinned organization/account/ARN (for
  example `StringNotEquals aws:PrincipalOrgID`), or a Deny with `NotPrincipal` over an
  everyone-grant, restricts the caller of the grant for the actions it covers;
- a Deny that might cover the grant but has undecided parts moves those actions to `maybe`:
  rules report "undecided" for them, never a guess;
- a Deny with other conditions (source IP, MFA, ...) applies only sometimes and leaves the
  grant as it is.

Undecided parts of an Allow (an action or principal from an unresolved variable) likewise never
produce a finding on their own: known actions are in `actions`, the rest only in `maybe`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model.policy import PolicyDocument, Statement, parse_policy_document
from ..values import Value, when
from . import actions as act
from .arns import (
    covers_every_repository,
    deployment_as_one_value,
    policy_variables_as_wildcards,
    resource_matches,
    scalar_text,
)
from .conditions import (
    RESTRICTED,
    Conditions,
    DenyScope,
    Restriction,
    caller_restriction,
    combine,
    deny_scope,
    parse_conditions,
    pinned_accounts,
)
from .principals import EVERYONE, Principal, covers, everyone_except, principals_from
from .variants import variants

ALLOW = "Allow"
DENY = "Deny"


# -- actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSet:
    """The catalog actions a statement's `Action` or `NotAction` covers."""

    definite: frozenset[str]  # covered whatever the undecided parts turn out to be
    possible: frozenset[str]  # covered in some outcome (a superset of `definite`)
    patterns: tuple[str, ...] = ()  # as written (symbolic text for undecided elements)
    negated: bool = False  # written as NotAction
    other_services: bool = False  # may also cover actions of services other than ECR
    unknown_ecr: tuple[str, ...] = ()  # literal ecr:/ecr-public: names the catalog does not list
    unknown: tuple[str, ...] = ()  # why some element is undecided

    def via(self, actions: Iterable[str]) -> str:
        """The written patterns that cover `actions`, for messages: `"ecr:*"`, `NotAction ["ecr:Get*"]`."""
        wanted = set(actions)
        if self.negated:
            return "NotAction [" + ", ".join(f'"{p}"' for p in self.patterns) + "]"
        hits = [p for p in self.patterns if act.expand(policy_variables_as_wildcards(p)) & wanted]
        return ", ".join(f'"{p}"' for p in hits)


def action_set(statement: Statement) -> ActionSet:
    negated = statement.action is None and statement.not_action is not None
    elements = statement.not_action if negated else statement.action
    if elements is None:
        return ActionSet(frozenset(), frozenset(), unknown=("statement has neither Action nor NotAction",))
    definite: set[str] = set()
    possible: set[str] = set()
    patterns: list[str] = []
    unknown: list[str] = []
    unknown_ecr: list[str] = []
    other = negated
    for element in elements:
        text, exact = scalar_text(element)
        if exact and text is not None and isinstance(element.data, str):
            patterns.append(text)
            expanded = act.expand(text)
            definite |= expanded
            possible |= expanded
            other |= act.may_name_other_actions(text)
            if act.names_unknown_ecr_action(text):
                unknown_ecr.append(text)
            continue
        reason = element.unknown_reason() or "action is not a string"
        unknown.append(reason)
        if text is not None:
            patterns.append(text)
            possible |= act.expand(policy_variables_as_wildcards(text))
            other |= act.may_name_other_actions(policy_variables_as_wildcards(text))
        else:
            possible |= act.all_actions()
            other = True
    if negated:
        everything = act.all_actions()
        return ActionSet(
            everything - possible,
            everything - definite,
            tuple(patterns),
            True,
            True,
            tuple(unknown_ecr),
            tuple(unknown),
        )
    return ActionSet(
        frozenset(definite), frozenset(possible), tuple(patterns), False, other, tuple(unknown_ecr), tuple(unknown)
    )


# -- resources -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceSet:
    patterns: tuple[str, ...] = ()
    values: tuple[Value, ...] = ()
    present: bool = False  # the statement has a Resource or NotResource element
    negated: bool = False  # NotResource
    unknown: tuple[str, ...] = ()
    # Undecided elements as symbolic text with `${...}` read as `*` (None: no text at all): an upper bound.
    bounds: tuple[str | None, ...] = ()

    def is_any(self) -> bool | None:
        """Whether the statement applies to every resource (absent Resource counts: resource policies)."""
        if not self.present:
            return True
        if self.negated:
            return False
        if any(p == "*" for p in self.patterns):
            return True
        return None if self.unknown else False

    def every_repository(self) -> bool | None:
        """`*`, a pattern matching every repository in every account, or a `NotResource` that excludes few."""
        if not self.present:
            return True
        if self.negated:
            if any(covers_every_repository(p) for p in self.patterns):
                return False
            return None if self.unknown else True
        if any(covers_every_repository(p) for p in self.patterns):
            return True
        if not self.unknown:
            return False
        if all(b is not None and not covers_every_repository(b) for b in self.bounds):
            return False  # even read as wildcards, the undecided parts name particular repositories
        return None

    def wildcard_value(self) -> Value | None:
        for value, pattern in zip(self.values, self.patterns):
            if covers_every_repository(pattern):
                return value
        return None

    def describe(self) -> str:
        listed = ", ".join(f'"{p}"' for p in self.patterns)
        return f"NotResource [{listed}]" if self.negated else f"Resource [{listed}]"

    def matches(self, arn: str) -> bool | None:
        if not self.present:
            return True
        hit = any(resource_matches(policy_variables_as_wildcards(p), arn) for p in self.patterns)
        if self.negated:
            return None if self.unknown else not hit
        if hit:
            return True
        return None if self.unknown else False


def resource_set(statement: Statement) -> ResourceSet:
    negated = statement.resource is None and statement.not_resource is not None
    elements = statement.not_resource if negated else statement.resource
    if elements is None:
        return ResourceSet()
    patterns: list[str] = []
    values: list[Value] = []
    unknown: list[str] = []
    bounds: list[str | None] = []
    for element in elements:
        text, exact = scalar_text(element)
        if exact and text is not None:
            patterns.append(text)
            values.append(element)
        else:
            unknown.append(element.unknown_reason() or "resource is not a string")
            bounds.append(policy_variables_as_wildcards(deployment_as_one_value(text)) if text is not None else None)
    return ResourceSet(tuple(patterns), tuple(values), True, negated, tuple(unknown), tuple(bounds))


# -- statements ------------------------------------------------------------------------------


@dataclass(eq=False)
class StatementView:
    """One statement (or one outcome of its conditional parts), read once."""

    statement: Statement  # as in the document: its span and index locate findings
    concrete: Statement  # the statement with this outcome's branch values filled in
    branch: tuple[str, ...]  # the conditions of this outcome, e.g. ("condition IsProd is true",); () without branches
    branched: bool  # the statement has more than one outcome
    effect: str | None  # Allow | Deny | None when undecided
    principals: list[Principal] | None  # None: no Principal element (identity policies)
    not_principal: bool
    actions: ActionSet
    resources: ResourceSet
    conditions: Conditions
    restriction: Restriction
    problems: list[str] = field(default_factory=list)  # why parts of the statement are undecided
    origin: tuple[int, int] = (0, 0)  # (document, index): the same statement across outcomes of the document

    @property
    def index(self) -> int:
        return self.statement.index

    @property
    def value(self) -> Value:
        return self.statement.value

    @property
    def pointer(self) -> str:
        return f"Statement[{self.statement.index}]"

    def label(self) -> str:
        base = self.statement.label()
        return base + when(self.branch)


def _effect(statement: Statement) -> tuple[str | None, str | None]:
    if statement.effect is None:
        return None, "statement has no Effect"
    text, exact = scalar_text(statement.effect)
    if exact and text is not None and text.lower() in ("allow", "deny"):
        return (ALLOW if text.lower() == "allow" else DENY), None
    if exact:
        return None, f"Effect {text!r} is neither Allow nor Deny"
    return None, statement.effect.unknown_reason() or "Effect is not known"


def _reparse(value: Value) -> Statement | None:
    doc = parse_policy_document(Value({"Statement": Value([value], value.span)}, value.span))
    return doc.statements[0] if doc and doc.statements else None


def analyze_statement(statement: Statement) -> list[StatementView]:
    """A view per outcome of the statement's conditional values (one view when it has none)."""
    outcomes = variants(statement.value)
    if outcomes is None:
        view = _view(statement, statement, (), False)
        view.problems.append("statement has too many conditional branches to check each")
        view.effect = None
        return [view]
    if len(outcomes) == 1 and not outcomes[0][0]:
        return [_view(statement, statement, (), False)]
    views = []
    for label, concrete_value in outcomes:
        if concrete_value is None:
            continue  # the statement is absent in this outcome
        concrete = _reparse(concrete_value)
        if concrete is None:
            continue
        concrete.index = statement.index
        views.append(_view(statement, concrete, label, True))
    return views


def _view(statement: Statement, concrete: Statement, branch: tuple[str, ...], branched: bool) -> StatementView:
    effect, effect_problem = _effect(concrete)
    principals: list[Principal] | None = None
    not_principal = False
    if concrete.not_principal is not None:
        not_principal = True
        principals = [everyone_except(concrete.not_principal, concrete.value)]
    elif concrete.principal is not None:
        principals = principals_from(concrete.principal)
    conditions = parse_conditions(concrete.condition)
    view = StatementView(
        statement=statement,
        concrete=concrete,
        branch=branch,
        branched=branched,
        effect=effect,
        principals=principals,
        not_principal=not_principal,
        actions=action_set(concrete),
        resources=resource_set(concrete),
        conditions=conditions,
        restriction=caller_restriction(conditions),
    )
    view.problems.extend(concrete.unknown_parts)
    if effect_problem:
        view.problems.append(effect_problem)
    view.problems.extend(view.actions.unknown)
    return view


# -- grants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """What one Allow statement grants one principal, after the Deny statements."""

    view: StatementView
    principal: Principal | None  # None in identity policies: the identity the policy is attached to
    actions: frozenset[str]  # granted, whatever the undecided parts turn out to be
    maybe: frozenset[str]  # granted in some outcome, or possibly taken away by a Deny
    denied: frozenset[str]  # taken away by Deny statements that clearly cover them
    restriction: Restriction
    notes: tuple[str, ...] = ()  # why actions are in `maybe`

    @property
    def statement(self) -> Statement:
        return self.view.statement

    def all_actions(self) -> frozenset[str]:
        return self.actions | self.maybe


@dataclass(eq=False)
class PolicyAnalysis:
    document: PolicyDocument | None
    views: list[StatementView] = field(default_factory=list)
    grants: list[Grant] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)  # the document as a whole could not be read

    def allows(self) -> list[StatementView]:
        return [v for v in self.views if v.effect == ALLOW]


def _document_outcomes(doc: PolicyDocument) -> list[tuple[tuple[str, ...], PolicyDocument]] | None:
    if doc.unknown_reason is None:
        return [((), doc)]
    outcomes = variants(doc.value)
    if outcomes is None or (len(outcomes) == 1 and not outcomes[0][0]):
        return None
    result = []
    for label, value in outcomes:
        if value is None:
            continue
        parsed = parse_policy_document(value)
        if parsed is None or parsed.unknown_reason is not None:
            return None
        result.append((label, parsed))
    return result


def analyze_policy(document: PolicyDocument | None) -> PolicyAnalysis:
    """Statement views and grants of a policy document (an empty analysis for None)."""
    analysis = PolicyAnalysis(document)
    if document is None:
        return analysis
    outcomes = _document_outcomes(document)
    if outcomes is None:
        analysis.undecided.append(document.unknown_reason or "policy could not be read")
        return analysis
    for doc_branch, doc in outcomes:
        views: list[StatementView] = []
        for statement in doc.statements:
            for view in analyze_statement(statement):
                view.origin = (id(document), statement.index)
                if doc_branch:
                    view.branch = (*doc_branch, *view.branch)
                    view.branched = True
                views.append(view)
        analysis.views.extend(views)
        analysis.grants.extend(_grants(views))
    return analysis


def _principal_coverage(deny: StatementView, grantee: Principal | None) -> str:
    """yes | no | maybe | restricts (a NotPrincipal Deny leaving only a few of everyone)."""
    if deny.principals is None or grantee is None:
        return "yes" if deny.principals is None else "maybe"
    if deny.not_principal and grantee.kind == EVERYONE and not grantee.via_not_principal:
        excluded = deny.principals[0].excluded
        if excluded and all(p.reason is None for p in excluded) and not any(p.kind == EVERYONE for p in excluded):
            return "restricts"
        return "maybe"
    verdicts = [covers(p, grantee) for p in deny.principals]
    if any(v is True for v in verdicts):
        return "yes"
    if any(v is None for v in verdicts):
        return "maybe"
    return "no"


def _resource_coverage(deny: StatementView, allow: StatementView) -> str:
    """yes | no | maybe: whether the Deny's resources include all of the Allow's."""
    d, a = deny.resources, allow.resources
    if not d.present:
        return "yes"
    if d.negated:
        return "maybe" if d.unknown else "no"
    if "*" in d.patterns:
        return "yes"
    if (
        a.present
        and not a.negated
        and not a.unknown
        and a.patterns
        and all(any(dp == ap for dp in d.patterns) for ap in a.patterns)
    ):
        return "yes"
    return "maybe" if d.unknown else "no"


def _deny_restriction(deny: StatementView, scope: DenyScope, not_principal: bool) -> Restriction:
    """The restriction a Deny puts on everyone it does not refuse."""
    parts: list[str] = []
    accounts: frozenset[str] | None = None
    partial = False
    tests = scope.tests if scope.kind == "outsiders" else ()
    if tests:
        parts.append("denies callers outside " + "; ".join(t.describe() for t in tests))
        accounts, partial = pinned_accounts(tests)
    if not_principal:
        excluded = deny.principals[0].excluded if deny.principals else ()
        parts.append("denies everyone except " + ", ".join(p.text for p in excluded))
        kept = frozenset(p.account for p in excluded if p.account)
        partial = partial or any(p.account is None for p in excluded)
        accounts = kept if accounts is None else accounts & kept
    return Restriction(
        RESTRICTED,
        tuple(tests),
        accounts=accounts,
        accounts_unknown=partial,
        note=f"{deny.label()} {' and '.join(parts)}",
    )


def _grants(views: list[StatementView]) -> list[Grant]:
    denies = [v for v in views if v.effect != ALLOW]
    grants: list[Grant] = []
    for allow in views:
        if allow.effect != ALLOW:
            continue
        grantees: list[Principal | None] = list(allow.principals) if allow.principals is not None else [None]
        for grantee in grantees:
            grants.extend(_grant(allow, grantee, [d for d in denies if d is not allow]))
    return grants


def _grant(allow: StatementView, grantee: Principal | None, denies: list[StatementView]) -> list[Grant]:
    sure = set(allow.actions.definite)
    maybe = set(allow.actions.possible - allow.actions.definite)
    denied: set[str] = set()
    restricted_by: dict[str, list[Restriction]] = {}  # action -> the Deny restrictions that cover it
    notes: list[str] = list(allow.actions.unknown)
    for deny in denies:
        pc = _principal_coverage(deny, grantee)
        rc = _resource_coverage(deny, allow)
        if pc == "no" or rc == "no":
            continue
        scope = deny_scope(deny.conditions)
        if scope.kind == "conditional" and deny.effect == DENY:
            continue  # the deny applies only sometimes: the grant still holds otherwise
        in_play = sure | maybe
        a_def = deny.actions.definite & in_play
        a_pos = deny.actions.possible & in_play
        if not a_pos:
            continue
        decided = deny.effect == DENY and not deny.branched and pc in ("yes", "restricts") and rc == "yes"
        if decided and scope.kind == "always" and pc == "yes":
            sure -= a_def
            maybe -= a_def
            denied |= a_def
        elif decided and (scope.kind == "outsiders" or pc == "restricts") and scope.kind != "unknown":
            restriction = _deny_restriction(deny, scope, pc == "restricts")
            for action in a_def:
                restricted_by.setdefault(action, []).append(restriction)
        else:
            a_def = frozenset()
            notes.append(f"{deny.label()} may deny some of these actions but could not be fully read")
        uncertain = (a_pos - a_def) & sure
        if uncertain:
            sure -= uncertain
            maybe |= uncertain
            if a_def:
                notes.append(f"{deny.label()} may deny {act.summarize(uncertain)}")
    # Actions restricted by the same Denies share one grant; the rest keep the statement's own restriction.
    groups: dict[tuple[int, ...], set[str]] = {}
    for action in sure | maybe:
        key = tuple(id(r) for r in restricted_by.get(action, ()))
        groups.setdefault(key, set()).add(action)
    result: list[Grant] = []
    for key, actions in sorted(groups.items(), key=lambda item: len(item[0])):
        restriction = allow.restriction
        if key:
            for extra in restricted_by[next(iter(actions))]:
                restriction = combine(restriction, extra) if restriction.restricted else extra
        result.append(
            Grant(
                allow,
                grantee,
                frozenset(actions & sure),
                frozenset(actions & maybe),
                frozenset(denied) if not key else frozenset(),
                restriction,
                tuple(notes),
            )
        )
    if not result:
        result.append(
            Grant(allow, grantee, frozenset(), frozenset(), frozenset(denied), allow.restriction, tuple(notes))
        )
    return result


# -- questions other rules ask ---------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """The answer to "does this allow X": True, False, or None (undecided) with the reasons."""

    allowed: bool | None
    statements: tuple[StatementView, ...] = ()  # the Allow statements that grant it
    reasons: tuple[str, ...] = ()  # why undecided, or which Deny took it away

    def __bool__(self) -> bool:  # guard against reading "undecided" as an answer
        raise TypeError("Decision is three-valued: test .allowed is True / False / None")


def identity_allows(
    documents: Iterable[PolicyDocument | None],
    action: str,
    resource: str | None = None,
    *,
    conditions_ok: bool = False,
) -> Decision:
    """Whether identity policies (no Principal) allow `action` on `resource` (any resource when None).

    A statement whose conditions are not empty counts as "undecided" unless `conditions_ok`:
    statically nobody knows whether a request will satisfy them. A Deny that clearly covers the
    action (no conditions, resource `*` or matching) wins over any Allow.
    """
    name = act.canonical(action)
    granting: list[StatementView] = []
    undecided: list[str] = []
    denied_by: list[str] = []
    for document in documents:
        analysis = analyze_policy(document)
        undecided.extend(analysis.undecided)
        for view in analysis.views:
            if name not in view.actions.possible:
                continue
            definite = name in view.actions.definite and not view.branched
            on_resource = True if resource is None else view.resources.matches(resource)
            if resource is None and view.resources.present and view.resources.unknown and not view.resources.patterns:
                on_resource = None
            if on_resource is False:
                continue
            unconditional = view.conditions.empty
            if view.effect == DENY:
                if definite and on_resource is True and unconditional:
                    denied_by.append(f"{view.label()} denies {name}")
                else:
                    undecided.append(f"{view.label()} may deny {name}")
            elif view.effect == ALLOW:
                if definite and on_resource is True and (unconditional or conditions_ok) and not view.problems:
                    granting.append(view)
                elif definite and on_resource is True and not unconditional:
                    undecided.append(f"{view.label()} allows {name} only under its conditions")
                else:
                    undecided.append(f"{view.label()} may allow {name}: {'; '.join(view.problems) or 'undecided'}")
            else:
                undecided.append(f"{view.label()} may allow or deny {name}: effect undecided")
    if denied_by:
        return Decision(False, (), tuple(denied_by))
    if granting and not any("may deny" in r for r in undecided):
        return Decision(True, tuple(granting))
    if granting or undecided:
        return Decision(None, tuple(granting), tuple(undecided))
    return Decision(False)


def grants_of(documents: Iterable[PolicyDocument | None]) -> list[Grant]:
    result: list[Grant] = []
    for document in documents:
        result.extend(analyze_policy(document).grants)
    return result


__all__ = [
    "ALLOW",
    "DENY",
    "ActionSet",
    "Decision",
    "Grant",
    "PolicyAnalysis",
    "ResourceSet",
    "StatementView",
    "action_set",
    "analyze_policy",
    "analyze_statement",
    "grants_of",
    "identity_allows",
    "resource_set",
]
