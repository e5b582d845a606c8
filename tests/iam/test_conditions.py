import pytest

from ecrlint.iam import conditions as co
from ecrlint.parse.json import parse_json_value
from ecrlint.source import Span
from ecrlint.values import Value, known, unknown

S = Span("p.json", 1, 1, 1, 1)


def cond(data) -> co.Conditions:
    return co.parse_conditions(parse_json_value(__import__("json").dumps(data), "c.json"))


def state(data) -> str:
    return co.caller_restriction(cond(data)).state


@pytest.mark.parametrize(
    "block",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"StringEquals": {"aws:principalorgid": "o-a1b2c3d4e5"}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-1111/*"}},
        {"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}},
        {"StringEquals": {"aws:SourceAccount": "111122223333"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:us-east-1:111122223333:function:*"}},
        {"StringLike": {"aws:sourceARN": "arn:aws:lambda:*:111122223333:function:*"}},
        {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}},
        {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}},
        {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci"}},
        {"StringEquals": {"aws:PrincipalOrgID": "*"}},  # exact match of "*": nobody has that org id
        {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    ],
)
def test_restricting(block):
    assert state(block) == co.RESTRICTED


@pytest.mark.parametrize(
    "block",
    [
        {},
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
        {"StringLike": {"aws:PrincipalOrgID": "o-*"}},
        {"StringLike": {"aws:PrincipalAccount": "*"}},
        {"StringLike": {"aws:PrincipalAccount": ["111122223333", "*"]}},  # values are ORed
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deployer"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:*:function:*"}},
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}},
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"Null": {"aws:PrincipalOrgID": "false"}},
        {"StringLike": {"aws:PrincipalOrgPaths": "*/r-ab12/*"}},
        {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:role/x"}},
    ],
)
def test_not_restricting(block):
    assert state(block) == co.UNRESTRICTED


def test_operator_parts():
    assert co.split_operator("ForAnyValue:StringLikeIfExists") == ("stringlike", "foranyvalue", True)
    assert co.split_operator("StringEquals") == ("stringequals", None, False)
    assert co.split_operator("forallvalues:ArnLike") == ("arnlike", "forallvalues", False)


def test_unknown_values():
    def with_value(operator: str, key: str, value: Value) -> co.Conditions:
        block = known({operator: known({key: value}, S)}, S)
        return co.parse_conditions(block)

    # exact comparison pins whatever the value turns out to be
    pinned = with_value("StringEquals", "aws:PrincipalOrgID", unknown("var", S, symbolic="${var.org}"))
    assert co.caller_restriction(pinned).state == co.RESTRICTED
    # a wildcard operator with an unknown value could be "*"
    loose = with_value("StringLike", "aws:PrincipalOrgID", unknown("var", S, symbolic="${var.org}"))
    assert co.caller_restriction(loose).state == co.UNKNOWN
    # the deploying account is one account
    own = with_value(
        "ArnLike",
        "aws:SourceArn",
        unknown("sub", S, symbolic="arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:*"),
    )
    assert co.caller_restriction(own).state == co.RESTRICTED
    other = with_value(
        "ArnLike", "aws:SourceArn", unknown("sub", S, symbolic="arn:aws:lambda:*:${var.acct}:function:*")
    )
    assert co.caller_restriction(other).state == co.UNKNOWN
    whole = co.parse_conditions(unknown("condition from a variable", S))
    assert co.caller_restriction(whole).state == co.UNKNOWN


def test_pinned_accounts():
    r = co.caller_restriction(cond({"StringEquals": {"aws:PrincipalAccount": ["111122223333", "444455556666"]}}))
    assert r.accounts == {"111122223333", "444455556666"}
    r = co.caller_restriction(cond({"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:111122223333:function:*"}}))
    assert r.accounts == {"111122223333"}
    r = co.caller_restriction(cond({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}))
    assert r.accounts is None


def test_numeric_account_ids_from_yaml():
    block = known({"StringEquals": known({"aws:SourceAccount": known(111122223333, S)}, S)}, S)
    r = co.caller_restriction(co.parse_conditions(block))
    assert r.restricted and r.accounts == {"111122223333"}


def test_deny_scope():
    assert co.deny_scope(cond({})).kind == "always"
    assert co.deny_scope(cond({"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})).kind == "outsiders"
    assert co.deny_scope(cond({"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a"}})).kind == "conditional"
    assert co.deny_scope(cond({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})).kind == "conditional"
    mixed = {"StringNotEquals": {"aws:PrincipalOrgID": "o-a"}, "Bool": {"aws:SecureTransport": "false"}}
    assert co.deny_scope(cond(mixed)).kind == "conditional"
    assert co.deny_scope(co.parse_conditions(unknown("?", S))).kind == "unknown"


def test_restricting_keys_can_be_narrowed():
    block = cond({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})
    assert co.caller_restriction(block, co.SOURCE_KEYS).state == co.UNRESTRICTED
    assert co.caller_restriction(block, co.ORGANIZATION_KEYS).state == co.RESTRICTED
