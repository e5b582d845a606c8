from ecrlint.iam import actions as act
from ecrlint.iam.statements import analyze_policy, identity_allows
from ecrlint.model.policy import parse_policy_document
from ecrlint.source import Span
from ecrlint.values import Branch, Branches, Value, known, unknown

from .helpers import document, statements

S = Span("p.json", 1, 1, 1, 1)


def grants(policy):
    return analyze_policy(document(policy)).grants


def test_allow_everyone_expands_wildcards():
    (grant,) = grants(statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:Put*"}))
    assert grant.principal.is_everyone
    assert grant.actions == act.expand("ecr:Put*")
    assert grant.restriction.unrestricted
    assert grant.view.pointer == "Statement[0]"


def test_not_action_grants_the_complement():
    (grant,) = grants(statements({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "NotAction": "ecr:Get*"}))
    assert "ecr:PutImage" in grant.actions
    assert "ecr:GetAuthorizationToken" not in grant.actions
    assert grant.view.actions.negated and grant.view.actions.other_services


def test_one_grant_per_principal():
    policy = statements(
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": ["111122223333", "arn:aws:iam::444455556666:role/x"],
                "Service": "lambda.amazonaws.com",
            },
            "Action": "ecr:BatchGetImage",
        }
    )
    assert sorted(g.principal.text for g in grants(policy)) == [
        "111122223333",
        "arn:aws:iam::444455556666:role/x",
        "lambda.amazonaws.com",
    ]


def test_unconditional_deny_subtracts():
    policy = statements(
        {"Effect": "Allow", "Principal": "*", "Action": "ecr:*"},
        {"Effect": "Deny", "Principal": "*", "Action": ["ecr:Delete*", "ecr:Set*"]},
    )
    (grant,) = grants(policy)
    assert "ecr:DeleteRepository" in grant.denied
    assert "ecr:DeleteRepository" not in grant.actions
    assert "ecr:SetRepositoryPolicy" not in grant.actions
    assert "ecr:PutImage" in grant.actions


def test_deny_on_other_principal_does_not_subtract():
    policy = statements(
        {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "ecr:*"},
        {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::999988887777:root"}, "Action": "ecr:*"},
    )
    (grant,) = grants(policy)
    assert grant.actions == act.all_actions("ecr") and not grant.denied


def test_deny_on_account_covers_its_roles():
    policy = statements(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "ecr:PutImage"},
        {"Effect": "Deny", "Principal": {"AWS": "111122223333"}, "Action": "ecr:PutImage"},
    )
    (grant,) = grants(policy)
    assert not grant.actions and grant.denied == {"ecr:PutImage"}


def test_deny_outside_org_restricts_the_caller():
    policy = statements(
        {"Sid": "Pull", "Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:PutImage"]},
        {
            "Sid": "OrgOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "ecr:BatchGetImage",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        },
    )
    by_state = {g.restriction.state: g for g in grants(policy)}
    assert by_state["restricted"].actions == {"ecr:BatchGetImage"}
    assert "OrgOnly" in by_state["restricted"].restriction.describe()
    assert by_state["unrestricted"].actions == {"ecr:PutImage"}


