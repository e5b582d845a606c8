"""ECR604: an image named by `:latest`, or with no tag or digest (which means `:latest`).

Read in ECS task definitions, Lambda functions, CodeBuild build images and Dockerfile `FROM`
lines. A tag or digest that comes from an unresolved value is undecided, never a finding.
"""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.images import ImageRef, parse_image
from ecrlint.model import Model
from ecrlint.model.objects import Dockerfile
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import when
from ecrlint.workloads.consumers import Unreadable, workload_images
from ecrlint.workloads.dockerfiles import base_images

FIX = (
    "what runs changes whenever the tag is moved, and a rollback cannot name the old image; pin a version tag "
    "from a repository with immutable tags, or a digest (@sha256:...)"
)


def problem(image: ImageRef) -> str:
    if image.tag == "latest":
        return "by the mutable tag latest"
    return "with no tag or digest, which means :latest"


def check_mutable_image_reference(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    for use in workload_images(model):
        if isinstance(use, Unreadable):
            yield undecided(use.obj, use.reason, use.value, use.pointer)
            continue
        if use.image is None:
            continue
        mutable = use.image.mutable
        if mutable is None:
            why = use.value.unknown_reason() or "a placeholder may carry the tag"
            yield undecided(use.obj, f"the tag of {use.what} is not known: {why}", use.value, use.pointer)
        elif mutable:
            yield match(
                use.obj,
                f"{use.what} refers to image {use.written} {problem(use.image)}{when(use.conditions)}: {FIX}",
                use.value,
                pointer=use.pointer,
            )
    for dockerfile in model.of(Dockerfile):
        for base in base_images(dockerfile):
            image = parse_image(base.reference)
            if image is None:
                continue
            where = f"line {base.found.line.number} of Dockerfile {dockerfile.span.path}"
            if image.mutable is None:
                yield undecided(dockerfile, f"the tag of the base image on {where} is not known", None)
                continue
            if image.mutable:
                yield match(
                    dockerfile,
                    f"FROM {base.found.text} on {where} refers to the base image {problem(image)}: {FIX}",
                    dockerfile.text.at(base.found.span) if dockerfile.text is not None else None,
                    pointer=f"line {base.found.line.number}",
                )
