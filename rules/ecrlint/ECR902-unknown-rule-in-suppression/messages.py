"""ECR902 unknown-rule-in-suppression: what the suppression stage says of a name it does not know.

Like ECR901, found by the suppression stage (`ecrlint/suppress.py`); the wording lives here.
"""

from __future__ import annotations


def unknown_rule(name: str) -> str:
    return f"suppression names unknown rule {name!r}"
