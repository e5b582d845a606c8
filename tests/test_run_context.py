"""What rules compute and share lives with the run's model, never in module globals."""

from __future__ import annotations

import os

from ecrlint.catalog import load_catalog
from ecrlint.evaluate import evaluate
from ecrlint.iam.sources import analysis_of
from ecrlint.lifecycle import QUESTION_RULES, questions
from ecrlint.lifecycle.properties import answers
from ecrlint.model import Model
from ecrlint.network import network_of
from ecrlint.options import Options
from ecrlint.rule_api import CheckContext

from .iam.helpers import repository_policy, statements
from .lifecycle.helpers import dumps, policy_model, rule
from .rules import rule_check

PACKAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ecrlint")
POLICY = {
    "rules": [rule(1, "tagged", "sinceImagePushed", 9, patterns=["*-rc*"]), rule(2, "any", "imageCountMoreThan", 4)]
}


def test_policy_analyses_are_the_models():
    policy = repository_policy(statements({"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}))
    model, other = Model([policy]), Model([policy])
    first = analysis_of(model, policy.document)
    assert analysis_of(model, policy.document) is first
    assert analysis_of(other, policy.document) is not first
    model.forget_derived()
    assert analysis_of(model, policy.document) is not first


def test_the_network_is_the_models():
    model = Model([])
    assert network_of(model) is network_of(model)
    assert network_of(Model([])) is not network_of(model)


def test_lifecycle_questions_are_keyed_as_the_checks_ask_them():
    # `questions` lists exactly what ECR402-404 ask, under the keys they look up: what workers answer
    # ahead is what the checks find.
    model = policy_model(dumps(POLICY))
    options = Options()
    for rule_id in QUESTION_RULES:
        list(rule_check(rule_id)(model, CheckContext(options, rule_id)))
    assert set(answers(model).outcomes) == {q.key for q in questions(model, options)}
    assert len(questions(model, options)) == 3


def test_a_question_answers_as_the_check_does():
    # A worker's answer (`Question.answer`, with no run around it) equals the one the check computed.
    model = policy_model(dumps(POLICY))
    for rule_id in QUESTION_RULES:
        list(rule_check(rule_id)(model, CheckContext(Options(), rule_id)))
    asked = answers(model).outcomes
    for question in questions(model, Options()):
        outcome = question.answer()
        assert outcome == asked[question.key]


def test_evaluation_drops_what_the_rules_shared():
    model = policy_model(dumps(POLICY))
    findings, _ = evaluate([r for r in load_catalog() if r.id in QUESTION_RULES], model, Options())
    assert findings and model._derived == {}
