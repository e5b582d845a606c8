"""Container image references: one parser for every registry ecrlint meets.

`parse_image(text)` reads a reference as Docker does (`[host[:port]/]path[:tag][@digest]`) and
says which registry it names:

- `ecr-private`: `<account>.dkr.ecr.<region>.amazonaws.com` (also `.amazonaws.com.cn`, the
  FIPS host `dkr.ecr-fips` and the dual-stack host `<account>.dkr-ecr.<region>.on.aws`);
- `ecr-public`: `public.ecr.aws/<alias>/<repository>`;
- `docker-hub`: no host (`nginx`, `library/nginx`, `bitnami/redis`) or `docker.io`,
  `index.docker.io`, `registry-1.docker.io`, `registry.hub.docker.com`; official images get
  their implicit `library/` namespace;
- `other`: any other host (`ghcr.io`, `quay.io`, `registry.example.com:5000`, `localhost`);
- `unknown`: the registry depends on a value ecrlint could not resolve.

Parts that could not be resolved stay symbolic: `${AWS::AccountId}.dkr.ecr.${AWS::Region}.
${AWS::URLSuffix}/app:v1` is a private ECR reference whose account, region and domain are
unknown, whose repository is `app` and whose tag is `v1`. `ImageRef.unknown` names such parts.
A placeholder at the end of the path may itself carry a tag or digest (`repo/${var.image}`), so
then the tag and digest are unknown too; a Terraform `repository_url` or CloudFormation
`RepositoryUri` never carries one.

`read_image(value)` does the same for a located `Value` (a known string, or the symbolic text
of an `Unknown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .values import Unknown, Value

PRIVATE = "ecr-private"
PUBLIC = "ecr-public"
DOCKER_HUB = "docker-hub"
OTHER = "other"
UNKNOWN = "unknown"

KIND_NAMES = {
    PRIVATE: "private ECR",
    PUBLIC: "ECR Public",
    DOCKER_HUB: "Docker Hub",
    OTHER: "a third-party registry",
    UNKNOWN: "an undecided registry",
}

DOCKER_HUB_HOSTS = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
PUBLIC_HOST = "public.ecr.aws"

#: the parts an `ImageRef` reports as unknown
PARTS = ("registry", "account", "region", "domain", "repository", "tag", "digest")

_PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
_HOLE = re.compile("\x00([0-9]+)\x00")
_T = "\x00[0-9]+\x00"  # a masked placeholder inside a pattern
_ECR_HOST = re.compile(
    rf"^(?P<account>[0-9]{{12}}|{_T})"
    rf"\.(?P<endpoint>dkr\.ecr-fips|dkr\.ecr|dkr-ecr)"
    rf"\.(?P<region>[a-z]{{2}}(?:-[a-z]+)+-[0-9]+|{_T})"
    rf"\.(?P<domain>amazonaws\.com\.cn|amazonaws\.com|on\.aws|{_T})$"
)
# Placeholders that stand for a repository URL: the URL of a private ECR repository, never with a tag.
_REPOSITORY_URL = re.compile(
    r"^\$\{(?:[^{}]*\.)?aws_ecr_repository\.[^{}]+\.repository_url\}$"  # Terraform (also data sources)
    r"|^\$\{[A-Za-z0-9]+\.RepositoryUri\}$"  # CloudFormation Fn::GetAtt of an AWS::ECR::Repository
)
_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,299}$")
_DIGEST = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")
_HOST = re.compile(
    r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?$"
)
_ENDPOINTS = {"dkr.ecr": "ipv4", "dkr.ecr-fips": "fips", "dkr-ecr": "dual-stack"}


@dataclass(frozen=True)
class ImageRef:
    """One parsed image reference. Unknown parts keep their symbolic text (`${AWS::AccountId}`)."""

    text: str  # as written (symbolic text for unresolved values)
    registry: str  # ecr-private | ecr-public | docker-hub | other | unknown
    host: str | None = None  # as written; None for Docker Hub without a host
    account: str | None = None  # private ECR registry id
    region: str | None = None  # private ECR region
    domain: str | None = None  # amazonaws.com | amazonaws.com.cn | on.aws (private ECR)
    endpoint: str | None = None  # ipv4 | fips | dual-stack (private ECR)
    alias: str | None = None  # ECR Public registry alias
    repository: str | None = None  # Docker Hub official images with their `library/` namespace
    tag: str | None = None
    digest: str | None = None
    unknown: frozenset[str] = field(default=frozenset())

    # -- questions rules ask -----------------------------------------------------------
    @property
    def is_private_ecr(self) -> bool | None:
        """True for a private ECR registry, False for any other, None when the registry is undecided."""
        if self.registry == UNKNOWN:
            return None
        return self.registry == PRIVATE

    @property
    def pinned(self) -> bool | None:
        """Whether the reference names a digest (None: a placeholder may or may not add one)."""
        if self.digest is not None:
            return True
        return None if "digest" in self.unknown else False

    @property
    def mutable(self) -> bool | None:
        """True for `:latest` or no tag and no digest (implicit `:latest`); None when undecided."""
        if self.digest is not None:
            return False
        if "digest" in self.unknown or "tag" in self.unknown:
            return None
        return self.tag is None or self.tag == "latest"

    def known(self, part: str) -> bool:
        return part not in self.unknown

    @property
    def partition(self) -> str | None:
        """The AWS partition of a private ECR registry, when its region or domain says."""
        if self.known("domain") and self.domain == "amazonaws.com.cn":
            return "aws-cn"
        if not self.region or not self.known("region"):
            return None
        if self.region.startswith("cn-"):
            return "aws-cn"
        return "aws-us-gov" if self.region.startswith("us-gov-") else "aws"

    def repository_arn(self) -> str | None:
        """`arn:<partition>:ecr:<region>:<account>:repository/<name>` when every part is known."""
        if self.registry != PRIVATE or not all(self.known(p) for p in ("account", "region", "repository")):
            return None
        if not (self.account and self.region and self.repository and self.partition):
            return None
        return f"arn:{self.partition}:ecr:{self.region}:{self.account}:repository/{self.repository}"

    def registry_name(self) -> str:
        if self.registry == PRIVATE:
            return f"private ECR ({self.account or '?'} in {self.region or '?'})"
        if self.registry == OTHER:
            return f"registry {self.host}"
        return KIND_NAMES[self.registry]

    def render(self) -> str:
        """The reference as text, from its parts (Docker Hub keeps the host it was written with)."""
        if self.registry == PRIVATE and self.account and self.region and self.domain and self.endpoint:
            endpoint = {v: k for k, v in _ENDPOINTS.items()}[self.endpoint]
            base = f"{self.account}.{endpoint}.{self.region}.{self.domain}/{self.repository}"
        elif self.registry == PUBLIC:
            path = f"{self.alias}/{self.repository}" if self.alias else f"{self.repository}"
            base = f"{PUBLIC_HOST}/{path}"
        elif self.host:
            base = f"{self.host}/{self.repository}"
        else:
            base = f"{self.repository}"
        if self.tag is not None:
            base += f":{self.tag}"
        if self.digest is not None:
            base += f"@{self.digest}"
        return base

    def __str__(self) -> str:
        return self.text


def _mask(text: str) -> tuple[str, list[str]]:
    holes: list[str] = []

    def repl(m: re.Match[str]) -> str:
        holes.append(m.group())
        return f"\x00{len(holes) - 1}\x00"

    return _PLACEHOLDER.sub(repl, text), holes


def _unmask(text: str | None, holes: list[str]) -> str | None:
    if text is None:
        return None
    return _HOLE.sub(lambda m: holes[int(m.group(1))], text)


def _has_hole(text: str | None) -> bool:
    return text is not None and "\x00" in text


def _valid(pattern: re.Pattern[str], text: str) -> bool:
    """`text` matches `pattern` with every placeholder read as some valid fill (`x`)."""
    if not _has_hole(text):
        return bool(pattern.match(text))
    stripped = _HOLE.sub("", text)
    if stripped == "":
        return True
    return bool(pattern.match(_HOLE.sub("x", text))) or bool(pattern.match(stripped))


def _valid_path(path: str) -> bool:
    return bool(path) and all(component and _valid(_COMPONENT, component) for component in path.split("/"))


def _looks_like_host(component: str) -> bool:
    """Docker's rule: the first component is a registry host when it has a `.` or `:`, or is `localhost`."""
    return "." in component or ":" in component or component == "localhost"


