"""The buildspec a CodeBuild project runs, and what its commands push.

A project's `buildspec` is inline text (several lines), a file name relative to the source root
(`ci/buildspec.yml`), or absent (CodeBuild reads `buildspec.yml` at the source root). A file name
links the project to the one buildspec file in the analysed set whose path ends with it; an absent
buildspec links to the nearest `buildspec.yml` in the project's own folder or a folder above it.
When no single file fits, the buildspec is not known.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from ..images import ImageRef, image_text, parse_image
from ..model import Model, ModelObject
from ..model.objects import BuildSpecFile, CodeBuildProject
from ..values import Value
from .commands import Found, pushes
from .consumers import label
from .shell import add_variable, buildspec_variables, expand
from .text import lines

_FILE_NAME = re.compile(r"^[\w./-]+\.ya?ml$")
DEFAULT_NAMES = ("buildspec.yml", "buildspec.yaml")


@dataclass(frozen=True)
class Script:
    value: Value  # the buildspec text
    owner: ModelObject  # the BuildSpecFile, or the project for an inline buildspec
    what: str  # for messages


@dataclass(frozen=True)
class Push:
    found: Found  # the pushed reference as written in the command
    reference: str  # with variables expanded; unknown parts as `${NAME}`
    image: ImageRef | None  # None: not an image reference


def _directory(obj: ModelObject) -> str:
    return posixpath.dirname(obj.span.path.replace("\\", "/"))


def _is_at_or_above(folder: str, below: str) -> bool:
    return folder == "" or below == folder or below.startswith(folder.rstrip("/") + "/")


def _file_script(spec: BuildSpecFile) -> Script | None:
    if spec.text is None:
        return None
    return Script(spec.text, spec, f"buildspec {spec.span.path}")


def linked_file(project: CodeBuildProject, model: Model, name: str | None) -> tuple[BuildSpecFile | None, str]:
    """The buildspec file a project names (None: the default `buildspec.yml`), and why when none fits."""
    files: list[BuildSpecFile] = model.of(BuildSpecFile)
    if name is not None:
        wanted = posixpath.normpath(name.lstrip("./")) if name.startswith("./") else posixpath.normpath(name)
        found = [f for f in files if f.span.path == wanted or f.span.path.endswith("/" + wanted)]
        if len(found) == 1:
            return found[0], ""
        why = "no file" if not found else f"{len(found)} files"
        return None, f"buildspec {name} of {label(project)}: {why} in the analysed set end with that path"
    home = _directory(project)
    candidates = [
        f for f in files if posixpath.basename(f.span.path) in DEFAULT_NAMES and _is_at_or_above(_directory(f), home)
    ]
    if not candidates:
        return None, f"{label(project)} reads buildspec.yml from its source, which is not in the analysed set"
    nearest = max(len(_directory(f)) for f in candidates)
    closest = [f for f in candidates if len(_directory(f)) == nearest]
    if len(closest) > 1:
        return None, f"several buildspec files could be the one {label(project)} reads"
    return closest[0], ""


def project_script(project: CodeBuildProject, model: Model) -> tuple[Script | None, str]:
    """The buildspec a project runs, or why it is not known."""
    value = project.buildspec
    if value is None:
        spec, why = linked_file(project, model, None)
        script = _file_script(spec) if spec is not None else None
        return script, why
    text, exact = image_text(value)
    if text is None:
        return None, f"the buildspec of {label(project)} is not known: {value.unknown_reason() or 'not text'}"
    if "\n" not in text.strip():
        if exact and _FILE_NAME.match(text.strip()):
            spec, why = linked_file(project, model, text.strip())
            script = _file_script(spec) if spec is not None else None
            return script, why
        if not exact:
            return None, f"the buildspec of {label(project)} is not known: {value.unknown_reason()}"
    return Script(value, project, f"the inline buildspec of CodeBuild project {label(project)}"), ""


def inline_script(project: CodeBuildProject) -> Script | None:
    """The project's buildspec when it is written inline (several lines of text)."""
    value = project.buildspec
    if value is None:
        return None
    text, _ = image_text(value)
    if text is None or "\n" not in text.strip():
        return None
    return Script(value, project, f"the inline buildspec of CodeBuild project {label(project)}")


def project_variables(project: CodeBuildProject | None) -> dict[str, object]:
    """Plain-text environment variables of the project (symbolic text where a value is unresolved)."""
    variables: dict[str, object] = {}
    if project is None:
        return variables
    for item in project.extra.get("environment_variables") or []:
        if not isinstance(item, Value) or not item.is_map:
            continue
        name, value, kind = item.get("name"), item.get("value"), item.get("type")
        if name is None or not isinstance(name.data, str) or value is None:
            continue
        if kind is not None and (not kind.is_known or kind.data not in ("PLAINTEXT", None)):
            continue  # a parameter or secret name, not the value
        text, _ = image_text(value)
        if text is not None:
            add_variable(variables, name.data, text)
    return variables


def script_pushes(script: Script, project: CodeBuildProject | None = None) -> list[Push]:
    """The images a buildspec pushes, with variables from the buildspec and the project expanded."""
    script_lines = lines(script.value)
    variables = project_variables(project)
    for name, value in buildspec_variables(script_lines).items():
        if isinstance(value, str):
            add_variable(variables, name, value)
        else:
            variables[name] = value
    result: list[Push] = []
    for line in script_lines:
        if line.is_comment:
            continue
        for found in pushes(line):
            reference = expand(found.text, variables)
            result.append(Push(found, reference, parse_image(reference)))
    return result
