"""`Principal` / `NotPrincipal`: who a statement is about, and which account each one is in.

Kinds:

- `everyone`: `"*"`, `{"AWS": "*"}`, or (from `NotPrincipal`) everyone but a few;
- `account`: an account as a whole (`111122223333` or `arn:aws:iam::111122223333:root`);
- `identity`: a role, user or session inside one account;
- `account-wildcard`: an ARN whose account is a wildcard (`arn:aws:iam::*:root`);
- `service`: an AWS service principal (`lambda.amazonaws.com`);
- `federated`, `canonical-user`: identity providers and S3 canonical users;
- `unknown`: a principal that could not be read; `reason` says why.

An AWS principal whose account field is undecided (`arn:aws:iam::${var.partner}:root`) keeps its
kind with `account=None` and a `reason`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..values import Value
from .arns import has_placeholder, has_wildcard, is_account_id, is_own_account_placeholder, parse_arn, scalar_text

EVERYONE = "everyone"
ACCOUNT = "account"
IDENTITY = "identity"
ACCOUNT_WILDCARD = "account-wildcard"
SERVICE = "service"
FEDERATED = "federated"
CANONICAL_USER = "canonical-user"
UNKNOWN = "unknown"

_TYPES = {"aws": "AWS", "service": "Service", "federated": "Federated", "canonicaluser": "CanonicalUser", "*": "*"}


@dataclass(frozen=True)
class Principal:
    type: str  # AWS | Service | Federated | CanonicalUser | * | ?
    kind: str
    text: str  # as written (symbolic text for undecided values)
    value: Value
    account: str | None = None  # 12-digit account, where one is named and known
    own_account: bool = False  # written as the deploying account (${AWS::AccountId}) though the id is unknown
    reason: str | None = None  # why the principal or its account is undecided
    excluded: tuple[Principal, ...] = field(default=())  # NotPrincipal: everyone except these
    via_not_principal: bool = False

    @property
    def is_everyone(self) -> bool:
        return self.kind == EVERYONE

    @property
    def is_decided(self) -> bool:
        return self.reason is None

    @property
    def opaque(self) -> bool:
        """Nothing of the principal is known, not even symbolic text."""
        return self.text.startswith("<unknown")

    def describe(self) -> str:
        if self.opaque:
            return "a principal that could not be resolved"
        if self.via_not_principal:
            names = ", ".join(p.text for p in self.excluded) or "nobody"
            return f"everyone except {names} (NotPrincipal)"
        if self.kind == EVERYONE:
            return 'everyone ({"AWS": "*"})' if self.type == "AWS" else 'everyone ("*")'
        if self.kind == ACCOUNT and self.account and self.text != self.account:
            return f"account {self.account} ({self.text})"
        if self.kind == ACCOUNT and self.account:
            return f"account {self.account}"
        if self.kind == ACCOUNT_WILDCARD:
            return f"any account ({self.text})"
        if self.kind == SERVICE:
            return f"service {self.text}"
        return self.text

    def service_name(self) -> str | None:
        """`lambda` for `lambda.amazonaws.com` (also symbolic `lambda.${AWS::URLSuffix}`)."""
        if self.kind != SERVICE:
            return None
        return self.text.split(".", 1)[0].lower()


def _type_name(key: str) -> str:
    return _TYPES.get(key.lower(), key)


def principal_from(type_name: str, value: Value) -> Principal:
    """Classify one principal entry of type `type_name` (`AWS`, `Service`, ...)."""
    ptype = _type_name(type_name)
    text, exact = scalar_text(value)
    if text is None:
        reason = value.unknown_reason() or "principal is not a string"
        return Principal(ptype, UNKNOWN, value.text(), value, reason=reason)
    if ptype == "*":
        if exact and text == "*":
            return Principal(ptype, EVERYONE, "*", value)
        return Principal(ptype, UNKNOWN, text, value, reason=None if exact else _reason(value))
    if ptype == "AWS":
        return _aws(text, exact, value)
    if ptype == "Service":
        if not exact and text.startswith("${"):
            return Principal(ptype, UNKNOWN, text, value, reason=_reason(value))
        return Principal(ptype, SERVICE, text, value)
    if ptype == "Federated":
        return Principal(ptype, FEDERATED, text, value, reason=None if exact else _reason(value))
    if ptype == "CanonicalUser":
        return Principal(ptype, CANONICAL_USER, text, value, reason=None if exact else _reason(value))
    reason = None if exact else _reason(value)
    return Principal(ptype, UNKNOWN, text, value, reason=reason or f"unrecognised principal type {type_name!r}")


def _reason(value: Value) -> str:
    return value.unknown_reason() or "value could not be resolved"


def _aws(text: str, exact: bool, value: Value) -> Principal:
    if exact and text == "*":
        return Principal("AWS", EVERYONE, "*", value)
    if not exact and text.strip().startswith("${") and text.strip().endswith("}") and text.count("${") == 1:
        # the whole principal is one undecided expression: it could even be "*"
        return Principal("AWS", UNKNOWN, text, value, reason=_reason(value))
    if is_account_id(text):
        return Principal("AWS", ACCOUNT, text, value, account=text)
    arn = parse_arn(text)
    if arn is None:
        if not exact and is_own_account_placeholder(text):
            return Principal("AWS", ACCOUNT, text, value, own_account=True, reason=_reason(value))
        # unique ids (AROA..., AIDA...) and anything else: the account is not written
        reason = None if exact else _reason(value)
        return Principal("AWS", UNKNOWN, text, value, reason=reason or "principal names no account")
    kind = ACCOUNT if arn.resource == "root" else IDENTITY
    account = arn.account
    if has_placeholder(account):
        if not exact and is_own_account_placeholder(account):
            return Principal("AWS", kind, text, value, own_account=True, reason=_reason(value))
        return Principal("AWS", kind, text, value, reason=f"account of {text} is not known ({_reason(value)})")
    if has_wildcard(account) or account == "":
        return Principal("AWS", ACCOUNT_WILDCARD, text, value)
    if is_account_id(account):
        return Principal("AWS", kind, text, value, account=account)
    return Principal("AWS", UNKNOWN, text, value, reason=f"{text} does not name a 12-digit account")


def principals_from(mapping: dict[str, list[Value]] | None) -> list[Principal]:
    """All principals of a normalized `Principal` mapping (type -> values)."""
    result: list[Principal] = []
    for type_name, values in (mapping or {}).items():
        if type_name == "?":
            for value in values:
                reason = value.unknown_reason() or 'Principal is neither "*" nor an object'
                result.append(Principal("?", UNKNOWN, value.text(), value, reason=reason))
            continue
        for value in values:
            if value.is_list:  # a list nested where IAM expects strings
                result.extend(principal_from(type_name, v) for v in value.elements())
            else:
                result.append(principal_from(type_name, value))
    return result


def everyone_except(mapping: dict[str, list[Value]], value: Value) -> Principal:
    """The single grantee of a `NotPrincipal`: everyone but the listed principals."""
    # Undecided exclusions do not make the grant any less public: everyone else is still in.
    excluded = tuple(principals_from(mapping))
    return Principal("NotPrincipal", EVERYONE, "NotPrincipal", value, excluded=excluded, via_not_principal=True)


def same_principal(a: Principal, b: Principal) -> bool:
    """Written the same way (ARNs compared without case in the account and type parts)."""
    return a.kind == b.kind and a.text.lower() == b.text.lower()


def covers(outer: Principal, inner: Principal) -> bool | None:
    """Whether every caller `inner` stands for is also one of `outer` (None: cannot tell).

    An account principal stands for every identity in that account, as in resource policies.
    """
    if outer.via_not_principal:
        hits = [covers(ex, inner) for ex in outer.excluded]
        if any(h is True for h in hits):
            return False  # inner is among the excluded
        if inner.kind == EVERYONE:
            return False  # only part of everyone is covered
        if any(h is None for h in hits) or any(ex.reason for ex in outer.excluded):
            return None
        return True
    if outer.kind == EVERYONE:
        return True
    if outer.reason is not None or inner.reason is not None:
        if not outer.opaque and not inner.opaque and same_principal(outer, inner):
            return True  # written the same way: whatever it resolves to, it is the same principal
        return None
    if inner.kind == EVERYONE or inner.kind == ACCOUNT_WILDCARD:
        return False
    if outer.kind == ACCOUNT_WILDCARD:
        return inner.type == "AWS" and inner.kind in (ACCOUNT, IDENTITY)
    if outer.kind == ACCOUNT:
        if inner.kind in (ACCOUNT, IDENTITY):
            return outer.account == inner.account
        return False
    if outer.kind == UNKNOWN or inner.kind == UNKNOWN:
        return None
    return same_principal(outer, inner)
