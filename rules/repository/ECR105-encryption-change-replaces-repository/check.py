"""Checks that read Terraform plan changes (`obj.extra["change"]`, filled by the plan adapter)."""

from __future__ import annotations

from collections.abc import Iterator

from ecrlint.findings import Match
from ecrlint.model import Model
from ecrlint.model.objects import Repository
from ecrlint.rule_api import CheckContext, match
from ecrlint.values import Value

ENCRYPTION_BLOCK = "encryption_configuration"


def _is_replacement(actions: list) -> bool:
    return "delete" in actions and "create" in actions


def _encryption_text(state: Value | None) -> str:
    """`KMS (arn:...)`, `AES256`, or `default (AES256)` for an encryption block in before/after."""
    block = state.get(ENCRYPTION_BLOCK) if state is not None and state.is_map else None
    first = block.data[0] if block is not None and isinstance(block.data, list) and block.data else None
    if first is None or not first.is_map:
        return "default (AES256)"
    etype = first.get("encryption_type")
    key = first.get("kms_key")
    text = etype.text() if etype is not None and etype.is_known and etype.data else "AES256"
    if key is not None and key.is_known and key.data:
        text += f" with key {key.data}"
    return text


def check_encryption_change_replaces_repository(model: Model, ctx: CheckContext) -> Iterator[Match]:
    """ECR105: a planned replacement of a repository caused by its encryption configuration."""
    for repo in model.of(Repository):
        change = repo.extra.get("change")
        if not isinstance(change, dict) or not _is_replacement(change.get("actions") or []):
            continue
        replace_paths: Value | None = change.get("replace_paths")
        before: Value | None = change.get("before")
        if replace_paths is not None and isinstance(replace_paths.data, list):
            causes = [p for p in replace_paths.data if p.is_list and p.data and p.data[0].data == ENCRYPTION_BLOCK]
            if not causes:
                continue
            where = causes[0]
        else:
            # Plans from Terraform before 1.2 have no replace_paths: compare the blocks themselves.
            if before is None or _encryption_text(before) == _encryption_text(_after(change)):
                continue
            where = change.get("actions_value") or None
        was = _encryption_text(before)
        will = _repository_encryption(repo)
        yield match(
            repo,
            f"{repo.display_name()} will be replaced because its encryption configuration changes "
            f"({was} -> {will}): deleting the repository deletes every image in it",
            where,
            pointer=ENCRYPTION_BLOCK,
        )


def _after(change: dict) -> Value | None:
    whole = change.get("value")
    body = whole.get("change") if isinstance(whole, Value) else None
    return body.get("after") if body is not None else None


def _repository_encryption(repo: Repository) -> str:
    etype = repo.encryption_type
    if etype is None or not etype.is_known:
        text = "default (AES256)" if etype is None else etype.text()
    else:
        text = etype.text()
    key = repo.kms_key
    if key is not None and key.is_known and key.data:
        text += f" with key {key.data}"
    elif key is not None and not key.is_known:
        text += " with a key known after apply"
    return text
