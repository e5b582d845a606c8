"""Where resource policies are in the model, what each governs, and the analysis of each."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Model, ModelObject
from ..model.objects import (
    PublicRepository,
    PublicRepositoryPolicy,
    RegistryPolicy,
    Repository,
    RepositoryCreationTemplate,
    RepositoryPolicy,
)
from ..model.policy import PolicyDocument
from ..rule_api import CheckContext
from . import actions as act
from .accounts import Owner, owner_account
from .statements import PolicyAnalysis, StatementView, analyze_policy

REPOSITORY = "repository"


REGISTRY = "registry"


PUBLIC = "public-repository"


TEMPLATE = "template"


#: what registry policies exist for: replication into the registry and pull through cache
REGISTRY_ACTIONS = frozenset({"ecr:ReplicateImage", "ecr:CreateRepository", "ecr:BatchImportUpstreamImage"})


@dataclass(frozen=True)
class PolicySource:
    """A resource policy in the model and what it governs."""

    obj: ModelObject
    document: PolicyDocument
    scope: str  # repository | registry | public-repository | template
    prefix: str  # pointer prefix for documents nested in their resource ("" for policy resources)

    @property
    def namespace(self) -> str:
        return act.PUBLIC if self.scope == PUBLIC else act.PRIVATE

    @property
    def what(self) -> str:
        return {
            REPOSITORY: "repository policy",
            REGISTRY: "registry policy",
            PUBLIC: "public repository policy",
            TEMPLATE: "repository creation template policy",
        }[self.scope]

    def pointer(self, view: StatementView) -> str:
        return f"{self.prefix}{view.pointer}"


def resource_policies(model: Model, *scopes: str) -> list[PolicySource]:
    """Every repository, registry, public repository and creation-template policy in the model."""
    wanted = set(scopes) or {REPOSITORY, REGISTRY, PUBLIC, TEMPLATE}
    found: list[PolicySource] = []
    for obj in model.objects:
        if isinstance(obj, RepositoryPolicy) and REPOSITORY in wanted and obj.document is not None:
            found.append(PolicySource(obj, obj.document, REPOSITORY, ""))
        elif isinstance(obj, Repository) and REPOSITORY in wanted and obj.inline_policy is not None:
            found.append(PolicySource(obj, obj.inline_policy, REPOSITORY, "repository_policy."))
        elif isinstance(obj, RegistryPolicy) and REGISTRY in wanted and obj.document is not None:
            found.append(PolicySource(obj, obj.document, REGISTRY, ""))
        elif isinstance(obj, PublicRepositoryPolicy) and PUBLIC in wanted and obj.document is not None:
            found.append(PolicySource(obj, obj.document, PUBLIC, ""))
        elif isinstance(obj, PublicRepository) and PUBLIC in wanted and obj.inline_policy is not None:
            found.append(PolicySource(obj, obj.inline_policy, PUBLIC, "repository_policy."))
        elif isinstance(obj, RepositoryCreationTemplate) and TEMPLATE in wanted and obj.repository_policy is not None:
            found.append(PolicySource(obj, obj.repository_policy, TEMPLATE, "repository_policy."))
    return found


def analysis_of(model: Model, document: PolicyDocument) -> PolicyAnalysis:
    """`analyze_policy`, computed once per document for all rules of a run (kept with the model)."""
    analyses = model.derived("iam.analyses", lambda _model: {})
    analysis = analyses.get(document)
    if analysis is None:
        analysis = analyses[document] = analyze_policy(document)
    return analysis


def owner_of(source: PolicySource, model: Model, ctx: CheckContext) -> Owner:
    return owner_account(source.obj, ctx.options.account_id, model=model, documents=[source.document])


def scoped_actions(source: PolicySource, actions: frozenset[str]) -> frozenset[str]:
    """The actions a policy of this kind can grant: a repository policy only governs repository actions."""
    scoped = act.in_namespace(actions, source.namespace)
    if source.scope == REGISTRY:
        return scoped  # registry policy scope V2 enforces every ECR action
    return frozenset(
        a for a in scoped if (info := act.action_info(a)) is not None and "repository" in info.resource_types
    )
