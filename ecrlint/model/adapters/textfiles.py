"""Plain-text inputs read line by line: Dockerfiles and CodeBuild buildspec files.

Rules that look for commands (a deprecated `aws ecr get-login`, a CodeDeploy agent install,
`docker push`) read these as text with their line numbers; nothing in them is executed.
"""

from __future__ import annotations

import os
import re

from ...source import SourceFile, Span, UnreadableInput, read_limited
from ...values import Value
from ..objects import BuildSpecFile, Dockerfile
from . import AdapterContext, AdapterResult, file_error

_BUILDSPEC_NAME = re.compile(r"^buildspec[\w.-]*\.ya?ml$", re.I)


def is_buildspec(source: SourceFile) -> bool:
    return source.kind == "yaml" and bool(_BUILDSPEC_NAME.match(os.path.basename(source.path)))


def build(files: list[SourceFile], ctx: AdapterContext) -> AdapterResult:
    result = AdapterResult()
    for source in files:
        cls = Dockerfile if source.kind == "dockerfile" else BuildSpecFile if is_buildspec(source) else None
        if cls is None:
            continue
        try:
            text = read_limited(source.abspath)
        except UnreadableInput as err:
            if source.kind == "dockerfile" and "larger" not in err.message:
                continue  # a binary file named like a Dockerfile is nothing of ours
            result.diagnostics.append(file_error(source, err.message, err.line, err.col))
            continue
        except OSError as err:
            result.diagnostics.append(file_error(source, f"cannot read file: {err.strerror or err}"))
            continue
        lines = max(1, text.count("\n") + (0 if text.endswith("\n") else 1))
        span = Span(source.path, 1, 1, lines, 1)
        obj = cls(address=source.path, span=span, source_format=source.kind, resource_type=cls.kind)
        obj.text = Value(text, span, text_line_offset=0)
        result.objects.append(obj)
    return result
