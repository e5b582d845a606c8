from ecrlint.iam import checks as c
from ecrlint.model.objects import CodeBuildProject, Repository
from ecrlint.values import known, unknown

from .helpers import (
    SPAN,
    document,
    identity_policy,
    public_repository,
    public_repository_policy,
    registry_policy,
    repository_policy,
    role,
    run,
    statements,
)

PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
PUSH = ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"]


# -- ECR201 ------------------------------------------------------------------------------------------


def test_ecr201_wildcard_principal():
    policy = repository_policy(statements({"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": PULL}))
    (m,), _ = run(c.check_public_repository_policy, policy)
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
    matches, _ = run(c.check_public_repository_policy, policy)
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
        assert run(c.check_public_repository_policy, policy) == ([], [])


def test_ecr201_quiet_for_deny_and_named_principals():
    policy = repository_policy(
        statements(
            {"Effect": "Deny", "Principal": "*", "Action": "ecr:*"},
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "ecr:*"},
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"},
        )
    )
    assert run(c.check_public_repository_policy, policy) == ([], [])


def test_ecr201_undecided_principal_and_condition():
    doc_policy = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "x"}, "Action": PULL}))
    doc_policy.document.statements[0].principal["AWS"][0] = unknown("module output", SPAN, symbolic="${var.who}")
    matches, unsure = run(c.check_public_repository_policy, doc_policy)
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
    matches, unsure = run(c.check_public_repository_policy, cond_policy)
    assert not matches and unsure


def test_ecr201_registry_and_public_repository():
    registry = registry_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage", "Resource": "*"})
    )
    assert len(run(c.check_public_repository_policy, registry)[0]) == 1
    public_pull = public_repository_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": ["ecr-public:BatchCheckLayerAvailability"]})
    )
    assert run(c.check_public_repository_policy, public_pull) == ([], [])
    public_push = public_repository_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": "ecr-public:PutImage"})
    )
    (m,), _ = run(c.check_public_repository_policy, public_push)
    assert "ecr-public:PutImage" in m.message


def test_ecr201_inline_repository_policy_pointer():
    repo = Repository(
        address="Resources.Repo",
        span=SPAN,
        source_format="cloudformation",
        inline_policy=document(statements({"Effect": "Allow", "Principal": "*", "Action": PULL})),
    )
    (m,), _ = run(c.check_public_repository_policy, repo)
    assert m.pointer == "repository_policy.Statement[0]"


# -- ECR202 ------------------------------------------------------------------------------------------


def test_ecr202_cross_account_push():
    policy = repository_policy(
        statements(
            {
                "Sid": "CiPush",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:role/ci"},
                "Action": PUSH,
            }
        )
    )
    (m,), _ = run(c.check_cross_account_write_access, policy, account="111122223333")
    assert 'statement "CiPush"' in m.message and "arn:aws:iam::444455556666:role/ci" in m.message
    assert "outside the owner account 111122223333" in m.message and "ecr:PutImage" in m.message


def test_ecr202_wildcards_and_unknown_owner():
    policy = repository_policy(
        statements({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:Put*"})
    )
    (m,), _ = run(c.check_cross_account_write_access, policy)
    assert "owner account is not known" in m.message
    assert 'via "ecr:Put*"' in m.message
    # repository-level actions only: a repository policy cannot grant registry settings
    assert "ecr:PutRegistryPolicy" not in m.message


def test_ecr202_quiet_for_same_account_and_reads():
    same = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "ecr:*"}))
    assert run(c.check_cross_account_write_access, same, account="111122223333") == ([], [])
    reads = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": PULL}))
    assert run(c.check_cross_account_write_access, reads, account="111122223333") == ([], [])


def test_ecr202_one_finding_per_statement():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": ["444455556666", "555566667777"]}, "Action": "ecr:PutImage"}
        )
    )
    (m,), _ = run(c.check_cross_account_write_access, policy, account="111122223333")
    assert "444455556666" in m.message and "555566667777" in m.message


def test_ecr202_deny_removes_writes():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:*"},
            {"Effect": "Deny", "Principal": {"AWS": "444455556666"}, "NotAction": PULL},
        )
    )
    assert run(c.check_cross_account_write_access, policy, account="111122223333") == ([], [])


def test_ecr202_everyone_pinned_to_accounts():
    policy = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:PutImage",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "444455556666"}},
            }
        )
    )
    (m,), _ = run(c.check_cross_account_write_access, policy, account="111122223333")
    assert "444455556666" in m.message


def test_ecr202_registry_replication_is_not_write_abuse():
    policy = registry_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                "Action": ["ecr:CreateRepository", "ecr:ReplicateImage"],
                "Resource": "arn:aws:ecr:us-west-2:111122223333:repository/*",
            }
        )
    )
    assert run(c.check_cross_account_write_access, policy) == ([], [])


