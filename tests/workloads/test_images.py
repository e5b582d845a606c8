"""The image reference parser: every registry, symbolic parts, and a round trip for generated references."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecrlint.images import (
    DOCKER_HUB,
    DOCKER_HUB_HOSTS,
    OTHER,
    PRIVATE,
    PUBLIC,
    UNKNOWN,
    UNRESOLVED,
    ImageRef,
    parse_image,
    read_image,
)
from ecrlint.source import Span
from ecrlint.values import known, unknown

DIGEST = "sha256:" + "a" * 64
SPAN = Span("x.tf", 1, 1, 1, 1)


@pytest.mark.parametrize(
    "text,registry,account,region,repository,tag,digest",
    [
        ("nginx", DOCKER_HUB, None, None, "library/nginx", None, None),
        ("nginx:1.27", DOCKER_HUB, None, None, "library/nginx", "1.27", None),
        ("library/nginx:latest", DOCKER_HUB, None, None, "library/nginx", "latest", None),
        ("bitnami/redis@" + DIGEST, DOCKER_HUB, None, None, "bitnami/redis", None, DIGEST),
        ("docker.io/nginx", DOCKER_HUB, None, None, "library/nginx", None, None),
        ("index.docker.io/acme/app:2", DOCKER_HUB, None, None, "acme/app", "2", None),
        ("registry-1.docker.io/library/nginx:1", DOCKER_HUB, None, None, "library/nginx", "1", None),
        (
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/app:v1",
            PRIVATE,
            "123456789012",
            "us-east-1",
            "team/app",
            "v1",
            None,
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1",
            PRIVATE,
            "123456789012",
            "cn-north-1",
            "app",
            "1",
            None,
        ),
        (
            "123456789012.dkr-ecr.eu-west-1.on.aws/app@" + DIGEST,
            PRIVATE,
            "123456789012",
            "eu-west-1",
            "app",
            None,
            DIGEST,
        ),
        (
            "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app",
            PRIVATE,
            "123456789012",
            "us-gov-west-1",
            "app",
            None,
            None,
        ),
        ("public.ecr.aws/nginx/nginx:stable", PUBLIC, None, None, "nginx", "stable", None),
        ("ghcr.io/org/app:1.0", OTHER, None, None, "org/app", "1.0", None),
        ("quay.io/prometheus/node-exporter", OTHER, None, None, "prometheus/node-exporter", None, None),
        ("registry.example.com:5000/a/b:c@" + DIGEST, OTHER, None, None, "a/b", "c", DIGEST),
        ("localhost/app", OTHER, None, None, "app", None, None),
    ],
)
def test_known_references(text, registry, account, region, repository, tag, digest):
    ref = parse_image(text)
    assert ref is not None
    assert (ref.registry, ref.account, ref.region, ref.repository, ref.tag, ref.digest) == (
        registry,
        account,
        region,
        repository,
        tag,
        digest,
    )
    assert ref.unknown == frozenset()


def test_endpoints_domains_and_arns():
    fips = parse_image("123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:1")
    assert fips.endpoint == "fips"
    assert fips.repository_arn() == "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/app"
    dual = parse_image("123456789012.dkr-ecr.eu-west-1.on.aws/app:1")
    assert (dual.endpoint, dual.domain) == ("dual-stack", "on.aws")
    china = parse_image("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app:1")
    assert china.repository_arn() == "arn:aws-cn:ecr:cn-north-1:123456789012:repository/app"
    assert parse_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/app").endpoint == "ipv4"
    assert parse_image("public.ecr.aws/a/b").alias == "a"


def test_host_names_are_case_insensitive():
    ref = parse_image("123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM/app:1")
    assert ref.registry == PRIVATE and ref.region == "us-east-1"
    assert parse_image("Docker.IO/nginx").registry == DOCKER_HUB


@pytest.mark.parametrize(
    "text",
    ["", " ", "a b", "Nginx", "app:", "app@", "app@sha256:xyz", "app::1", "/app", "app/", "a//b", "$IMAGE", "x:y:z"],
)
def test_not_references(text):
    assert parse_image(text) is None


def test_cloudformation_placeholders_stay_symbolic():
    ref = parse_image("${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/app:v1")
    assert ref.registry == PRIVATE
    assert ref.account == "${AWS::AccountId}" and ref.region == "${AWS::Region}" and ref.domain == "${AWS::URLSuffix}"
    assert ref.unknown == {"account", "region", "domain"}
    assert (ref.repository, ref.tag, ref.mutable) == ("app", "v1", False)
    assert ref.repository_arn() is None


def test_terraform_repository_url_has_no_tag():
    ref = parse_image("${aws_ecr_repository.app.repository_url}")
    assert ref.registry == PRIVATE and ref.tag is None and ref.mutable is True
    assert {"account", "region", "repository"} <= ref.unknown and "tag" not in ref.unknown
    tagged = parse_image("${data.aws_ecr_repository.app.repository_url}:1.2")
    assert tagged.registry == PRIVATE and tagged.tag == "1.2"
    assert parse_image("${Repo.RepositoryUri}:latest").mutable is True
    symbolic = parse_image("${account_id}.dkr.ecr.${region}.amazonaws.com/app")
    assert symbolic.registry == PRIVATE and symbolic.mutable is True


def test_unresolved_registry_or_tag():
    whole = parse_image("${var.image}")
    assert whole.registry == UNKNOWN and whole.mutable is None
    assert {"registry", "repository", "tag", "digest"} <= whole.unknown
    tagged = parse_image("${var.image}:latest")
    assert tagged.registry == UNKNOWN and tagged.mutable is True  # the tag is written: latest
    assert parse_image("${var.registry}/app:1").registry == UNKNOWN
    assert parse_image("${var.host}.example.com/app:1").registry == UNKNOWN
    assert parse_image("${module.images.url}").registry == UNKNOWN  # only ECR repository URLs are recognised
    tag = parse_image("nginx:${var.tag}")
    assert tag.registry == DOCKER_HUB and tag.mutable is None and "tag" in tag.unknown
    tail = parse_image("ghcr.io/acme/${var.name}")
    assert tail.registry == OTHER and tail.mutable is None  # the placeholder may carry a tag
    pinned = parse_image("ghcr.io/acme/app@${var.digest}")
    assert pinned.pinned is True and pinned.mutable is False
    repo = parse_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/${var.name}:1")
    assert repo.registry == PRIVATE and repo.unknown == {"repository"} and repo.mutable is False


def test_mutability():
    assert parse_image("app").mutable is True
    assert parse_image("app:latest").mutable is True
    assert parse_image("app:LATEST").mutable is False  # tags are case-sensitive
    assert parse_image("app:latest@" + DIGEST).mutable is False  # the digest wins
    assert parse_image("app:1").mutable is False


def test_read_image_from_values():
    assert read_image(known("nginx", SPAN)).registry == DOCKER_HUB
    assert (
        read_image(unknown("x", SPAN, symbolic="${AWS::AccountId}.dkr.ecr.eu-west-1.amazonaws.com/a")).registry
        == PRIVATE
    )
    assert read_image(unknown("nothing known", SPAN)) is UNRESOLVED
    assert read_image(unknown("odd", SPAN, symbolic="${x} ${y}")) is UNRESOLVED
    assert read_image(known("not an image", SPAN)) is None
    assert read_image(known(["a"], SPAN)) is None


# -- generated references ---------------------------------------------------------------------------------

_alnum = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
_separator = st.sampled_from([".", "_", "__", "-", "--"])


@st.composite
def _component(draw):
    parts = draw(st.lists(_alnum, min_size=1, max_size=3))
    out = parts[0]
    for part in parts[1:]:
        out += draw(_separator) + part
    return out


_path = st.lists(_component(), min_size=1, max_size=3).map("/".join)
_tag = st.from_regex(r"\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}\Z")
_digest = st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: "sha256:" + h)
_region = st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1", "cn-north-1", "il-central-1"])
_account = st.from_regex(r"\A[0-9]{12}\Z")
_placeholder = st.sampled_from(["${var.x}", "${AWS::AccountId}", "${local.name}", "${each.value}"])


@st.composite
def references(draw) -> tuple[str, ImageRef]:
    """(text, expected parts) for a reference built from parts."""
    kind = draw(st.sampled_from([PRIVATE, PUBLIC, DOCKER_HUB, OTHER]))
    path = draw(_path)
    tag = draw(st.none() | _tag)
    digest = draw(st.none() | _digest)
    unknown: set[str] = set()
    fields: dict = {}
    if kind == PRIVATE:
        account, region = draw(_account), draw(_region)
        endpoint = draw(st.sampled_from(["ipv4", "fips", "dual-stack"]))
        domain = (
            "on.aws"
            if endpoint == "dual-stack"
            else "amazonaws.com.cn"
            if region.startswith("cn-")
            else "amazonaws.com"
        )
        if draw(st.booleans()):
            account = draw(_placeholder)
            unknown.add("account")
        if draw(st.booleans()):
            region = "${AWS::Region}"
            unknown.add("region")
        host = f"{account}.{ {'ipv4': 'dkr.ecr', 'fips': 'dkr.ecr-fips', 'dual-stack': 'dkr-ecr'}[endpoint] }.{region}.{domain}"
        fields = dict(host=host, account=account, region=region, domain=domain, endpoint=endpoint, repository=path)
        text = f"{host}/{path}"
    elif kind == PUBLIC:
        alias = draw(_alnum)
        fields = dict(host="public.ecr.aws", alias=alias, repository=path)
        text = f"public.ecr.aws/{alias}/{path}"
    elif kind == DOCKER_HUB:
        host = draw(st.sampled_from([None, "docker.io", "index.docker.io", "registry-1.docker.io"]))
        if host is None and "." in path.split("/")[0]:
            path = path.replace(".", "-", path.split("/")[0].count("."))  # a dot would make it a registry host
        repository = path if "/" in path else f"library/{path}"
        fields = dict(host=host, repository=repository)
        text = f"{host}/{path}" if host else path
    else:
        name = draw(st.from_regex(r"\A[a-z]{3,8}\.(io|dev|net)\Z").filter(lambda h: h not in DOCKER_HUB_HOSTS))
        host = name + draw(st.sampled_from(["", ":5000", ":443"]))
        fields = dict(host=host, repository=path)
        text = f"{host}/{path}"
    if tag is not None:
        if draw(st.booleans()):
            tag = "${var.tag}"
            unknown.add("tag")
            if digest is None:
                unknown.add("digest")
        text += f":{tag}"
    if digest is not None:
        text += f"@{digest}"
    return text, ImageRef(text=text, registry=kind, tag=tag, digest=digest, unknown=frozenset(unknown), **fields)


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(references())
def test_round_trip(case):
    text, expected = case
    parsed = parse_image(text)
    assert parsed == expected
    again = parse_image(parsed.render())
    assert again is not None
    assert (again.registry, again.account, again.region, again.repository, again.tag, again.digest) == (
        parsed.registry,
        parsed.account,
        parsed.region,
        parsed.repository,
        parsed.tag,
        parsed.digest,
    )


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=60) | st.from_regex(r"\A[a-z0-9.:/@${}_-]{0,40}\Z"))
def test_any_text_parses_or_is_rejected(text):
    ref = parse_image(text)
    assert ref is None or isinstance(ref, ImageRef)
    if ref is not None:
        assert ref.registry in (PRIVATE, PUBLIC, DOCKER_HUB, OTHER, UNKNOWN)
        assert ref.unknown <= {"registry", "account", "region", "domain", "repository", "tag", "digest"}
