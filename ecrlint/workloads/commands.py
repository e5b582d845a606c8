"""What one line of a script does, read with patterns (nothing is run).

The patterns look for commands, not for words in prose: a comment line is skipped by the
callers, and each pattern needs the command's own shape (`aws ... ecr get-login`, not just
`get-login`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import Line

# `aws ecr get-login` (AWS CLI v1 only), with global options anywhere before the subcommand.
_GET_LOGIN = re.compile(r"\baws\b[^|;&\n#]*?\becr\s+get-login(?![\w-])")
# An ECR login of either kind, or `docker login` to an ECR host.
_ECR_LOGIN = re.compile(
    r"\baws\b[^|;&\n#]*?\becr\s+get-login(?:-password)?(?![\w-])"
    r"|\b(?:docker|podman|finch|nerdctl)\s+login\b[^|;&\n#]*\.dkr[.-]ecr"
)
_AGENT = re.compile(r"codedeploy-agent|aws-codedeploy-|AWSCodeDeployAgent", re.IGNORECASE)
_ECS_INSTANCE = re.compile(r"ECS_CLUSTER|/etc/ecs/|\becs-init\b|amazon-ecs-agent|\becs\.service\b")
_PUSH = re.compile(r"\b(?:docker|podman|finch|nerdctl)\s+(?:image\s+)?push\b")
_BUILD_PUSH = re.compile(r"\b(?:docker|podman|finch|nerdctl)\s+(?:buildx\s+)?build\b[^|;&\n]*?(?:--push\b|push=true)")
_BUILD = re.compile(r"\b(?:docker|podman|finch|nerdctl)\s+(?:image\s+)?(?:buildx\s+)?build\b")
_RETAG = re.compile(r"\b(?:docker|podman|finch|nerdctl)\s+(?:image\s+)?tag\b")
_TAG_OPTION = re.compile(r"(?:\s-t|\s--tag)(?:\s+|=)(?P<ref>\"[^\"]*\"|'[^']*'|[^\s;&|]+)")
_TOKEN = re.compile(r"\"[^\"]*\"|'[^']*'|[^\s;&|]+")
_VALUE_FLAGS = frozenset({"--platform"})


@dataclass(frozen=True)
class Found:
    line: Line
    start: int  # column range [start, end) within the line
    end: int
    text: str  # the matched command, or the pushed reference as written

    @property
    def span(self):
        return self.line.at(self.start, self.end)


def get_login(line: Line) -> Found | None:
    """`aws ecr get-login` (removed in AWS CLI v2), not `get-login-password`."""
    m = _GET_LOGIN.search(line.text)
    return Found(line, m.start(), m.end(), m.group()) if m else None


def ecr_login(line: Line) -> Found | None:
    """Any login to ECR: `get-login-password`, `get-login`, or `docker login` to an ECR host."""
    m = _ECR_LOGIN.search(line.text)
    return Found(line, m.start(), m.end(), m.group()) if m else None


def agent_install(line: Line) -> Found | None:
    """A line that downloads, installs or starts the CodeDeploy agent."""
    m = _AGENT.search(line.text)
    return Found(line, 0, len(line.text), line.text.strip()) if m else None


def configures_ecs_instance(line: Line) -> bool:
    """The line sets up an ECS container instance (`ECS_CLUSTER=`, `/etc/ecs/ecs.config`, `ecs-init`)."""
    return bool(_ECS_INSTANCE.search(line.text))


def _unquote(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    return token


def pushes(line: Line) -> list[Found]:
    """The references a line pushes: `docker push REF`, or `docker buildx build --push -t REF`."""
    found: list[Found] = []
    for m in _PUSH.finditer(line.text):
        skip_value = False
        for token in _TOKEN.finditer(line.text, m.end()):
            text = token.group()
            if skip_value:
                skip_value = False
                continue
            if text.startswith("-"):
                skip_value = text in _VALUE_FLAGS
                continue
            found.append(Found(line, token.start(), token.end(), _unquote(text)))
            break
    for m in _BUILD_PUSH.finditer(line.text):
        segment_end = len(line.text)
        for stop in "|;&":
            index = line.text.find(stop, m.end())
            if index != -1:
                segment_end = min(segment_end, index)
        segment = line.text[m.start() : segment_end]
        for tag in _TAG_OPTION.finditer(segment):
            start = m.start() + tag.start("ref")
            found.append(Found(line, start, start + len(tag.group("ref")), _unquote(tag.group("ref"))))
    return found


def _segment_end(text: str, start: int) -> int:
    ends = [i for i in (text.find(stop, start) for stop in "|;&") if i != -1]
    return min(ends, default=len(text))


def builds(line: Line) -> list[Found]:
    """The names a line gives to images it makes locally: `docker build -t NAME`, `docker tag SRC NAME`."""
    found: list[Found] = []
    for m in _BUILD.finditer(line.text):
        segment = line.text[m.start() : _segment_end(line.text, m.end())]
        for tag in _TAG_OPTION.finditer(segment):
            start = m.start() + tag.start("ref")
            found.append(Found(line, start, start + len(tag.group("ref")), _unquote(tag.group("ref"))))
    for m in _RETAG.finditer(line.text):
        operands = [t for t in _TOKEN.finditer(line.text, m.end(), _segment_end(line.text, m.end()))]
        operands = [t for t in operands if not t.group().startswith("-")]
        if len(operands) >= 2:
            target = operands[1]
            found.append(Found(line, target.start(), target.end(), _unquote(target.group())))
    return found
