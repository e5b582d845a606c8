from ecrlint.iam.roles import role_allows, role_policies
from ecrlint.model import Model

from .helpers import identity_policy, role, statements

TRUST = statements({"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"})


def test_managed_execution_policy_allows_pull():
    r = role(TRUST, managed=["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"])
    for action in ("ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"):
        assert role_allows(r, action).allowed is True
    assert role_allows(r, "ecr:PutImage").allowed is False


def test_inline_policy_allows():
    r = role(TRUST, statements({"Effect": "Allow", "Action": "ecr:BatchGetImage", "Resource": "*"}))
    assert role_allows(r, "ecr:BatchGetImage").allowed is True
    assert role_allows(r, "ecr:GetDownloadUrlForLayer").allowed is False


def test_attached_policy_found_through_the_model():
    r = role(TRUST)
    policy = identity_policy(statements({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}))
    r.attached_policies.append(policy)
    assert role_allows(r, "ecr:PutImage", model=Model([r, policy])).allowed is True


def test_unknown_attachment_is_undecided_not_no():
    r = role(TRUST, managed=["arn:aws:iam::111122223333:policy/custom"])
    decision = role_allows(r, "ecr:BatchGetImage")
    assert decision.allowed is None and "not in the analysed set" in decision.reasons[0]
    partial = role(TRUST, managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"])
    assert role_allows(partial, "ecr:BatchGetImage").allowed is True
    assert role_allows(partial, "ecr:PutImage").allowed is None


def test_role_policies_lists_sources():
    r = role(
        TRUST,
        statements({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
        managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"],
    )
    found = role_policies(r)
    assert [name for name, _ in found.documents] == ["inline policy #1"]
    assert [m.name for _, m in found.managed] == ["AmazonEC2ContainerRegistryReadOnly"]


def test_role_for_reference_and_arn():
    from ecrlint.iam.roles import role_for
    from ecrlint.values import Value, known

    from .helpers import SPAN

    r = role(TRUST, name="exec")
    model = Model([r])
    assert role_for(model, known("arn:aws:iam::111122223333:role/service/exec", SPAN)) is r
    assert role_for(model, Value(None, SPAN, ref="aws_iam_role.exec")) is r
    assert role_for(model, known("arn:aws:iam::111122223333:role/other", SPAN)) is None
    assert role_for(model, None) is None
