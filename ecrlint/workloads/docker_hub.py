"""ECR504: a workload pulls its image from Docker Hub directly instead of through a pull through cache."""

from __future__ import annotations

from collections.abc import Iterator

from ..checks import CheckContext, match, undecided
from ..findings import Match, Undecided
from ..images import DOCKER_HUB, UNKNOWN
from ..model import Model
from ..model.objects import PullThroughCacheRule
from ..values import Value
from .consumers import ImageUse, Unreadable, workload_images
from .outcomes import when

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
        if use.image.registry != DOCKER_HUB:
            continue
        yield match(
            use.obj,
            f"{use.what} pulls {use.written} from Docker Hub directly{when(use.condition)}: Docker Hub limits pull "
            f"rates and the image can change or disappear upstream, with no private copy; {_advice(use, caches)}",
            use.value,
            pointer=use.pointer,
        )
