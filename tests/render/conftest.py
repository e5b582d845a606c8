"""Fixtures for the renderer tests; the builders live in render_helpers.py."""

from __future__ import annotations

import pytest
from render_helpers import make_context

from ecrlint.findings import Undecided
from ecrlint.render import RenderContext
from ecrlint.source import Span


@pytest.fixture
def ctx() -> RenderContext:
    return make_context()


@pytest.fixture
def undecided():
    return [
        (
            "ECR101",
            Undecided("var.mutability has no default", Span("infra/vars.tf", 7, 3, 7, 20), "aws_ecr_repository.x"),
        ),
        ("ECR999", Undecided("unknown plan value", Span("plan.json", 1, 1, 1, 2))),
    ]
