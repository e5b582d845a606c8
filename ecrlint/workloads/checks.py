"""Checks of ECR504 and ECR601-ECR606 (`check: ecrlint.workloads.checks:<function>` in rule.yaml)."""

from __future__ import annotations

from .build_push import check_build_role_cannot_push
from .codedeploy_agent import check_codedeploy_agent_for_containers
from .docker_hub import check_docker_hub_direct_pull
from .ecr_login import check_deprecated_ecr_login
from .execution_role import check_execution_role_cannot_pull
from .lambda_image import check_lambda_image_not_in_ecr
from .mutable_reference import check_mutable_image_reference

__all__ = [
    "check_build_role_cannot_push",
    "check_codedeploy_agent_for_containers",
    "check_deprecated_ecr_login",
    "check_docker_hub_direct_pull",
    "check_execution_role_cannot_pull",
    "check_lambda_image_not_in_ecr",
    "check_mutable_image_reference",
]
