"""ECR205: unit tests of the check."""

from __future__ import annotations

from ecrlint.model.objects import CodeBuildProject
from ecrlint.values import known, unknown
from tests.iam.helpers import (
    SPAN,
    public_repository,
    run,
)
from tests.rules import rule_check


def test_ecr205_markers_in_fields():
    (m,), _ = run(rule_check("ECR205"), public_repository("acme-internal/billing"))
    assert m.pointer == "repository_name" and "internal" in m.message
    (m,), _ = run(rule_check("ECR205"), public_repository("tool", description="Confidential tool"))
    assert m.pointer == "catalog_data.description"
    tagged = public_repository("tool", tags={"classification": known("Proprietary", SPAN)})
    (m,), _ = run(rule_check("ECR205"), tagged)
    assert "proprietary" in m.message
    camel = public_repository("corpTools")
    assert len(run(rule_check("ECR205"), camel)[0]) == 1


def test_ecr205_word_boundaries_and_configuration():
    quiet = public_repository("international-weather", description="Corporate-free tooling, privately funded")
    assert run(rule_check("ECR205"), quiet) == ([], [])
    custom = public_repository("acme-secret-sauce")
    assert run(rule_check("ECR205"), custom) == ([], [])
    assert len(run(rule_check("ECR205"), custom, internal_markers=("secret",))[0]) == 1


def test_ecr205_unknown_name():
    partly = public_repository(unknown("var", SPAN, symbolic="${var.team}-internal"))
    assert len(run(rule_check("ECR205"), partly)[0]) == 1
    opaque = public_repository(unknown("var", SPAN, symbolic="${var.name}"))
    matches, unsure = run(rule_check("ECR205"), opaque)
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
    (m,), _ = run(rule_check("ECR205"), public_repository("tool"), build)
    assert "aws_codebuild_project.b" in m.message


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
    (m,), _ = run(rule_check("ECR205"), public_repository(name))
    assert "(when condition Internal is true)" in m.message
