"""ECR504: a workload pulls its image from Docker Hub directly instead of through a pull through cache.

A name without a registry host reads as Docker Hub, but an image that the same configuration builds
itself (`docker build -t app .` or `docker tag` in EC2 user data, or in a buildspec) is the local
image of that name, not Docker Hub's: it is not reported. A Dockerfile alone does not count: it does
not say which name its image gets.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.images import DOCKER_HUB, UNKNOWN, parse_image
from ecrlint.model import Model
from ecrlint.model.objects import BuildSpecFile, CodeBuildProject, Ec2Instance, Ec2LaunchTemplate, PullThroughCacheRule
from ecrlint.relations import unit_of
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Value, when
from ecrlint.workloads.buildspecs import inline_script
from ecrlint.workloads.commands import builds
from ecrlint.workloads.consumers import ImageUse, Unreadable, workload_images
from ecrlint.workloads.text import code_lines

DOCKER_HUB_UPSTREAMS = frozenset({"registry-1.docker.io", "docker.io", "index.docker.io"})


def _text(value: Value | None) -> str | None:
    if value is not None and value.is_known and isinstance(value.data, str):
        return value.data
    return None


def docker_hub_caches(model: Model) -> list[tuple[PullThroughCacheRule, str | None]]:
    """Pull through cache rules whose upstream is Docker Hub, with their repository prefix when known."""
    found = []
    for rule in model.of(PullThroughCacheRule):
        upstream = (_text(rule.upstream_registry_url) or "").lower()
        kind = (
            _text(rule.extra.get("upstream_registry"))
            if isinstance(rule.extra.get("upstream_registry"), Value)
            else None
        )
        if upstream in DOCKER_HUB_UPSTREAMS or kind == "docker-hub":
            found.append((rule, _text(rule.ecr_repository_prefix)))
    return found


def _name_key(text: str) -> tuple[str, str] | None:
    image = parse_image(text)
    if image is None or image.registry != DOCKER_HUB or image.repository is None or image.digest:
        return None
    return image.repository, image.tag or "latest"


def local_builds(model: Model) -> dict[str, set[tuple[str, str]]]:
    """Unit -> the (repository, tag) names its scripts build locally; buildspec files count for every unit."""
    found: dict[str, set[tuple[str, str]]] = {}
    for obj in model.objects:
        if isinstance(obj, BuildSpecFile):
            text, unit = obj.text, ""
        elif isinstance(obj, CodeBuildProject):
            script = inline_script(obj)
            text, unit = (script.value if script is not None else None), unit_of(obj)
        elif isinstance(obj, (Ec2LaunchTemplate, Ec2Instance)):
            text, unit = obj.user_data, unit_of(obj)
        else:
            continue
        for line in code_lines(text) if text is not None else ():
            for built in builds(line):
                key = _name_key(built.text)
                if key is not None:
                    found.setdefault(unit, set()).add(key)
    return found


def _built_here(use: ImageUse, built: dict[str, set[tuple[str, str]]]) -> bool:
    key = _name_key(use.written)
    return key is not None and (key in built.get(unit_of(use.obj), set()) or key in built.get("", set()))


def _advice(use: ImageUse, caches: list[tuple[PullThroughCacheRule, str | None]]) -> str:
    image = use.image
    path = image.repository if image is not None else "<repository>"
    suffix = f":{image.tag}" if image is not None and image.tag else ""
    for rule, prefix in caches:
        if prefix and prefix != "ROOT":
            return (
                f"pull it through the pull through cache rule {rule.address} instead: "
                f"<account>.dkr.ecr.<region>.amazonaws.com/{prefix}/{path}{suffix}"
            )
    return (
        "add a pull through cache rule for registry-1.docker.io (with a Docker Hub credential in Secrets Manager) and "
        f"pull <account>.dkr.ecr.<region>.amazonaws.com/<prefix>/{path}{suffix} instead"
    )


def check_docker_hub_direct_pull(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    caches = docker_hub_caches(model)
    built = local_builds(model)
    for use in workload_images(model):
        if isinstance(use, Unreadable):
            yield undecided(use.obj, use.reason, use.value, use.pointer)
            continue
        if use.image is None:
            continue  # not an image reference at all: not a question of registries
        if use.image.registry == UNKNOWN:
            why = use.value.unknown_reason() or "a part of the reference is not known"
            yield undecided(use.obj, f"the registry of {use.what} is not known: {why}", use.value, use.pointer)
            continue
        if use.image.registry != DOCKER_HUB or _built_here(use, built):
            continue
        yield match(
            use.obj,
            f"{use.what} pulls {use.written} from Docker Hub directly{when(use.conditions)}: Docker Hub limits pull "
            f"rates and the image can change or disappear upstream, with no private copy; {_advice(use, caches)}",
            use.value,
            pointer=use.pointer,
        )
