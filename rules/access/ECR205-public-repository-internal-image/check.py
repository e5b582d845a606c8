"""ECR205 public-repository-internal-image: a public repository whose name, tags or pushers say it holds internal images."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ecrlint.iam.arns import scalar_text
from ecrlint.iam.report import (
    Result,
)
from ecrlint.model import Model
from ecrlint.model.objects import (
    CodeBuildProject,
    PublicRepository,
)
from ecrlint.rule_api import CheckContext, match, undecided
from ecrlint.values import Value, when


def _marker_pattern(markers: Iterable[str]) -> re.Pattern[str] | None:
    words = [re.escape(m.strip()) for m in markers if m and m.strip()]
    if not words:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(" + "|".join(words) + r")s?(?![A-Za-z0-9])", re.IGNORECASE)


def _split_words(text: str) -> str:
    """`corpTools` -> `corp Tools`, so camel case counts as separate words."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text)


def _tag_values(tags: Value | None) -> list[tuple[str, str, Value]]:
    """(label, pointer, value) for every tag key and value, from a map (Terraform) or a Key/Value list."""
    if tags is None:
        return []
    found: list[tuple[str, str, Value]] = []
    if tags.is_map:
        for key, value in tags.items():
            found.append((f"tag key {key}", f"tags.{key}", Value(key, value.span)))
            found.append((f"tag {key}", f"tags.{key}", value))
    elif tags.is_list:
        for index, item in enumerate(tags.elements()):
            key = item.get_ci("Key")
            value = item.get_ci("Value")
            name = str(key.data) if key is not None and key.is_known else str(index)
            if key is not None:
                found.append((f"tag key {name}", f"Tags[{index}]", key))
            if value is not None:
                found.append((f"tag {name}", f"Tags[{index}]", value))
    else:
        found.append(("tags", "tags", tags))
    return found


_PUBLIC_PUSH = re.compile(
    r"\bpush\b[^\n]*?public\.ecr\.aws/[a-z0-9._-]+/([a-z0-9._/-]+?)(?=[:@\s\"']|$)", re.IGNORECASE | re.MULTILINE
)


_PRIVATE_URI = re.compile(r"[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com", re.IGNORECASE)


def _pushers(model: Model) -> dict[str, list[str]]:
    """Public repository names pushed to by a build that also uses private repositories -> build addresses."""
    found: dict[str, list[str]] = {}
    for project in model.of(CodeBuildProject):
        texts = []
        for value in (project.buildspec, project.image):
            if value is not None:
                text, _ = scalar_text(value)
                if text:
                    texts.append(text)
        joined = "\n".join(texts)
        if not _PRIVATE_URI.search(joined):
            continue
        for m in _PUBLIC_PUSH.finditer(joined):
            found.setdefault(m.group(1).lower(), []).append(project.address)
    return found


def check_public_repository_internal_image(model: Model, ctx: CheckContext) -> Iterator[Result]:
    """ECR205: an ECR Public repository whose name, catalog text or tags look internal."""
    pattern = _marker_pattern(ctx.options.internal_markers)
    pushers = _pushers(model)
    for repo in model.of(PublicRepository):
        fields: list[tuple[str, str, Value | None]] = [
            ("name", "repository_name", repo.name),
            ("description", "catalog_data.description", repo.description),
            ("about text", "catalog_data.about_text", repo.about_text),
            ("usage text", "catalog_data.usage_text", repo.usage_text),
        ]
        fields.extend(_tag_values(repo.tags))
        for label, pointer, field_value in fields:
            if field_value is None or pattern is None:
                continue
            for conditions, value in field_value.outcomes():
                if value.data is None and conditions:
                    continue  # that branch leaves the field out
                branch = when(conditions)
                text, exact = scalar_text(value)
                if text is None:
                    if value.is_unknown or value.is_branches:
                        reason = value.unknown_reason()
                        yield undecided(repo, f"{label} of public repository is undecided{branch}: {reason}", value)
                    continue
                hits = sorted({m.group(1).lower() for m in pattern.finditer(_split_words(text))})
                if hits:
                    shown = text if len(text) <= 60 else text[:57] + "..."
                    yield match(
                        repo,
                        f"ECR Public repository {repo.display_name()} is readable by anyone, yet its {label} "
                        f'"{shown}" contains internal marker(s) {", ".join(hits)}{branch}',
                        value,
                        pointer=pointer,
                    )
                elif not exact:
                    yield undecided(repo, f"{label} of public repository is only partly known{branch}: {text}", value)
        name, exact = scalar_text(repo.name) if repo.name is not None else (None, False)
        if name and exact and name.lower() in pushers:
            builds = ", ".join(sorted(set(pushers[name.lower()])))
            yield match(
                repo,
                f"ECR Public repository {name} receives pushes from {builds}, which also uses private ECR "
                "repositories: images built for internal use may end up public",
                repo.name,
                pointer="repository_name",
            )