def test_ecr202_unknown_account_is_undecided():
    policy = repository_policy(statements({"Effect": "Allow", "Principal": {"AWS": "x"}, "Action": "ecr:PutImage"}))
    policy.document.statements[0].principal["AWS"][0] = unknown(
        "no default", SPAN, symbolic="arn:aws:iam::${var.p}:root"
    )
    matches, unsure = run(c.check_cross_account_write_access, policy, account="111122223333")
    assert not matches and unsure


# -- ECR203 ------------------------------------------------------------------------------------------


def test_ecr203_three_accounts():
    policy = repository_policy(
        statements(
            {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["222222222222", "333333333333"]}, "Action": PULL},
            {"Sid": "B", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444444444444:role/r"}, "Action": PULL},
        )
    )
    (m,), _ = run(c.check_cross_account_access_not_org_scoped, policy, account="111111111111")
    assert m.pointer == "Statement[0]"
    assert "3 accounts" in m.message and "444444444444" in m.message and 'statement "B"' in m.message


def test_ecr203_owner_and_threshold():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": ["111111111111", "222222222222", "333333333333"]}, "Action": PULL}
        )
    )
    assert run(c.check_cross_account_access_not_org_scoped, policy, account="111111111111") == ([], [])
    assert len(run(c.check_cross_account_access_not_org_scoped, policy)[0]) == 1


def test_ecr203_account_wildcard_and_org_condition():
    wildcard = repository_policy(
        statements({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::*:root"}, "Action": PULL})
    )
    (m,), _ = run(c.check_cross_account_access_not_org_scoped, wildcard)
    assert "any account" in m.message
    scoped = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["arn:aws:iam::*:root", "222222222222", "333333333333", "444444444444"]},
                "Action": PULL,
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            }
        )
    )
    assert run(c.check_cross_account_access_not_org_scoped, scoped) == ([], [])


# -- ECR204 ------------------------------------------------------------------------------------------


def _lambda_statement(condition=None):
    st = {"Sid": "LambdaPull", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": PULL}
    if condition:
        st["Condition"] = condition
    return statements(st)


def test_ecr204_fires_without_source_condition():
    (m,), _ = run(c.check_lambda_pull_without_source_condition, repository_policy(_lambda_statement()))
    assert 'statement "LambdaPull"' in m.message and "lambda.amazonaws.com" in m.message


def test_ecr204_source_conditions():
    for condition in (
        {"StringLike": {"aws:sourceARN": "arn:aws:lambda:us-east-1:123456789012:function:*"}},
        {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:123456789012:function:*"}},
    ):
        assert run(c.check_lambda_pull_without_source_condition, repository_policy(_lambda_statement(condition))) == (
            [],
            [],
        )
    for condition in (
        {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},  # not a source condition
        {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:*:*:function:*"}},
    ):
        assert (
            len(run(c.check_lambda_pull_without_source_condition, repository_policy(_lambda_statement(condition)))[0])
            == 1
        )


def test_ecr204_other_services_and_non_pull():
    other = statements({"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": PULL})
    assert run(c.check_lambda_pull_without_source_condition, repository_policy(other)) == ([], [])
    describe = statements(
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "ecr:DescribeImages"}
    )
    assert run(c.check_lambda_pull_without_source_condition, repository_policy(describe)) == ([], [])


# -- ECR205 ------------------------------------------------------------------------------------------


def test_ecr205_markers_in_fields():
    (m,), _ = run(c.check_public_repository_internal_image, public_repository("acme-internal/billing"))
    assert m.pointer == "repository_name" and "internal" in m.message
    (m,), _ = run(c.check_public_repository_internal_image, public_repository("tool", description="Confidential tool"))
    assert m.pointer == "catalog_data.description"
    tagged = public_repository("tool", tags={"classification": known("Proprietary", SPAN)})
    (m,), _ = run(c.check_public_repository_internal_image, tagged)
    assert "proprietary" in m.message
    camel = public_repository("corpTools")
    assert len(run(c.check_public_repository_internal_image, camel)[0]) == 1


def test_ecr205_word_boundaries_and_configuration():
    quiet = public_repository("international-weather", description="Corporate-free tooling, privately funded")
    assert run(c.check_public_repository_internal_image, quiet) == ([], [])
    custom = public_repository("acme-secret-sauce")
    assert run(c.check_public_repository_internal_image, custom) == ([], [])
    assert len(run(c.check_public_repository_internal_image, custom, internal_markers=("secret",))[0]) == 1


def test_ecr205_unknown_name():
    partly = public_repository(unknown("var", SPAN, symbolic="${var.team}-internal"))
    assert len(run(c.check_public_repository_internal_image, partly)[0]) == 1
    opaque = public_repository(unknown("var", SPAN, symbolic="${var.name}"))
    matches, unsure = run(c.check_public_repository_internal_image, opaque)
    assert not matches and unsure


def test_ecr205_build_pushes_private_and_public():
    build = CodeBuildProject(
        address="aws_codebuild_project.b",
        span=SPAN,
        source_format="terraform",
        buildspec=known(
            "phases:\n  build:\n    commands:\n"
            "      - docker pull 111122223333.dkr.ecr.us-east-1.amazonaws.com/base:1\n"
            "      - docker push public.ecr.aws/acme/tool:latest\n",
            SPAN,
        ),
    )
    (m,), _ = run(c.check_public_repository_internal_image, public_repository("tool"), build)
    assert "aws_codebuild_project.b" in m.message


# -- ECR206 ------------------------------------------------------------------------------------------


def test_ecr206_ecr_star_on_everything():
    policy = identity_policy(statements({"Sid": "Admin", "Effect": "Allow", "Action": "ecr:*", "Resource": "*"}))
    (m,), _ = run(c.check_identity_policy_ecr_wildcard, policy)
    assert 'statement "Admin"' in m.message and "ecr:*" in m.message and m.pointer == "Statement[0]"
    star = identity_policy(statements({"Effect": "Allow", "Action": "*", "Resource": "*"}))
    (m,), _ = run(c.check_identity_policy_ecr_wildcard, star)
    assert 'via "*"' in m.message


def test_ecr206_writes_and_scoping():
    push = identity_policy(statements({"Effect": "Allow", "Action": PUSH, "Resource": "*"}))
    assert len(run(c.check_identity_policy_ecr_wildcard, push)[0]) == 1
    any_repo = identity_policy(
        statements({"Effect": "Allow", "Action": PUSH, "Resource": "arn:aws:ecr:*:*:repository/*"})
    )
    assert len(run(c.check_identity_policy_ecr_wildcard, any_repo)[0]) == 1
    scoped = identity_policy(
        statements(
            {"Effect": "Allow", "Action": "ecr:*", "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/a/*"}
        )
    )
    assert run(c.check_identity_policy_ecr_wildcard, scoped) == ([], [])
    tag = identity_policy(
        statements(
            {
                "Effect": "Allow",
                "Action": PUSH,
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}},
            }
        )
    )
    assert run(c.check_identity_policy_ecr_wildcard, tag) == ([], [])


