"""Scripts as text: line spans, commands, variables and Dockerfile FROM lines."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.model.objects import Dockerfile
from ecrlint.source import Span
from ecrlint.values import Value, known, unknown
from ecrlint.workloads import commands
from ecrlint.workloads.dockerfiles import base_images
from ecrlint.workloads.shell import AMBIGUOUS, buildspec_variables, expand
from ecrlint.workloads.text import excerpt, lines


def _lines(text: str, path: str = "buildspec.yml", offset: int | None = 0, span: Span | None = None):
    return lines(Value(text, span or Span(path, 1, 1, 1, 1), text_line_offset=offset))


def _line(text: str):
    return _lines(text)[0]


_SHAPES = [
    "  - docker push $A:${B}",
    "docker buildx build --push -t",
    "docker push",
    "A=$B",
    "env:",
    "  variables:",
    "    A: $A",
    "FROM ${X:-y} AS z",
    "ARG X=$(x)",
    "$(aws ecr get-login)",
    "FROM --platform=x",
]


# -- text ------------------------------------------------------------------------------------------------


def test_file_text_maps_lines_and_columns():
    first, second = _lines("version: 0.2\n  - docker push x\n")
    assert (second.number, second.span.start_line, second.span.end_col) == (2, 2, len(second.text) + 1)
    assert second.columns
    assert second.at(4, 15) == Span("buildspec.yml", 2, 5, 2, 16)


def test_heredoc_lines_shift_by_offset_without_columns():
    line = _lines("a\nb\n", path="main.tf", offset=30)[1]
    assert line.span == Span("main.tf", 32, 1, 33, 1)  # the whole line: its indentation is not known
    assert not line.columns and line.at(0, 1) == line.span


def test_yaml_block_scalar_lines_follow_the_indicator():
    text = "version: 0.2\nphases: {}\n"
    mapped = _lines(text, path="t.cfn.yaml", offset=None, span=Span("t.cfn.yaml", 10, 20, 12, 11))
    assert [line.span.start_line for line in mapped] == [11, 12]
    folded = _lines(text, path="t.cfn.yaml", offset=None, span=Span("t.cfn.yaml", 10, 20, 10, 40))
    assert all(line.span == Span("t.cfn.yaml", 10, 20, 10, 40) for line in folded)  # the value as a whole
    assert lines(None) == []
    assert [line.text for line in lines(unknown("x", Span("u", 1, 1, 1, 1), symbolic="a\nb"))] == ["a", "b"]
    assert lines(unknown("x", Span("u", 1, 1, 1, 1))) == []


def test_excerpt():
    assert excerpt("      - docker push x") == "`docker push x`"
    assert excerpt("x" * 100).endswith("...`")


# -- commands --------------------------------------------------------------------------------------------


def test_get_login_variants():
    for text in (
        "- $(aws ecr get-login --no-include-email)",
        "eval $(aws --region eu-west-1 ecr get-login --no-include-email)",
        "aws --profile ci ecr get-login | sh",
    ):
        assert commands.get_login(_line(text)) is not None, text
    for text in (
        "aws ecr get-login-password | docker login --username AWS --password-stdin x",
        "aws ecr-public get-login-password --region us-east-1",
        "echo get-login",
    ):
        assert commands.get_login(_line(text)) is None, text


def test_ecr_login():
    assert commands.ecr_login(_line("aws ecr get-login-password | docker login -u AWS --password-stdin r")) is not None
    assert (
        commands.ecr_login(_line("docker login -u AWS -p $P 111122223333.dkr.ecr.eu-west-1.amazonaws.com")) is not None
    )
    assert commands.ecr_login(_line("docker login ghcr.io")) is None


def test_pushes():
    def targets(text):
        return [f.text for f in commands.pushes(_line(text))]

    assert targets("- docker push $REPOSITORY_URI:latest") == ["$REPOSITORY_URI:latest"]
    assert targets("docker image push --quiet repo/app:1") == ["repo/app:1"]
    assert targets('podman push --all-tags "r/app"') == ["r/app"]
    assert targets("docker push --platform linux/arm64 r/app:1") == ["r/app:1"]
    assert targets("docker buildx build --push -t a/b:1 --tag=c/d:2 .") == ["a/b:1", "c/d:2"]
    assert targets("docker build -t a/b:1 .") == []
    assert targets("docker tag a b && docker push b") == ["b"]
    found = commands.pushes(_line("docker push r/app:1"))[0]
    assert (found.start, found.end) == (12, 19)


def test_agent_and_ecs_markers():
    assert commands.agent_install(_line("wget https://aws-codedeploy-us-east-1.s3.amazonaws.com/latest/install"))
    assert commands.agent_install(_line("systemctl start codedeploy-agent"))
    assert commands.agent_install(_line("aws ssm send-command --parameters name=AWSCodeDeployAgent"))
    assert commands.agent_install(_line("aws deploy create-deployment --application-name x")) is None
    assert commands.configures_ecs_instance(_line("echo ECS_CLUSTER=orders >> /etc/ecs/ecs.config"))
    assert not commands.configures_ecs_instance(_line("yum install -y docker"))


# -- variables -------------------------------------------------------------------------------------------


def test_buildspec_variables_and_expansion():
    text = """version: 0.2