def parse_image(text: str) -> ImageRef | None:
    """The parts of an image reference, or None when `text` is not one."""
    raw = text.strip()
    if not raw or any(ch.isspace() for ch in raw) or "\x00" in raw:
        return None
    masked, holes = _mask(raw)
    if "$" in _HOLE.sub("", masked) or "{" in masked or "}" in masked:
        return None  # a `$VAR` or a placeholder ecrlint cannot delimit
    name, at, digest = masked.partition("@")
    if at and (not digest or "@" in digest or not _valid(_DIGEST, digest)):
        return None
    whole = _repository_url(name, holes)
    if whole is not None:
        head, tag = whole
        unknown = {"account", "region", "domain", "repository"}
        if _has_hole(tag):
            unknown |= {"tag"} | (set() if at else {"digest"})
        return ImageRef(
            text=raw,
            registry=PRIVATE,
            repository=_unmask(head, holes),
            tag=_unmask(tag, holes),
            digest=_unmask(digest or None, holes),
            unknown=frozenset(unknown),
        )

    first, slash, rest = name.partition("/")
    host, path = (first, rest) if slash and _looks_like_host(first) else (None, name)
    tag = None
    if ":" in path:
        path, _, tag = path.rpartition(":")
        if not tag or not _valid(_TAG, tag):
            return None
    if not _valid_path(path):
        return None

    unknown = set()
    if _has_hole(tag):
        unknown |= {"tag"} | (set() if at else {"digest"})
    elif tag is None and not at and _has_hole(path.rsplit("/", 1)[-1]):
        unknown |= {"tag", "digest"}  # the placeholder may carry a tag or digest
    fields: dict[str, str | None] = {}
    repository = path
    if host is None:
        if _has_hole(path.split("/", 1)[0]):
            registry = UNKNOWN  # `${var.image}`, `${var.ns}/app`: the placeholder may hold a registry host
            unknown.add("registry")
        else:
            registry = DOCKER_HUB
            repository = path if "/" in path else f"library/{path}"
    else:
        lowered = host.lower()
        ecr = _ECR_HOST.match(lowered)
        if ecr:
            registry = PRIVATE
            for part in ("account", "region", "domain"):
                fields[part] = ecr.group(part)
                if _has_hole(ecr.group(part)):
                    unknown.add(part)
            fields["endpoint"] = _ENDPOINTS[ecr.group("endpoint")]
        elif _has_hole(host):
            registry = UNKNOWN
            unknown.add("registry")
        elif not _HOST.match(host):
            return None
        elif lowered == PUBLIC_HOST:
            registry = PUBLIC
            if "/" in path:
                fields["alias"], repository = path.split("/", 1)
        elif lowered in DOCKER_HUB_HOSTS:
            registry = DOCKER_HUB
            repository = path if "/" in path else f"library/{path}"
        else:
            registry = OTHER
    if _has_hole(repository):
        unknown.add("repository")
    return ImageRef(
        text=raw,
        registry=registry,
        host=_unmask(host, holes),
        account=_unmask(fields.get("account"), holes),
        region=_unmask(fields.get("region"), holes),
        domain=_unmask(fields.get("domain"), holes),
        endpoint=fields.get("endpoint"),
        alias=_unmask(fields.get("alias"), holes),
        repository=_unmask(repository, holes),
        tag=_unmask(tag, holes),
        digest=_unmask(digest or None, holes),
        unknown=frozenset(unknown),
    )


