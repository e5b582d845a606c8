"""Every image a workload names: ECS containers, Lambda functions, CodeBuild build environments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..images import ImageRef, image_text, read_image
from ..model import Model, ModelObject
from ..model.objects import CodeBuildProject, EcsTaskDefinition, LambdaFunction
from ..values import Value

#: CodeBuild's curated images (`aws/codebuild/standard:7.0`) come from CodeBuild, not from Docker Hub
CODEBUILD_CURATED = "aws/codebuild/"


@dataclass(frozen=True)
class ImageUse:
    obj: ModelObject
    value: Value  # the located image value
    image: ImageRef | None  # None: known text that is not an image reference
    what: str  # "container app of task definition web", for messages
    conditions: tuple[str, ...] = ()  # the branch this value belongs to (`values.when` names it)
    pointer: str = ""

    @property
    def written(self) -> str:
        text, _ = image_text(self.value)
        return text if text is not None else "<unknown>"


@dataclass(frozen=True)
class Unreadable:
    """A place where images are named but could not be read (unknown container definitions)."""

    obj: ModelObject
    reason: str
    value: Value
    pointer: str = ""


def label(obj: ModelObject) -> str:
    """How messages name a workload: its name (or family) when known, else its address."""
    for attr in ("name", "family"):
        value = getattr(obj, attr, None)
        if isinstance(value, Value) and value.is_known and isinstance(value.data, str):
            return value.data
    return obj.address


def _uses(obj, value: Value | None, what: str, conditions: tuple[str, ...], pointer: str) -> Iterator[ImageUse]:
    for inner, item in value.outcomes() if value is not None else ():
        yield ImageUse(obj, item, read_image(item), what, (*conditions, *inner), pointer)


def task_images(task: EcsTaskDefinition) -> Iterator[ImageUse | Unreadable]:
    definitions_value = task.container_definitions
    for conditions, definitions in definitions_value.outcomes() if definitions_value is not None else ():
        if not definitions.is_list:
            reason = definitions.unknown_reason() or "container definitions are not a list"
            yield Unreadable(task, f"container definitions of {label(task)} are not known: {reason}", definitions)
            continue
        for index, container in enumerate(definitions.data):
            pointer = f"container_definitions[{index}].image"
            if not container.is_map:
                reason = container.unknown_reason() or "a container definition is not an object"
                yield Unreadable(task, f"a container of {label(task)} is not known: {reason}", container, pointer)
                continue
            image = container.get("image")
            if image is None:
                continue
            name = container.get("name")
            who = name.data if name is not None and isinstance(name.data, str) else f"#{index + 1}"
            yield from _uses(task, image, f"container {who} of task definition {label(task)}", conditions, pointer)


def lambda_images(function: LambdaFunction) -> Iterator[ImageUse]:
    yield from _uses(function, function.image_uri, f"Lambda function {label(function)}", (), "image_uri")


def codebuild_images(project: CodeBuildProject) -> Iterator[ImageUse]:
    for use in _uses(project, project.image, f"CodeBuild project {label(project)}", (), "environment.image"):
        text, _ = image_text(use.value)
        if text is not None and text.startswith(CODEBUILD_CURATED):
            continue
        yield use


def workload_images(model: Model) -> Iterator[ImageUse | Unreadable]:
    """Images of every ECS task definition, Lambda function and CodeBuild project, in model order."""
    for obj in model.objects:
        if isinstance(obj, EcsTaskDefinition):
            yield from task_images(obj)
        elif isinstance(obj, LambdaFunction):
            yield from lambda_images(obj)
        elif isinstance(obj, CodeBuildProject):
            yield from codebuild_images(obj)
