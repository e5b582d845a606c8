"""ECR201: unit tests of the check."""

from __future__ import annotations

from ecrlint.model.objects import Repository
from ecrlint.values import known, unknown
from tests.iam.helpers import (
    SPAN,
    document,
    public_repository_policy,
    registry_policy,
    repository_policy,
    run,
    statements,
)
from tests.rules import rule_check

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def _branched_policy(first, second):
    from ecrlint.model.objects import RepositoryPolicy
    from ecrlint.model.policy import parse_policy_document
    from ecrlint.values import Branch, Branches, Value

    principal = Value(
        Branches(
            (
                Branch("condition IsProd is true", known(first, SPAN)),
                Branch("condition IsProd is false", known(second, SPAN)),
            )
        ),
        SPAN,
    )
    statement = known(
        {
            "Effect": known("Allow", SPAN),
            "Principal": known({"AWS": principal}, SPAN),
            "Action": known("ecr:BatchGetImage", SPAN),
        },
        SPAN,
    )
    doc = parse_policy_document(known({"Statement": known([statement], SPAN)}, SPAN))
    return RepositoryPolicy(address="aws_ecr_repository_policy.p", span=SPAN, source_format="terraform", document=doc)


def test_ecr201_wildcard_principal():
    policy = repository_policy(statements({"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": PULL}))
    (m,), _ = run(rule_check("ECR201"), policy)
    assert m.pointer == "Statement[0]"
    assert 'statement "Public"' in m.message and 'everyone ("*")' in m.message
    assert "ecr:BatchGetImage" in m.message
    assert m.span == policy.document.statements[0].span
    assert m.address == "aws_ecr_repository_policy.p"


def test_ecr201_aws_star_and_not_principal():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "ecr:*"},
            {"Effect": "Allow", "NotPrincipal": {"AWS": "111122223333"}, "Action": PULL},
        )
    )
    matches, _ = run(rule_check("ECR201"), policy)
    assert [m.pointer for m in matches] == ["Statement[0]", "Statement[1]"]
    assert 'via "ecr:*"' in matches[0].message
    assert "NotPrincipal" in matches[1].message


def test_ecr201_quiet_when_restricted():
    for condition in (
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        {"StringEquals": {"aws:SourceAccount": "111122223333"}},
        {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}},
    ):
        policy = repository_policy(
            statements({"Effect": "Allow", "Principal": "*", "Action": PULL, "Condition": condition})
        )
        assert run(rule_check("ECR201"), policy) == ([], [])


def test_ecr201_quiet_for_deny_and_named_principals():
    policy = repository_policy(
        statements(
            {"Effect": "Deny", "Principal": "*", "Action": "ecr:*"},
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "ecr:*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        )
    )
    assert run(rule_check("ECR201"), policy) == ([], [])


def test_ecr201_undecided_principal_and_condition():
    doc_policy = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "x"}, "Action": PULL}))
    doc_policy.document.statements[0].principal["AWS"][0] = unknown("module output", SPAN, symbolic="${var.who}")
    matches, unsure = run(rule_check("ECR201"), doc_policy)
    assert not matches and "might be everyone" in unsure[0].reason
    cond_policy = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": PULL,
                "Condition": {"StringLike": {"aws:PrincipalOrgID": "x"}},
            }
        )
    )
    cond_policy.document.statements[0].condition.data["StringLike"].data["aws:PrincipalOrgID"] = unknown(
        "variable", SPAN, symbolic="${var.org}"
    )
    matches, unsure = run(rule_check("ECR201"), cond_policy)
    assert not matches and unsure


def test_ecr201_registry_and_public_repository():
    registry = registry_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage", "Resource": "*"})
    )
    assert len(run(rule_check("ECR201"), registry)[0]) == 1
    public_pull = public_repository_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": ["ecr-public:BatchCheckLayerAvailability"]})
    )
    assert run(rule_check("ECR201"), public_pull) == ([], [])
    public_push = public_repository_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": "ecr-public:PutImage"})
    )
    (m,), _ = run(rule_check("ECR201"), public_push)
    assert "ecr-public:PutImage" in m.message


def test_ecr201_inline_repository_policy_pointer():
    repo = Repository(
        address="Resources.Repo",
        span=SPAN,
        source_format="cloudformation",
        inline_policy=document(statements({"Effect": "Allow", "Principal": "*", "Action": PULL})),
    )
    (m,), _ = run(rule_check("ECR201"), repo)
    assert m.pointer == "repository_policy.Statement[0]"


def test_deny_not_principal_pins_accounts_for_ecr202():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": "*", "Action": "ecr:PutImage"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "ecr:*"},
        )
    )
    assert run(rule_check("ECR202"), policy, account="111122223333") == ([], [])
    assert run(rule_check("ECR201"), policy, account="111122223333") == ([], [])


def test_finding_in_one_branch_names_it():
    (m,), _ = run(rule_check("ECR201"), _branched_policy("111122223333", "*"))
    assert "(when condition IsProd is false)" in m.message
    assert m.pointer == "Statement[0]"


def test_finding_in_every_branch_is_reported_once():
    (m,), _ = run(rule_check("ECR201"), _branched_policy("*", "*"))
    assert "when" not in m.message


def test_document_level_branch_is_named():
    from ecrlint.model.objects import RepositoryPolicy
    from ecrlint.model.policy import parse_policy_document
    from ecrlint.values import Branch, Branches, Value

    def doc(principal):
        statement = known(
            {
                "Effect": known("Allow", SPAN),
                "Principal": known(principal, SPAN),
                "Action": known("ecr:BatchGetImage", SPAN),
            },
            SPAN,
        )
        return known({"Statement": known([statement], SPAN)}, SPAN)

    value = Value(
        Branches(
            (
                Branch("condition Open is true", doc("*")),
                Branch("condition Open is false", doc({"AWS": known("1", SPAN)})),
            )
        ),
        SPAN,
    )
    policy = RepositoryPolicy(
        address="p", span=SPAN, source_format="cloudformation", document=parse_policy_document(value)
    )
    (m,), _ = run(rule_check("ECR201"), policy)
    assert "(when condition Open is true)" in m.message
