"""`Condition` blocks: operators, keys, and whether they restrict who the caller can be.

A condition *restricts the caller* when it pins `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
`aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID` or
`aws:PrincipalArn` with a non-wildcard value under a positive operator (rule catalog, 2xx).

"Non-wildcard" is read per key: an account or organization id must not contain `*`/`?`; an org
path must name its organization; an ARN must name its account (or, for account-less ARNs such
as S3 buckets, its resource). `StringEquals` never expands wildcards, so any value under it pins.
`...IfExists` and `ForAllValues:` let callers without the key through, so they never restrict.

Keys are compared without case (`aws:sourceARN` is `aws:SourceArn`), as IAM does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..values import Value
from .arns import (
    has_placeholder,
    has_wildcard,
    is_account_id,
    is_own_account_placeholder,
    parse_arn,
    policy_variables_as_wildcards,
    scalar_text,
)

RESTRICTED = "restricted"
UNRESTRICTED = "unrestricted"
UNKNOWN = "unknown"

ACCOUNT_KEYS = frozenset({"aws:principalaccount", "aws:sourceaccount"})
ARN_KEYS = frozenset({"aws:sourcearn", "aws:principalarn"})
#: the keys that, pinned, restrict who the caller can be
CALLER_KEYS = frozenset(
    {
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:sourceaccount",
        "aws:sourcearn",
        "aws:sourceorgid",
        "aws:principalarn",
    }
)
#: the keys that tie a service principal to the resource it acts for (confused-deputy protection)
SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths"})
#: the keys that scope access to an organization
ORGANIZATION_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths"})

POSITIVE = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"})
NEGATIVE = frozenset({"stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals", "arnnotlike"})
_EXACT = frozenset({"stringequals", "stringequalsignorecase", "stringnotequals", "stringnotequalsignorecase"})

_OPERATOR = re.compile(r"^(?:(ForAnyValue|ForAllValues):)?(.+?)(IfExists)?$", re.IGNORECASE)


@dataclass(frozen=True)
class ConditionTest:
    """One `operator: {key: values}` entry."""

    operator: str  # as written
    base: str  # lower-cased operator without set prefix or IfExists: "stringequals"
    set_operator: str | None  # "foranyvalue" | "forallvalues"
    if_exists: bool
    key: str  # as written
    values: tuple[Value, ...]
    value: Value  # the key's value, for its span

    @property
    def key_lower(self) -> str:
        return self.key.lower()

    @property
    def positive(self) -> bool:
        return self.base in POSITIVE

    @property
    def negative(self) -> bool:
        return self.base in NEGATIVE

    def describe(self) -> str:
        texts = [scalar_text(v)[0] or v.text() for v in self.values]
        shown = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
        return f"{self.operator} {self.key} {shown}"


@dataclass(frozen=True)
class Conditions:
    tests: tuple[ConditionTest, ...] = ()
    unknown: tuple[str, ...] = ()  # parts of the block that could not be read

    @property
    def empty(self) -> bool:
        return not self.tests and not self.unknown

    def with_key(self, *keys: str) -> list[ConditionTest]:
        wanted = {k.lower() for k in keys}
        return [t for t in self.tests if t.key_lower in wanted]

    def keys(self) -> set[str]:
        return {t.key_lower for t in self.tests}


def split_operator(operator: str) -> tuple[str, str | None, bool]:
    m = _OPERATOR.match(operator)
    if not m:  # pragma: no cover - the pattern matches any non-empty text
        return operator.lower(), None, False
    set_op, base, if_exists = m.groups()
    return base.lower(), set_op.lower() if set_op else None, bool(if_exists)


def parse_conditions(condition: Value | None) -> Conditions:
    if condition is None:
        return Conditions()
    if not condition.is_map:
        if condition.is_known and condition.data is None:
            return Conditions()
        return Conditions(unknown=(condition.unknown_reason() or "Condition is not an object",))
    tests: list[ConditionTest] = []
    unknown: list[str] = []
    for operator, block in condition.items():
        if not block.is_map:
            unknown.append(block.unknown_reason() or f"condition {operator} is not an object")
            continue
        base, set_op, if_exists = split_operator(operator)
        for key, value in block.items():
            values: list[Value] = []
            for element in value.elements():
                if element.is_branches or (element.is_unknown and scalar_text(element)[0] is None):
                    values.append(element)
                elif element.is_list:
                    values.extend(element.elements())
                else:
                    values.append(element)
            tests.append(ConditionTest(operator, base, set_op, if_exists, key, tuple(values), value))
    return Conditions(tuple(tests), tuple(unknown))


# -- does a value pin the caller? ------------------------------------------------------------


def _pins_text(key: str, text: str, wildcards: bool) -> bool:
    if not wildcards:
        return True  # exact comparison: whatever the value, only that value passes
    text = policy_variables_as_wildcards(text)
    if key in ACCOUNT_KEYS or key in ("aws:principalorgid", "aws:sourceorgid"):
        return bool(text) and not has_wildcard(text)
    if key in ("aws:principalorgpaths", "aws:sourceorgpaths"):
        org = text.split("/", 1)[0]
        return bool(org) and not has_wildcard(org)
    if key in ARN_KEYS:
        arn = parse_arn(text)
        if arn is None:
            return False
        if arn.account:
            return not has_wildcard(arn.account)
        return bool(arn.resource) and not has_wildcard(arn.resource.split("/", 1)[0])
    return bool(text) and not has_wildcard(text)


def _pins_symbolic(key: str, text: str) -> bool | None:
    """Undecided text: pinned only when the undecided parts cannot widen it."""
    if key in ARN_KEYS:
        arn = parse_arn(text)
        if arn is None:
            return None
        if is_own_account_placeholder(arn.account):
            return True
        if has_placeholder(arn.account):
            return None
        if arn.account:
            return not has_wildcard(arn.account)
        return None
    if is_own_account_placeholder(text):
        return True
    return None


def value_pins(test: ConditionTest, value: Value) -> bool | None:
    """Whether one value of a test admits only a bounded set of callers (None: cannot tell)."""
    wildcards = test.base not in _EXACT
    text, exact = scalar_text(value)
    if exact and text is not None:
        return _pins_text(test.key_lower, text, wildcards)
    if not wildcards and (value.is_unknown or value.is_branches):
        return True  # StringEquals with an unknown value still pins to that one value
    if text is not None:
        return _pins_symbolic(test.key_lower, text)
    return None


def _all_pin(test: ConditionTest) -> bool | None:
    if not test.values:
        return False
    results = [value_pins(test, v) for v in test.values]
    if any(r is False for r in results):
        return False  # the values are ORed: one wildcard lets everyone through
    if any(r is None for r in results):
        return None
    return True


def restricts_caller(test: ConditionTest, keys: frozenset[str] = CALLER_KEYS) -> bool | None:
    """Whether a test, under an Allow, restricts who the caller can be."""
    if test.key_lower not in keys or not test.positive:
        return False
    if test.if_exists or test.set_operator == "forallvalues":
        return False  # callers without the key pass
    return _all_pin(test)


def denies_outsiders(test: ConditionTest, keys: frozenset[str] = CALLER_KEYS) -> bool | None:
    """Whether a test, under a Deny, denies every caller outside a pinned set."""
    if test.key_lower not in keys or not test.negative:
        return False
    if test.if_exists or test.set_operator == "foranyvalue":
        return False  # callers without the key are not denied
    return _all_pin(test)


@dataclass(frozen=True)
class Restriction:
    """Whether a statement's conditions restrict the caller, and how."""

    state: str  # restricted | unrestricted | unknown
    by: tuple[ConditionTest, ...] = ()  # the tests that restrict
    reasons: tuple[str, ...] = ()  # why the state is unknown
    accounts: frozenset[str] | None = None  # the explicit accounts the caller is pinned to, if any
    accounts_unknown: bool = False  # pinned to accounts some of which are not known
    note: str = ""  # how a Deny added the restriction

    @property
    def restricted(self) -> bool:
        return self.state == RESTRICTED

    @property
    def unrestricted(self) -> bool:
        return self.state == UNRESTRICTED

    def describe(self) -> str:
        if self.note:
            return self.note
        return "; ".join(t.describe() for t in self.by)