def _repository_url(name: str, holes: list[str]) -> tuple[str, str | None] | None:
    """(placeholder, tag) when the name is one placeholder for a repository URL, with an optional tag."""
    head, colon, tag = name.partition(":")
    if not _HOLE.fullmatch(head) or not _REPOSITORY_URL.match(_unmask(head, holes) or ""):
        return None
    if colon and (not tag or not _valid(_TAG, tag)):
        return None
    return head, (tag if colon else None)


#: an image whose text is not known at all
UNRESOLVED = ImageRef(text="<unknown>", registry=UNKNOWN, unknown=frozenset(PARTS))


def image_text(value: Value) -> tuple[str | None, bool]:
    """The text of an image value and whether it is fully known (symbolic text for an `Unknown`)."""
    data = value.data
    if isinstance(data, str):
        return data, True
    if isinstance(data, Unknown):
        return data.symbolic, False
    return None, False


def read_image(value: Value) -> ImageRef | None:
    """The image a located value names; `UNRESOLVED` when nothing of it is known, None when it is not a reference.

    A `Branches` value has no single image: read each outcome instead.
    """
    text, exact = image_text(value)
    if text is None:
        return UNRESOLVED if not value.is_known else None
    parsed = parse_image(text)
    if parsed is None and not exact:
        return UNRESOLVED
    return parsed


__all__ = [
    "DOCKER_HUB",
    "DOCKER_HUB_HOSTS",
    "ImageRef",
    "OTHER",
    "PARTS",
    "PRIVATE",
    "PUBLIC",
    "UNKNOWN",
    "UNRESOLVED",
    "image_text",
    "parse_image",
    "read_image",
]
