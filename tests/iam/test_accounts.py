from ecrlint.iam.accounts import UNKNOWN_OWNER, Owner, external_accounts, is_external, owner_account
from ecrlint.iam.principals import principal_from
from ecrlint.model import Model
from ecrlint.model.objects import Repository
from ecrlint.source import Span
from ecrlint.values import known, unknown

from .helpers import SPAN, registry_policy, repository_policy, statements

S = Span("p.json", 1, 1, 1, 1)
PULL = statements({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:BatchGetImage"})


def test_owner_from_the_object():
    policy = repository_policy(PULL, account="111122223333")
    owner = owner_account(policy, "999999999999")
    assert owner.account == "111122223333"


def test_owner_from_the_bound_repository():
    policy = repository_policy(PULL)
    repo = Repository(
        address="aws_ecr_repository.app", span=SPAN, source_format="json", account_id=known("222233334444", S)
    )
    repo.policies.append(policy)
    owner = owner_account(policy, None, model=Model([repo, policy]))
    assert owner.account == "222233334444"


def test_owner_from_a_resource_arn():
    policy = registry_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "444455556666"},
                "Action": "ecr:ReplicateImage",
                "Resource": "arn:aws:ecr:us-west-2:333344445555:repository/*",
            }
        )
    )
    owner = owner_account(policy, "999999999999", documents=[policy.document])
    assert owner.account == "333344445555"


def test_owner_from_the_option_then_unknown():
    policy = repository_policy(PULL)
    assert owner_account(policy, "999999999999").account == "999999999999"
    assert owner_account(policy, None) == UNKNOWN_OWNER
    assert "every named account" in UNKNOWN_OWNER.describe()


def test_is_external():
    owner = Owner("111122223333", "test")
    same = principal_from("AWS", known("arn:aws:iam::111122223333:role/x", S))
    other = principal_from("AWS", known("444455556666", S))
    wildcard = principal_from("AWS", known("arn:aws:iam::*:root", S))
    partner = principal_from("AWS", unknown("?", S, symbolic="arn:aws:iam::${var.partner}:root"))
    own = principal_from("AWS", unknown("?", S, symbolic="arn:aws:iam::${AWS::AccountId}:root"))
    service = principal_from("Service", known("lambda.amazonaws.com", S))
    assert is_external(same, owner) is False
    assert is_external(other, owner) is True
    assert is_external(wildcard, owner) is True
    assert is_external(partner, owner) is None
    assert is_external(own, owner) is False
    assert is_external(service, owner) is False
    assert is_external(same, UNKNOWN_OWNER) is True  # every explicit account, when the owner is unknown
    assert external_accounts(["111122223333", "444455556666"], owner) == ["444455556666"]
