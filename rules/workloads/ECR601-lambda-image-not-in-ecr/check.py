"""ECR601: a container-image Lambda function whose image is not in private ECR in its own Region."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match, Undecided
from ecrlint.iam.arns import scalar_text
from ecrlint.images import PRIVATE, UNKNOWN, ImageRef
from ecrlint.model import Model
from ecrlint.model.objects import LambdaFunction
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import when
from ecrlint.workloads.consumers import ImageUse, label, lambda_images


def _is_image_function(function: LambdaFunction) -> bool | None:
    """Whether the function is packaged as an image (None: the package type is not known)."""
    answers = []
    for _, value in function.package_type.outcomes() if function.package_type is not None else []:
        answers.append(value.data == "Image" if value.is_known else None)
    if any(a is True for a in answers):
        return True
    return None if any(a is None for a in answers) else False


def _same_region(function: LambdaFunction, image: ImageRef) -> bool | None:
    if function.region is None or image.region is None:
        return None
    text, exact = scalar_text(function.region)
    if text is None:
        return None
    if exact and image.known("region"):
        return text == image.region
    if not exact and not image.known("region") and text == image.region:
        return True  # the same placeholder, e.g. both the stack's ${AWS::Region}
    return None


def _findings(function: LambdaFunction, use: ImageUse) -> Iterator[Match | Undecided]:
    image, branch = use.image, when(use.conditions)
    name = label(function)
    if image is None:
        yield match(
            function,
            f"Lambda function {name} names image {use.written}{branch}, which is not a valid image reference; "
            "use the URI of an image in a private ECR repository in the function's Region",
            use.value,
            pointer=use.pointer,
        )
        return
    if image.registry == UNKNOWN:
        reason = use.value.unknown_reason() or "a part of the image URI is not known"
        yield undecided(function, f"the registry of Lambda function {name}'s image is not known: {reason}", use.value)
        return
    if image.registry != PRIVATE:
        yield match(
            function,
            f"Lambda function {name} uses image {use.written}{branch}, which is on {image.registry_name()}: Lambda "
            "runs container images only from a private ECR repository in the function's own Region; copy the image "
            "into a private repository (a pull through cache rule can keep it in sync) and use its "
            "<account>.dkr.ecr.<region>.amazonaws.com URI",
            use.value,
            pointer=use.pointer,
        )
        return
    if image.endpoint == "fips":
        yield match(
            function,
            f"Lambda function {name} uses image {use.written}{branch} through the ECR FIPS endpoint (dkr.ecr-fips), "
            "which Lambda does not support for container images; use the dkr.ecr host of the same repository",
            use.value,
            pointer=use.pointer,
        )
        return
    same = _same_region(function, image)
    if same is False:
        region, _ = scalar_text(function.region)
        yield match(
            function,
            f"Lambda function {name} runs in {region} but its image {use.written}{branch} is in a repository in "
            f"{image.region}: Lambda pulls images only from its own Region; replicate the repository to {region} "
            "and use that URI",
            use.value,
            pointer=use.pointer,
        )
    elif same is None:
        yield undecided(
            function,
            f"whether Lambda function {name} and its image repository share a Region is not known",
            use.value,
            use.pointer,
        )


def check_lambda_image_not_in_ecr(model: Model, ctx: CheckContext) -> Iterator[Match | Undecided]:
    for function in model.of(LambdaFunction):
        if function.image_uri is None:
            continue
        kind = _is_image_function(function)
        if kind is False:
            continue
        if kind is None:
            why = function.package_type.unknown_reason() if function.package_type is not None else None
            yield undecided(function, f"the package type is not known: {why or 'undecided'}", function.package_type)
            continue
        for use in lambda_images(function):
            yield from _findings(function, use)
