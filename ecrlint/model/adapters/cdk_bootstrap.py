"""The repository the CDK bootstrap stack makes for container assets, recognised in any template."""

from __future__ import annotations

import re

from ...values import Unknown, Value
from .cfn_intrinsics import TemplateScope

_BOOTSTRAP_NAME = re.compile(r"^cdk-[^/]*-container-assets-")


def is_cdk_bootstrap_repository(logical_id: str, name: Value | None, scope: TemplateScope | None) -> bool:
    """The CDK bootstrap stack's container-assets repository, by name or by its place in that stack."""
    text = None
    if name is not None:
        if isinstance(name.data, str):
            text = name.data
        elif isinstance(name.data, Unknown):
            text = name.data.symbolic
    if text is not None and _BOOTSTRAP_NAME.match(text):
        return True
    if logical_id == "ContainerAssetsRepository" and scope is not None:
        return "Qualifier" in scope.parameters or "CdkBootstrapVersion" in scope.resources
    return False
