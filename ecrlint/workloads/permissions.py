"""Whether a role may perform a list of ECR actions, read from its identity policies.

Built on `ecrlint.iam.roles`: inline policies, policies attached in the analysed set, and AWS
managed policies with known contents count. An attachment whose contents are unknown makes a
"not allowed" answer undecided. A few AWS managed policies that are routinely attached to these
roles are known to grant no `ecr:` action at all (`NO_ECR_POLICIES`), so attaching them leaves a
missing action missing.

For a role in the repository's own account a repository policy can grant the pull and push
actions as well (all but `ecr:GetAuthorizationToken`, which only an identity policy can grant).
So when a repository policy in the analysed set grants such an action to some AWS principal, a
missing identity grant is undecided rather than missing (whichever account the role is in: the
answer may only become less certain, never wrong).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..iam import role_allows, role_policies
from ..iam.principals import SERVICE
from ..iam.sources import REPOSITORY, analysis_of, resource_policies
from ..model import Model
from ..model.objects import IamRole, Repository, RepositoryPolicy

AUTH = "ecr:GetAuthorizationToken"
PULL_ACTIONS = (AUTH, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")
PUSH_ACTIONS = (
    AUTH,
    "ecr:BatchCheckLayerAvailability",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:PutImage",
)

#: AWS managed policies whose published statements grant no `ecr:` action
NO_ECR_POLICIES = frozenset(
    {
        "AmazonEKSWorkerNodePolicy",
        "AmazonEKS_CNI_Policy",
        "AmazonSSMManagedInstanceCore",
        "CloudWatchAgentServerPolicy",
        "CloudWatchLogsFullAccess",
        "AWSLambdaBasicExecutionRole",
        "AWSXRayDaemonWriteAccess",
        "AmazonS3ReadOnlyAccess",
    }
)


@dataclass
class Verdict:
    missing: list[str] = field(default_factory=list)  # actions certainly not allowed
    undecided: list[str] = field(default_factory=list)  # why other actions could not be decided

    def add_undecided(self, reason: str) -> None:
        if reason not in self.undecided:
            self.undecided.append(reason)


def _attachment_notes(role: IamRole, model: Model) -> tuple[list[str], list[str]]:
    """(every note on attachments with unknown contents, those left after the policies known to grant no ECR action)."""
    notes = list(role_policies(role, model).unknown)
    known_empty = {f"contents of AWS managed policy {name} are not known" for name in NO_ECR_POLICIES}
    return notes, [note for note in notes if note not in known_empty]


def _repository_name(obj) -> str | None:
    value = obj.repository if isinstance(obj, RepositoryPolicy) else obj.name if isinstance(obj, Repository) else None
    if value is not None and value.is_known and isinstance(value.data, str):
        return value.data.rsplit("repository/", 1)[-1]
    return None


def repository_policy_may_grant(model: Model, action: str, repository: str | None) -> str | None:
    """The repository policy that may grant `action` to the role (to some AWS principal), if any."""
    for source in resource_policies(model, REPOSITORY):
        name = _repository_name(source.obj)
        if repository is not None and name is not None and name != repository:
            continue
        for grant in analysis_of(model, source.document).grants:
            if grant.principal is None or grant.principal.kind == SERVICE:
                continue
            if action in grant.all_actions():
                return source.obj.address
    return None


def role_verdict(
    role: IamRole,
    model: Model,
    actions: Iterable[str],
    targets: Iterable[tuple[str | None, str | None]] = ((None, None),),
) -> Verdict:
    """Which of `actions` the role lacks for each (repository ARN, repository name) target.

    An ARN of None asks about "some resource"; `ecr:GetAuthorizationToken` is always asked so.
    """
    verdict = Verdict()
    notes, opaque = _attachment_notes(role, model)
    targets = list(dict.fromkeys(targets)) or [(None, None)]
    for action in actions:
        asked = [(None, None)] if action == AUTH else targets
        missing = False
        for arn, name in asked:
            decision = role_allows(role, action, arn, model=model)
            allowed = decision.allowed
            reasons = list(decision.reasons)
            if allowed is None and not decision.statements and reasons and all(r in notes for r in reasons):
                # undecided only because of attachments: drop those known to grant no ECR action
                allowed, reasons = (False, []) if not opaque else (None, opaque)
            if allowed is False and action != AUTH:
                policy = repository_policy_may_grant(model, action, name)
                if policy is not None:
                    allowed, reasons = None, [f"repository policy {policy} may grant {action} to the role"]
            if allowed is False:
                missing = True
            elif allowed is None:
                for reason in reasons or [f"{action} is undecided"]:
                    verdict.add_undecided(reason)
        if missing:
            verdict.missing.append(action)
    return verdict
