"""Properties of the policy engine that must hold for any policy, checked with Hypothesis."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.iam import actions as act
from ecrlint.iam.statements import analyze_policy
from ecrlint.model import Model

from ..rules import rule_check
from .helpers import ctx, document, identity_policy, registry_policy, repository_policy

OWNER = "111122223333"
PRINCIPALS = [
    "*",
    {"AWS": "*"},
    {"AWS": OWNER},
    {"AWS": "arn:aws:iam::444455556666:root"},
    {"AWS": "arn:aws:iam::555566667777:role/ci"},
    {"AWS": ["777788889999", "888899990000", "arn:aws:iam::999900001111:root"]},
    {"AWS": "arn:aws:iam::*:root"},
    {"Service": "lambda.amazonaws.com"},
    {"Service": "lambda.amazonaws.com"},
    {"Service": "codebuild.amazonaws.com"},
]
PATTERNS = [
    "ecr:*",
    "ecr:Put*",
    "ecr:*Image*",
    "ecr:Get*",
    "ecr:Batch*",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:PutImage",
    "ecr:SetRepositoryPolicy",
    "ecr:ReplicateImage",
    "ecr:CreateRepository",
    "ecr:DescribeImages",
    "ecr-public:*",
    "ecr-public:PutImage",
    "*",
    "s3:GetObject",
]
CONDITIONS = [
    None,
    {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
    {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
    {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:us-east-1:444455556666:function:*"}},
    {"StringEqualsIfExists": {"aws:SourceAccount": "444455556666"}},
    {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
]
RESTRICTING = [
    ("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
    ("StringEquals", "aws:SourceAccount", "444455556666"),
    ("StringEquals", "aws:PrincipalAccount", OWNER),
    ("StringEquals", "aws:PrincipalAccount", "444455556666"),
    ("ArnLike", "aws:SourceArn", "arn:aws:lambda:us-east-1:444455556666:function:*"),
    ("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::444455556666:role/ci"),
    ("ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/*"),
]


@st.composite
def statement(draw, with_principal: bool = True):
    st_: dict = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Allow", "Deny"]))}
    if with_principal:
        key = draw(st.sampled_from(["Principal", "Principal", "Principal", "NotPrincipal"]))
        principal = draw(st.sampled_from(PRINCIPALS))
        if key == "NotPrincipal" and principal in ("*", {"AWS": "*"}):
            principal = {"AWS": OWNER}
        st_[key] = principal
    actions = draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=3, unique=True))
    st_["NotAction" if draw(st.integers(0, 7)) == 0 else "Action"] = actions
    if not with_principal or draw(st.booleans()):
        st_["Resource"] = draw(st.sampled_from(["*", "arn:aws:ecr:us-east-1:111122223333:repository/app"]))
    condition = draw(st.sampled_from(CONDITIONS)) if draw(st.booleans()) else None
    if condition:
        st_["Condition"] = condition
    if draw(st.booleans()):
        st_["Sid"] = f"S{draw(st.integers(0, 99))}"
    return st_


@st.composite
def policy_object(draw):
    kind = draw(st.sampled_from(["repository", "registry", "identity"]))
    items = draw(st.lists(statement(with_principal=kind != "identity"), min_size=1, max_size=4))
    return kind, {"Version": "2012-10-17", "Statement": items}


def build(kind: str, policy: dict):
    return {"repository": repository_policy, "registry": registry_policy, "identity": identity_policy}[kind](policy)


CHECKS = {
    "ECR201": rule_check("ECR201"),
    "ECR202": rule_check("ECR202"),
    "ECR203": rule_check("ECR203"),
    "ECR204": rule_check("ECR204"),
    "ECR206": rule_check("ECR206"),
    "ECR207": rule_check("ECR207"),
}


def verdict(kind: str, policy: dict) -> dict[str, list[str]]:
    """Per rule, the pointers of its findings (sorted): what a user sees fire, without message wording."""
    from ecrlint.findings import Match

    model = Model([build(kind, policy)])
    result = {}
    for rule, check in CHECKS.items():
        result[rule] = sorted(r.pointer for r in check(model, ctx(OWNER)) if isinstance(r, Match))
    return result


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(policy_object(), st.data())
def test_restricting_condition_never_adds_a_finding(obj, data):
    kind, policy = obj
    allows = [i for i, s in enumerate(policy["Statement"]) if s["Effect"] == "Allow"]
    if not allows:
        return
    index = data.draw(st.sampled_from(allows))
    operator, key, value = data.draw(st.sampled_from(RESTRICTING))
    restricted = copy.deepcopy(policy)
    target = restricted["Statement"][index]
    target.setdefault("Condition", {}).setdefault(operator, {})[key] = value
    before, after = verdict(kind, policy), verdict(kind, restricted)
    for rule in CHECKS:
        assert len(after[rule]) <= len(before[rule]), (rule, before, after)
        if rule != "ECR203":  # a policy-level finding may move to the next statement that still qualifies
            assert set(after[rule]) <= set(before[rule]), (rule, before, after)


def _equivalents(pattern: str) -> st.SearchStrategy:
    """Patterns IAM reads as the same set of actions: other case, `?`/`*` in place of letters, the expansion."""
    options = [st.just(pattern.swapcase()), st.just(pattern.upper())]
    expanded = act.expand(pattern)
    if expanded and not act.may_name_other_actions(pattern):
        options.append(st.just(sorted(expanded)))
        if len(expanded) == 1:
            name = next(iter(expanded))

            @st.composite
            def masked(draw):
                prefix, _, rest = name.partition(":")
                chars = list(rest)
                for i in draw(st.lists(st.integers(0, len(chars) - 1), max_size=3)):
                    chars[i] = "?"
                cut = draw(st.integers(0, len(chars)))
                candidate = f"{prefix}:{''.join(chars[:cut])}*" if draw(st.booleans()) else f"{prefix}:{''.join(chars)}"
                return candidate if act.expand(candidate) == expanded else name

            options.append(masked())
    return st.one_of(options)


@SETTINGS
@given(policy_object(), st.data())
def test_equivalent_wildcards_never_change_the_verdict(obj, data):
    kind, policy = obj
    renamed = copy.deepcopy(policy)
    for st_ in renamed["Statement"]:
        key = "Action" if "Action" in st_ else "NotAction"
        new: list[str] = []
        for pattern in st_[key]:
            replacement = data.draw(_equivalents(pattern))
            new.extend(replacement if isinstance(replacement, list) else [replacement])
        st_[key] = new
    assert verdict(kind, renamed) == verdict(kind, policy)


@st.composite
def generalization(draw):
    """A catalog action and a pattern made from it by replacing characters with wildcards."""
    action = draw(st.sampled_from(sorted(act.all_actions())))
    prefix, _, name = action.partition(":")
    chars = list(name)
    for i in draw(st.lists(st.integers(0, len(chars) - 1), max_size=4)):
        chars[i] = "?"
    cut = draw(st.integers(0, len(chars)))
    tail = "*" if draw(st.booleans()) or cut < len(chars) else ""
    body = "".join(chars[:cut]) + tail
    service = prefix if draw(st.booleans()) else prefix[: draw(st.integers(0, len(prefix)))] + "*"
    pattern = f"{service}:{body}"
    if draw(st.booleans()):
        pattern = pattern.swapcase()
    return action, pattern


@settings(max_examples=300, deadline=None)
@given(generalization())
def test_wildcard_expansion_contains_its_members(pair):
    action, pattern = pair
    assert act.matches(pattern, action)
    assert action in act.expand(pattern)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=5))
def test_expansion_of_a_set_is_the_union_of_its_members(patterns):
    together = act.expand_all(patterns)
    for pattern in patterns:
        assert act.expand(pattern) <= together
        for member in act.expand(pattern):
            assert act.expand(member) <= together


@settings(max_examples=100, deadline=None)
@given(generalization())
def test_statement_with_a_wildcard_grants_at_least_its_members(pair):
    action, pattern = pair
    members = sorted(act.expand(pattern))
    wide = document({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": pattern}]})
    narrow = document({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": members or [action]}]})
    (wide_grant,) = analyze_policy(wide).grants
    (narrow_grant,) = analyze_policy(narrow).grants
    assert narrow_grant.actions <= wide_grant.actions
    assert action in wide_grant.actions