env:
  variables:
    IMAGE_REPO_NAME: "orders/api"
    EMPTY:
  parameter-store:
    TOKEN: /ci/token
phases:
  pre_build:
    commands:
      - REPOSITORY_URI=$AWS_ACCOUNT_ID.dkr.ecr.$AWS_DEFAULT_REGION.amazonaws.com/$IMAGE_REPO_NAME
      - IMAGE_TAG=$(echo $CODEBUILD_RESOLVED_SOURCE_VERSION | cut -c 1-7)
      - export STAGE=prod
      - STAGE=dev
"""
    variables = buildspec_variables(_lines(text))
    assert variables["IMAGE_REPO_NAME"] == "orders/api"
    assert "TOKEN" not in variables and "IMAGE_TAG" not in variables
    assert variables["STAGE"] is AMBIGUOUS
    assert expand("$REPOSITORY_URI:${IMAGE_TAG}", variables) == (
        "${AWS_ACCOUNT_ID}.dkr.ecr.${AWS_DEFAULT_REGION}.amazonaws.com/orders/api:${IMAGE_TAG}"
    )
    assert expand("${STAGE}-x", variables) == "${STAGE}-x"
    assert expand("a:$(git rev-parse HEAD)", {}) == "a:${command_output}"
    assert expand("${aws_ecr_repository.app.repository_url}", {}) == "${aws_ecr_repository.app.repository_url}"
    assert expand("${X:-default}", {"X": "v"}) == "v"
    assert expand("$A", {"A": "$A"}).startswith("$")  # self-reference stops


# -- Dockerfiles -----------------------------------------------------------------------------------------


def _dockerfile(text: str) -> Dockerfile:
    span = Span("Dockerfile", 1, 1, 1, 1)
    obj = Dockerfile(address="Dockerfile", span=span, source_format="dockerfile")
    obj.text = known(text, span, text_line_offset=0)
    return obj


def test_from_lines():
    text = """# syntax=docker/dockerfile:1
ARG BASE=python:3.12-slim
ARG REGISTRY
FROM --platform=$BUILDPLATFORM ${BASE} AS build
FROM build AS test
FROM scratch
FROM $REGISTRY/runtime:1 AS final
from alpine
"""
    images = base_images(_dockerfile(text))
    assert [(b.found.line.number, b.reference) for b in images] == [
        (4, "python:3.12-slim"),
        (7, "${REGISTRY}/runtime:1"),
        (8, "alpine"),
    ]
    assert images[0].found.text == "${BASE}" and images[0].found.span.start_col == 32


@settings(max_examples=200, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.text(max_size=40) | st.sampled_from(_SHAPES), max_size=8))
def test_any_script_is_read_without_error(parts):
    text = "\n".join(parts)
    script = _lines(text)
    variables = buildspec_variables(script)
    for line in script:
        commands.get_login(line)
        commands.ecr_login(line)
        commands.agent_install(line)
        for found in commands.pushes(line):
            assert 0 <= found.start <= found.end <= len(line.text)
            expand(found.text, variables)
    base_images(_dockerfile(text))


def test_builds_name_the_images_made_locally():
    def names(text):
        return [f.text for f in commands.builds(_line(text))]

    assert names("docker build -t orders-api:1.4 /opt/orders-api") == ["orders-api:1.4"]
    assert names('docker buildx build --tag "app:ci" --tag app:latest . && docker push app:ci') == [
        "app:ci",
        "app:latest",
    ]
    assert names("docker tag toolbox-base toolbox:ci") == ["toolbox:ci"]
    assert names("podman image tag --quiet base next; echo done") == ["next"]
    assert names("docker pull nginx:1.27") == []
    assert names("docker tag only-one") == []
