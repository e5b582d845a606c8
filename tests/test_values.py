"""Branch outcomes: one enumeration and one wording for every rule."""

from __future__ import annotations

from ecrlint.iam.variants import variants
from ecrlint.source import Span
from ecrlint.values import Branch, Branches, Value, known, when

SPAN = Span("main.tf", 1, 1, 1, 1)


def _branches(*options: tuple[str, Value]) -> Value:
    return Value(Branches(tuple(Branch(condition, value) for condition, value in options)), SPAN)


def test_a_value_without_branches_is_its_one_outcome():
    value = known("MUTABLE", SPAN)
    assert value.outcomes() == [((), value)]


def test_nested_branches_give_one_outcome_per_leaf_under_both_conditions():
    inner = _branches(("B", known(1, SPAN)), ("not B", known(2, SPAN)))
    outer = _branches(("A", inner), ("not A", Value(None, SPAN)))
    assert [(c, v.data) for c, v in outer.outcomes()] == [(("A", "B"), 1), (("A", "not B"), 2), (("not A",), None)]


def test_the_wording_names_every_condition_of_every_outcome():
    assert when() == when(()) == ""
    assert when(("A",)) == " (when A)"
    assert when(("A", "B")) == " (when A and B)"
    assert when(("A", "B"), ("C",)) == " (when A and B, or when C)"


def test_variants_inside_a_structure_carry_the_same_conditions():
    value = Value({"Effect": _branches(("A", known("Allow", SPAN)), ("not A", known("Deny", SPAN)))}, SPAN)
    found = variants(value)
    assert [(c, v.data["Effect"].data) for c, v in found] == [(("A",), "Allow"), (("not A",), "Deny")]
    assert [(c, v.data) for c, v in variants(known("x", SPAN))] == [((), "x")]
