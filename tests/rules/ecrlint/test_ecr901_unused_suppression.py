"""ECR901 and ECR902: the suppression stage finds them; their wording lives in their folders."""

from __future__ import annotations

from ecrlint.catalog import load_catalog
from ecrlint.findings import Finding
from ecrlint.rule_loader import shipped_rule_file
from ecrlint.source import Span
from ecrlint.suppress import Directive, apply_suppressions


def test_wording_is_loaded_from_the_rule_folders():
    unused = shipped_rule_file("ECR901", "messages.py")
    unknown = shipped_rule_file("ECR902", "messages.py")
    assert unused.__file__.endswith("ECR901-unused-suppression/messages.py")
    assert unknown.__file__.endswith("ECR902-unknown-rule-in-suppression/messages.py")
    assert unused.unused("inline", "ECR101", "mutable-image-tags") == (
        "unused inline suppression of ECR101 (mutable-image-tags): it matches no finding"
    )
    assert unused.unused("config", "ECR101", "ECR101") == "unused config ignore of ECR101: it matches no finding"
    assert unknown.unknown_rule("ECR999") == "suppression names unknown rule 'ECR999'"


def test_the_suppression_stage_reports_with_that_wording():
    span = Span("main.tf", 3, 1, 3, 30)
    directive = Directive(kind="inline", span=span, names=("ECR101", "nope"), lines=(3, 4))
    catalog = load_catalog()
    finding = Finding("ECR102", "scan-on-push-disabled", "medium", "m", Span("main.tf", 4, 1, 4, 2))
    result = apply_suppressions([finding], [directive], catalog, {"ECR101", "ECR102"}, "/")
    assert sorted(f.message for f in result.hygiene) == [
        "suppression names unknown rule 'nope'",
        "unused inline suppression of ECR101: it matches no finding",
    ]
