"""`FROM` lines of a Dockerfile: the base image of each build stage.

`ARG` defaults declared before the first `FROM` fill `$NAME` in later `FROM` lines (a default is
what the build uses unless told otherwise, as a Terraform variable default is). A `FROM` that
names an earlier stage, or `scratch`, pulls nothing and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model.objects import Dockerfile
from .commands import Found
from .shell import add_variable, expand
from .text import lines

_FROM = re.compile(r"^\s*FROM\s+", re.IGNORECASE)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)(?:=(\S*))?\s*$", re.IGNORECASE)
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class BaseImage:
    found: Found  # the image token of the FROM line
    reference: str  # with ARG defaults filled in; unresolved names as `${NAME}`


def base_images(dockerfile: Dockerfile) -> list[BaseImage]:
    result: list[BaseImage] = []
    variables: dict[str, object] = {}
    stages: set[str] = set()
    seen_from = False
    for line in lines(dockerfile.text):
        if line.is_comment:
            continue
        arg = _ARG.match(line.text)
        if arg and not seen_from:
            if arg.group(2) is not None:
                add_variable(variables, arg.group(1), arg.group(2).strip("\"'"))
            continue
        m = _FROM.match(line.text)
        if m is None:
            continue
        seen_from = True
        tokens = list(_TOKEN.finditer(line.text, m.end()))
        while tokens and tokens[0].group().startswith("--"):
            tokens.pop(0)
        if not tokens:
            continue
        image = tokens[0]
        rest = [t.group() for t in tokens[1:]]
        reference = expand(image.group(), variables)
        earlier = reference.lower() in stages
        if len(rest) >= 2 and rest[0].lower() == "as":
            stages.add(rest[1].lower())
        if reference.lower() == "scratch" or earlier:
            continue
        result.append(BaseImage(Found(line, image.start(), image.end(), image.group()), reference))
    return result
