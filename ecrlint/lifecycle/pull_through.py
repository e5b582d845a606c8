"""Lifecycle policies of repositories that a pull through cache serves: ECR402 and ECR404 skip them.

Such a repository holds copies of an upstream registry's images; an image the policy expires is
fetched again on the next pull, so expiring `latest` or every image loses nothing. A repository is
served by a cache rule when its name starts with the rule's `ecr_repository_prefix` and a `/`; a
creation template applied only for `PULL_THROUGH_CACHE` creates only such repositories. A `ROOT`
prefix exempts nothing: the repositories it covers may also hold images pushed to them.
"""

from __future__ import annotations

from ..model import LifecyclePolicy, Model, ModelObject, PullThroughCacheRule, Repository, RepositoryCreationTemplate
from ..relations import unit_of
from ..values import Value


def _text(value: Value | None) -> str | None:
    if value is not None and value.is_known and isinstance(value.data, str):
        return value.data
    return None


def _same_region(a: ModelObject, b: ModelObject) -> bool:
    ra, rb = _text(a.region), _text(b.region)
    return ra is None or rb is None or ra == rb


def _repositories_by_policy(model: Model) -> dict[int, list[Repository]]:
    """id of each lifecycle policy -> the repositories it is bound to, in the model's order."""
    index: dict[int, list[Repository]] = {}
    for repo in model.of(Repository):
        for policy in {id(p): p for p in repo.lifecycle_policies}:
            index.setdefault(policy, []).append(repo)
    return index


def _repository_names(model: Model, obj: ModelObject) -> list[str | None]:
    """Names of the repositories a lifecycle policy source applies to (None for a name not known)."""
    if isinstance(obj, Repository):
        return [_text(obj.name)]
    linked = model.derived("lifecycle_policy_repositories", _repositories_by_policy).get(id(obj))
    if linked:
        return [_text(r.name) for r in linked]
    name = _text(obj.repository) if isinstance(obj, LifecyclePolicy) else None
    return [name.rsplit("repository/", 1)[-1] if name else None]


def served_by_cache(model: Model, obj: ModelObject) -> tuple[bool, str | None]:
    """(True, None) when every repository the policy of `obj` applies to is served by a pull through
    cache; (False, reason) when that cannot be decided; (False, None) otherwise."""
    if isinstance(obj, RepositoryCreationTemplate):
        applied = obj.applied_for
        if applied is None:
            return False, None
        values = applied.plain() if applied.is_known else None
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return False, "whether the creation template applies only to pull through cache repositories is not known"
        return bool(values) and set(values) == {"PULL_THROUGH_CACHE"}, None
    rules = [r for r in model.of(PullThroughCacheRule) if _same_region(r, obj)]
    if not rules:
        return False, None
    prefixes = [p for p in (_text(r.ecr_repository_prefix) for r in rules) if p and p != "ROOT"]
    names = _repository_names(model, obj)
    served = [n for n in names if n and any(n.startswith(p.rstrip("/") + "/") for p in prefixes)]
    if names and len(served) == len(names):
        return True, None
    # A rule of another deployment unit may serve another registry: only the policy's own unit can leave
    # the question open.
    unit = unit_of(obj)
    local = [r for r in rules if unit_of(r) == unit]
    if local and (None in names or any(_text(r.ecr_repository_prefix) is None for r in local)):
        return False, "whether a pull through cache rule serves the repository is not known"
    return False, None