def test_ecr206_reads_and_registry_actions_are_quiet():
    reads = identity_policy(
        statements({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", *PULL], "Resource": "*"})
    )
    assert run(c.check_identity_policy_ecr_wildcard, reads) == ([], [])
    registry = identity_policy(
        statements({"Effect": "Allow", "Action": "ecr:PutReplicationConfiguration", "Resource": "*"})
    )
    assert run(c.check_identity_policy_ecr_wildcard, registry) == ([], [])


def test_ecr206_role_inline_and_managed():
    trust = statements({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
    r = role(
        trust,
        statements({"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}),
        managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess"],
    )
    matches, _ = run(c.check_identity_policy_ecr_wildcard, r)
    assert sorted(m.pointer for m in matches) == ["inline_policies[0].Statement[0]", "managed_policy_arns[0]"]


# -- ECR207 ------------------------------------------------------------------------------------------


def test_ecr207_everyone_and_account_wildcard():
    policy = registry_policy(
        statements(
            {"Sid": "Rep", "Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage", "Resource": "*"},
            {
                "Sid": "Ptc",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::*:root"},
                "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
                "Resource": "*",
            },
        )
    )
    matches, _ = run(c.check_overbroad_registry_policy, policy)
    assert [m.pointer for m in matches] == ["Statement[0]", "Statement[1]"]
    assert "ecr:ReplicateImage" in matches[0].message and "ecr:BatchImportUpstreamImage" in matches[1].message


def test_ecr207_quiet_cases():
    named = registry_policy(
        statements(
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "ecr:ReplicateImage", "Resource": "*"}
        )
    )
    org = registry_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:ReplicateImage",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            }
        )
    )
    other = registry_policy(
        statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:DescribeImages", "Resource": "*"})
    )
    repo = repository_policy(statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:ReplicateImage"}))
    for obj in (named, org, other, repo):
        assert run(c.check_overbroad_registry_policy, obj) == ([], [])


# -- ECR208 ------------------------------------------------------------------------------------------

PARTNER_TRUST = statements(
    {
        "Sid": "Partner",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::222233334444:root"},
        "Action": "sts:AssumeRole",
    }
)


def test_ecr208_pull_role_for_other_account():
    r = role(
        PARTNER_TRUST, statements({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", *PULL], "Resource": "*"})
    )
    (m,), _ = run(c.check_cross_account_pull_via_role, r, account="111122223333")
    assert m.pointer == "assume_role_policy.Statement[0]"
    assert 'statement "Partner"' in m.message and "222233334444" in m.message and "ecr:BatchGetImage" in m.message
    managed = role(PARTNER_TRUST, managed=["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"])
    assert len(run(c.check_cross_account_pull_via_role, managed, account="111122223333")[0]) == 1


def test_ecr208_quiet_cases():
    pull = statements({"Effect": "Allow", "Action": PULL, "Resource": "*"})
    same = statements({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"})
    service = statements(
        {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
    )
    assert run(c.check_cross_account_pull_via_role, role(same, pull), account="111122223333") == ([], [])
    assert run(c.check_cross_account_pull_via_role, role(service, pull), account="111122223333") == ([], [])
    more = role(PARTNER_TRUST, pull, statements({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}))
    assert run(c.check_cross_account_pull_via_role, more, account="111122223333") == ([], [])
    push = role(PARTNER_TRUST, statements({"Effect": "Allow", "Action": [*PULL, "ecr:PutImage"], "Resource": "*"}))
    assert run(c.check_cross_account_pull_via_role, push, account="111122223333") == ([], [])
    nothing = role(PARTNER_TRUST)
    assert run(c.check_cross_account_pull_via_role, nothing, account="111122223333") == ([], [])


def test_ecr208_unknown_attachment_is_undecided():
    r = role(PARTNER_TRUST, managed=["arn:aws:iam::111122223333:policy/custom"])
    matches, unsure = run(c.check_cross_account_pull_via_role, r, account="111122223333")
    assert not matches and unsure


def test_ecr202_organization_wide_write():
    policy = repository_policy(
        statements(
            {
                "Sid": "OrgPush",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:PutImage",
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            }
        )
    )
    (m,), _ = run(c.check_cross_account_write_access, policy, account="111122223333")
    assert "aws:PrincipalOrgID o-a1b2c3d4e5" in m.message
    owner_only = repository_policy(
        statements(
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "ecr:PutImage",
                "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}},
            }
        )
    )
    assert run(c.check_cross_account_write_access, owner_only, account="111122223333") == ([], [])


def test_ecr202_everyone_unrestricted_write():
    policy = repository_policy(
        statements({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "ecr:BatchDeleteImage"})
    )
    (m,), _ = run(c.check_cross_account_write_access, policy, account="111122223333")
    assert "everyone" in m.message and "ecr:BatchDeleteImage" in m.message


def test_deny_not_principal_pins_accounts_for_ecr202():
    policy = repository_policy(
        statements(
            {"Effect": "Allow", "Principal": "*", "Action": "ecr:PutImage"},
            {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": "ecr:*"},
        )
    )
    assert run(c.check_cross_account_write_access, policy, account="111122223333") == ([], [])
    assert run(c.check_public_repository_policy, policy, account="111122223333") == ([], [])


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


def test_finding_in_one_branch_names_it():
    (m,), _ = run(c.check_public_repository_policy, _branched_policy("111122223333", "*"))
    assert "(when condition IsProd is false)" in m.message
    assert m.pointer == "Statement[0]"


def test_finding_in_every_branch_is_reported_once():
    (m,), _ = run(c.check_public_repository_policy, _branched_policy("*", "*"))
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
    (m,), _ = run(c.check_public_repository_policy, policy)
    assert "(when condition Open is true)" in m.message


def test_ecr205_conditional_name_names_the_branch():
    from ecrlint.values import Branch, Branches, Value

    name = Value(
        Branches(
            (
                Branch("condition Internal is true", known("acme-internal", SPAN)),
                Branch("condition Internal is false", known("acme", SPAN)),
            )
        ),
        SPAN,
    )
    (m,), _ = run(c.check_public_repository_internal_image, public_repository(name))
    assert "(when condition Internal is true)" in m.message


def test_ecr206_not_resource_and_symbolic_resources():
    not_resource = identity_policy(
        statements(
            {
                "Effect": "Allow",
                "Action": "ecr:PutImage",
                "NotResource": "arn:aws:ecr:us-east-1:111122223333:repository/prod",
            }
        )
    )
    (m,), _ = run(c.check_identity_policy_ecr_wildcard, not_resource)
    assert "NotResource" in m.message
    named = identity_policy(statements({"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "x"}))
    named.document.statements[0].resource[0] = unknown(
        "after apply", SPAN, symbolic="arn:aws:ecr:${region}:${account_id}:repository/app"
    )
    assert run(c.check_identity_policy_ecr_wildcard, named) == ([], [])
    opaque = identity_policy(statements({"Effect": "Allow", "Action": "ecr:PutImage", "Resource": "x"}))
    opaque.document.statements[0].resource[0] = unknown("variable", SPAN, symbolic="${var.resource}")
    matches, unsure = run(c.check_identity_policy_ecr_wildcard, opaque)
    assert not matches and unsure