def _test_accounts(test: ConditionTest) -> tuple[frozenset[str] | None, bool]:
    """The accounts one test pins the caller to (None: it pins no account) and whether some are unknown."""
    if test.key_lower not in ACCOUNT_KEYS and test.key_lower not in ARN_KEYS:
        return None, False
    found: set[str] = set()
    unknown = False
    for v in test.values:
        text, exact = scalar_text(v)
        if test.key_lower in ARN_KEYS:
            arn = parse_arn(text) if exact and text else None
            text = arn.account if arn is not None else None
        if exact and text and is_account_id(text):
            found.add(text)
        else:
            unknown = True
    return frozenset(found), unknown


def pinned_accounts(tests: Iterable[ConditionTest]) -> tuple[frozenset[str] | None, bool]:
    """The accounts ANDed tests leave the caller in (None: no test names accounts) and whether that is partial."""
    accounts: frozenset[str] | None = None
    partial = False
    for test in tests:
        found, unknown = _test_accounts(test)
        if found is None:
            continue
        if unknown:
            partial = True  # the unknown values could add accounts to this test's set
        accounts = found if accounts is None else accounts & found
    return accounts, partial


def combine(a: Restriction, b: Restriction) -> Restriction:
    """Both restrictions hold (an Allow's own conditions and a Deny that refuses outsiders)."""
    if not a.restricted:
        return b
    if not b.restricted:
        return a
    if a.accounts is None:
        accounts = b.accounts
    elif b.accounts is None:
        accounts = a.accounts
    else:
        accounts = a.accounts & b.accounts
    note = "; ".join(n for n in (a.describe(), b.describe()) if n)
    return Restriction(RESTRICTED, a.by + b.by, (), accounts, a.accounts_unknown or b.accounts_unknown, note)


