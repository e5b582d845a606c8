"""Analysis settings shared by every rule and adapter, from the command line and the configuration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_INTERNAL_MARKERS = ("internal", "private", "confidential", "proprietary", "corp", "restricted")


@dataclass
class Options:
    """Analysis settings shared by all rules (from the command line and config)."""

    account_id: str | None = None
    internal_markers: tuple[str, ...] = DEFAULT_INTERNAL_MARKERS
    protected_tags: tuple[str, ...] = ("latest",)
    lifecycle_budget: int = 300  # examples per lifecycle property search; fixed, so results never depend on speed
    lifecycle_histories: str = "realistic"  # repository histories ECR402/404 may use: realistic | any
    replication_account_threshold: int = 3
    # CloudFormation parameter values a deployment passes (`--parameters FILE`), pinned in every template
    cfn_parameters: tuple[tuple[str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