def test_deny_not_principal_restricts_everyone():
    policy = statements(
        {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": "111122223333"}, "Action": "ecr:*"},
    )
    (grant,) = grants(policy)
    assert grant.restriction.restricted


def test_conditional_deny_leaves_the_grant():
    policy = statements(
        {"Effect": "Allow", "Principal": "*", "Action": "ecr:BatchGetImage"},
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "ecr:*",
            "Condition": {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        },
    )
    (grant,) = grants(policy)
    assert grant.actions == {"ecr:BatchGetImage"} and grant.restriction.unrestricted


def test_deny_with_specific_resource_does_not_clearly_cover():
    policy = statements(
        {"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "*"},
        {"Effect": "Deny", "Action": "ecr:PutImage", "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/a"},
    )
    (grant,) = grants(policy)
    assert grant.actions == {"ecr:PutImage"}


def test_undecided_deny_makes_actions_maybe():
    parsed = document(
        statements(
            {"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:PutImage"]},
            {"Effect": "Deny", "Principal": "*", "Action": "ecr:PutImage"},
        )
    )
    deny = parsed.statements[1]
    deny.effect = unknown("effect from a variable", S)
    (grant,) = analyze_policy(parsed).grants
    assert grant.actions == {"ecr:BatchGetImage"}
    assert grant.maybe == {"ecr:PutImage"}
    assert grant.notes


def test_unknown_action_is_maybe_not_granted():
    parsed = document(statements({"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "x"]}))
    parsed.statements[0].action[1] = unknown("variable", S, symbolic="ecr:${var.verb}*")
    (grant,) = analyze_policy(parsed).grants
    assert grant.actions == {"ecr:BatchGetImage"}
    assert "ecr:PutImage" in grant.maybe
    assert "ecr-public:PutImage" not in grant.maybe


def test_branches_give_one_view_per_outcome():
    principal = Value(
        Branches(
            (
                Branch("condition IsProd is true", known("arn:aws:iam::111122223333:root", S)),
                Branch("condition IsProd is false", known("*", S)),
            )
        ),
        S,
    )
    statement = known(
        {
            "Effect": known("Allow", S),
            "Principal": known({"AWS": principal}, S),
            "Action": known("ecr:BatchGetImage", S),
        },
        S,
    )
    doc = parse_policy_document(known({"Statement": known([statement], S)}, S))
    analysis = analyze_policy(doc)
    assert [v.branch for v in analysis.views] == [("condition IsProd is true",), ("condition IsProd is false",)]
    everyone = [g for g in analysis.grants if g.principal.is_everyone]
    assert everyone and everyone[0].view.label() == "statement #1 (when condition IsProd is false)"


def test_document_level_branches():
    option_a = known({"Statement": known([known({"Effect": known("Allow", S), "Action": known("ecr:*", S)}, S)], S)}, S)
    doc_value = Value(
        Branches((Branch("condition A is true", option_a), Branch("condition A is false", known(None, S)))), S
    )
    doc = parse_policy_document(doc_value)
    assert doc.unknown_reason
    analysis = analyze_policy(doc)
    assert not analysis.undecided
    assert [g.view.branch for g in analysis.grants] == [("condition A is true",)]


def test_unreadable_document_is_undecided():
    doc = parse_policy_document(unknown("policy from a module output", S))
    assert analyze_policy(doc).undecided
    assert analyze_policy(None).grants == []


def test_identity_allows():
    docs = [document(statements({"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:Get*"], "Resource": "*"}))]
    assert identity_allows(docs, "ecr:BatchGetImage").allowed is True
    assert identity_allows(docs, "ecr:getdownloadurlforlayer").allowed is True
    assert identity_allows(docs, "ecr:PutImage").allowed is False
    scoped = [
        document(
            statements(
                {
                    "Effect": "Allow",
                    "Action": "ecr:PutImage",
                    "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/a/*",
                }
            )
        )
    ]
    assert identity_allows(scoped, "ecr:PutImage", "arn:aws:ecr:us-east-1:111122223333:repository/a/b").allowed is True
    assert identity_allows(scoped, "ecr:PutImage", "arn:aws:ecr:us-east-1:111122223333:repository/c").allowed is False
    assert identity_allows(scoped, "ecr:PutImage").allowed is True
    denied = docs + [document(statements({"Effect": "Deny", "Action": "ecr:BatchGetImage", "Resource": "*"}))]
    assert identity_allows(denied, "ecr:BatchGetImage").allowed is False
    conditional = [
        document(
            statements(
                {
                    "Effect": "Allow",
                    "Action": "ecr:BatchGetImage",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                }
            )
        )
    ]
    assert identity_allows(conditional, "ecr:BatchGetImage").allowed is None
    assert identity_allows(conditional, "ecr:BatchGetImage", conditions_ok=True).allowed is True


def test_two_denies_restrict_their_own_actions():
    policy = statements(
        {"Effect": "Allow", "Principal": "*", "Action": ["ecr:BatchGetImage", "ecr:PutImage", "ecr:ListImages"]},
        {
            "Sid": "PullInOrg",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "ecr:BatchGetImage",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        },
        {
            "Sid": "PushFromCi",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "ecr:PutImage",
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}},
        },
    )
    by_actions = {tuple(sorted(g.actions)): g.restriction for g in grants(policy)}
    assert by_actions[("ecr:ListImages",)].unrestricted
    assert by_actions[("ecr:BatchGetImage",)].restricted and by_actions[("ecr:BatchGetImage",)].accounts is None
    assert by_actions[("ecr:PutImage",)].accounts == {"111122223333"}


def test_decision_refuses_truthiness():
    import pytest

    decision = identity_allows([], "ecr:BatchGetImage")
    assert decision.allowed is False
    with pytest.raises(TypeError):
        bool(decision)
