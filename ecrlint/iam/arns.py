"""ARN text: splitting, account ids, wildcard matching, and placeholders of values not yet known.

A value that could not be resolved may still carry symbolic text such as
`arn:aws:iam::${var.partner}:root`; `${...}` marks the undecided parts. Inside a literal IAM
policy string, `${aws:username}`-style policy variables mean "filled in per request".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..values import Unknown, Value

_ACCOUNT = re.compile(r"^[0-9]{12}$")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
# placeholders that always stand for one concrete account: the deploying account (CloudFormation's
# pseudo parameter; Terraform's `data.aws_caller_identity` as its front end writes it)
_OWN_ACCOUNT_PLACEHOLDER = re.compile(
    r"^\$\{\s*(AWS::AccountId|account_id|data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id)\s*\}$",
    re.IGNORECASE,
)

# placeholders that stand for one value of the deployment each: its account, Region or partition
_DEPLOYMENT_PLACEHOLDER = re.compile(
    r"\$\{\s*(AWS::AccountId|AWS::Region|AWS::Partition|account_id|data\.aws_caller_identity\.[A-Za-z0-9_-]+\.account_id"
    r"|data\.aws_region\.[A-Za-z0-9_-]+\.(?:name|region)|data\.aws_partition\.[A-Za-z0-9_-]+\.partition)\s*\}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.resource}"


def parse_arn(text: str) -> Arn | None:
    """Split an ARN into its fields; `${...}` placeholders (which may hold `:`) stay whole."""
    placeholders: list[str] = []
    if "${" in text:

        def mask(m: re.Match[str]) -> str:
            placeholders.append(m.group())
            return f"\x00{len(placeholders) - 1}\x00"

        text = _PLACEHOLDER.sub(mask, text)
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return None
    if placeholders:
        parts = [re.sub("\x00([0-9]+)\x00", lambda m: placeholders[int(m.group(1))], p) for p in parts]
    return Arn(*parts[1:])


def is_account_id(text: str) -> bool:
    return bool(_ACCOUNT.match(text))


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


def has_placeholder(text: str) -> bool:
    return "${" in text


def is_own_account_placeholder(text: str) -> bool:
    """`${AWS::AccountId}`, `${account_id}` or `${data.aws_caller_identity.x.account_id}`: the deploying account."""
    return bool(_OWN_ACCOUNT_PLACEHOLDER.match(text.strip()))


def deployment_as_one_value(text: str) -> str:
    """The deploying account, Region and partition placeholders as one fixed value each, not `*`: an
    ARN built from them names that one account and Region, whatever they turn out to be."""
    return _DEPLOYMENT_PLACEHOLDER.sub("this-deployment", text)


def policy_variables_as_wildcards(text: str) -> str:
    """IAM policy variables (`${aws:username}`) take any value per request: read them as `*`."""
    return _PLACEHOLDER.sub("*", text)


def scalar_text(value: Value) -> tuple[str | None, bool]:
    """The text of a scalar value and whether it is fully known.

    Known strings (and numbers, as YAML writes account ids) give `(text, True)`; an undecided value
    with symbolic text gives `(symbolic, False)`; anything else `(None, False)`.
    """
    data = value.data
    if isinstance(data, bool):
        return ("true" if data else "false"), True
    if isinstance(data, str):
        return data, True
    if isinstance(data, int):
        return str(data), True
    if isinstance(data, Unknown) and data.symbolic is not None:
        return data.symbolic, False
    return None, False


@lru_cache(maxsize=2048)
def _glob(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
    return re.compile("".join(out), re.DOTALL | (0 if case_sensitive else re.IGNORECASE))


def glob_match(pattern: str, text: str, case_sensitive: bool = True) -> bool:
    return _glob(pattern, case_sensitive).fullmatch(text) is not None


def resource_matches(pattern: str, arn: str) -> bool:
    """IAM `Resource` matching: `*` alone matches anything; otherwise segment by segment, case-sensitively."""
    if pattern == "*":
        return True
    p, a = parse_arn(pattern), parse_arn(arn)
    if p is None or a is None:
        return glob_match(pattern, arn)
    return (
        glob_match(p.partition, a.partition)
        and glob_match(p.service, a.service)
        and glob_match(p.region, a.region)
        and glob_match(p.account, a.account)
        and glob_match(p.resource, a.resource)
    )


# ARNs of repositories in two unrelated accounts and Regions: a pattern matching both covers every repository.
_PROBES = (
    "arn:aws:ecr:us-east-1:111111111111:repository/probe-a",
    "arn:aws:ecr:eu-west-3:222222222222:repository/team/probe-b",
)
_PUBLIC_PROBES = (
    "arn:aws:ecr-public::111111111111:repository/probe-a",
    "arn:aws:ecr-public::222222222222:repository/team/probe-b",
)


def covers_every_repository(pattern: str) -> bool:
    """Whether a `Resource` pattern is `*` or an ECR pattern no narrower than every repository anywhere."""
    text = policy_variables_as_wildcards(pattern)
    return all(resource_matches(text, p) for p in _PROBES) or all(resource_matches(text, p) for p in _PUBLIC_PROBES)


def account_of(text: str) -> str | None:
    """The 12-digit account an ARN (or a bare account id) names, when it names exactly one."""
    if is_account_id(text):
        return text
    arn = parse_arn(text)
    if arn is not None and is_account_id(arn.account):
        return arn.account
    return None
