"""The codecs of what the cache keeps: model pieces and lifecycle answers come back as they were."""

from __future__ import annotations

import json
import re

import pytest

from ecrlint.cache import Cache, using
from ecrlint.discover import discover_files
from ecrlint.lifecycle import properties
from ecrlint.model import codec
from ecrlint.model.build import build_model
from ecrlint.model.objects import Repository
from ecrlint.options import Options
from ecrlint.relations import _Candidates
from ecrlint.source import Span
from ecrlint.values import Value, known

from .conftest import ROOT


def test_a_model_piece_comes_back_equal_and_with_its_sharing(tmp_path):
    discovery = discover_files([f"{ROOT}/examples"], (), cwd=ROOT)
    result = build_model(discovery, Options(), [], lambda p: p).adapted
    pieces = result.objects + result.diagnostics
    back = codec.loads(codec.dumps(pieces))
    assert repr(back) == repr(pieces)
    # A policy's statements are the Values of its document: still the same objects after the trip.
    documents = [d for d in (getattr(o, "document", None) for o in back) if hasattr(d, "statements")]
    assert documents and any(d.statements for d in documents)
    for document in documents:
        listed = document.value.get("Statement")
        if document.statements and listed is not None and listed.is_list:
            assert all(any(s.value is v for v in listed.data) for s in document.statements)


def test_decoding_builds_only_known_types():
    span = Span("a.tf", 1, 1, 1, 2)
    data = codec.dumps([Repository("aws_ecr_repository.a", span, "terraform", name=known("a", span))])
    assert isinstance(codec.loads(data)[0], Repository)
    forged = data.replace(b'"Repository"', b'"Popen"')
    with pytest.raises(codec.DecodeError):
        codec.loads(forged)
    with pytest.raises(TypeError):
        codec.dumps([object()])  # what the codec does not know is not stored at all


def test_a_value_keeps_everything_it_carries():
    span = Span("a.yaml", 2, 3, 4, 5)
    value = Value({"k": known([known(1.5, span), known(True, span)], span)}, span, trace=("from x",), ref="r")
    back = codec.loads(codec.dumps(value))
    assert (back.trace, back.ref, back.span) == (("from x",), "r", span)
    assert back.plain() == {"k": [1.5, True]}


POLICY = {
    "rules": [
        {
            "rulePriority": 1,
            "selection": {
                "tagStatus": "tagged",
                "tagPatternList": ["*"],
                "countType": "imageCountMoreThan",
                "countNumber": 1,
            },
            "action": {"type": "expire"},
        }
    ]
}


def test_lifecycle_answers_are_kept_and_read_back(tmp_path, monkeypatch):
    computed = []
    real = properties._protected_tags

    def counting(*args):
        computed.append(args)
        return real(*args)

    monkeypatch.setattr(properties, "_protected_tags", counting)
    answers = []
    for _ in range(2):
        with using(Cache(str(tmp_path / "cache"))):
            answers.append(properties.protected_tags(POLICY, ("latest",), 300))
    assert len(computed) == 1  # the exact analysis' answer was kept too, not only searched ones
    assert repr(answers[0]) == repr(answers[1]) and answers[0].results
    first = answers[0].results[0]
    assert first.rule.selects_tags(("latest",)) == answers[1].results[0].rule.selects_tags(("latest",))


def test_a_lifecycle_answer_of_another_shape_is_computed_again():
    assert properties.Outcome.from_json({"@c": "Outcome", "f": {"results": [1], "undecided": []}}) is None
    assert properties.Outcome.from_json(json.loads('{"@c": "Popen", "f": {}}')) is None
    assert properties.Outcome.from_json([]) is None
    outcome = properties.Outcome(undecided=["x"])
    assert properties.Outcome.from_json(outcome.to_json()) == outcome


def test_links_are_found_by_address_and_by_name_in_the_candidates_order():
    span = Span("a.tf", 1, 1, 1, 1)
    repos = [
        Repository("r.a", span, "terraform", name=known("app", span)),
        Repository("r.b", span, "terraform", name=known("other", span)),
        Repository("r.c", span, "terraform", name=known("app", span)),
    ]
    candidates = _Candidates(repos, lambda r: r.name.data)
    assert candidates.named("app", "other") == repos
    assert candidates.named("app", "app") == [repos[0], repos[2]]
    assert candidates.by_address["r.b"] == [repos[1]]


def test_a_lifecycle_answer_with_a_field_of_the_wrong_type_is_computed_again():
    outcome = properties.protected_tags(POLICY, ("latest",), 300)
    data = outcome.to_json()
    text = json.dumps(data)
    assert '"@r"' in text  # the rule each decision names is written once
    assert properties.Outcome.from_json(json.loads(text)).results[0].rule.priority == 1
    forged = json.loads(text.replace('"priority": 1', '"priority": "1"', 1))
    assert properties.Outcome.from_json(forged) is None
    dangling = json.loads(re.sub(r'\{"@r": \d+\}', '{"@r": 9999}', text, count=1))
    assert properties.Outcome.from_json(dangling) is None