def caller_restriction(conditions: Conditions, keys: frozenset[str] = CALLER_KEYS) -> Restriction:
    """Tests are ANDed: one that pins the caller restricts, whatever else the block says."""
    pinning: list[ConditionTest] = []
    undecided: list[str] = list(conditions.unknown)
    for test in conditions.tests:
        verdict = restricts_caller(test, keys)
        if verdict is True:
            pinning.append(test)
        elif verdict is None:
            undecided.append(f"value of {test.operator} {test.key} is not known")
    if pinning:
        accounts, partial = pinned_accounts(pinning)
        return Restriction(RESTRICTED, tuple(pinning), accounts=accounts, accounts_unknown=partial)
    if undecided:
        return Restriction(UNKNOWN, reasons=tuple(undecided))
    return Restriction(UNRESTRICTED)


@dataclass(frozen=True)
class DenyScope:
    """What a Deny statement's conditions leave it to: always, only outsiders, or something else."""

    kind: str  # always | outsiders | conditional | unknown
    tests: tuple[ConditionTest, ...] = field(default=())
    reasons: tuple[str, ...] = ()


def deny_scope(conditions: Conditions) -> DenyScope:
    if conditions.empty:
        return DenyScope("always")
    if conditions.unknown:
        return DenyScope("unknown", reasons=conditions.unknown)
    verdicts = [denies_outsiders(t) for t in conditions.tests]
    if all(v is True for v in verdicts):
        return DenyScope("outsiders", conditions.tests)
    if any(v is None for v in verdicts) and all(v is not False for v in verdicts):
        return DenyScope(
            "unknown", reasons=tuple(f"value of {t.operator} {t.key} is not known" for t in conditions.tests)
        )
    return DenyScope("conditional", conditions.tests)
