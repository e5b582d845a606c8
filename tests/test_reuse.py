"""Reusing the last evaluation: only while the model, the rules and the settings are the same, and
never at the cost of a finding a run without the cache would give."""

from __future__ import annotations

import pytest

from ecrlint import pipeline
from ecrlint.model import codec, units
from ecrlint.pipeline import Settings, run

MUTABLE = """resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "MUTABLE"
}
"""


def _settings(tmp_path, cache=True, **kw) -> Settings:
    cache_dir = str(tmp_path / "cache") if cache else None
    return Settings(paths=[str(tmp_path / "tf")], cwd=str(tmp_path), cache_dir=cache_dir, **kw)


def _ids(result) -> list[str]:
    return sorted(f.rule_id for f in result.findings if not f.suppressions)


class _Calls:
    """Counts the evaluations and the decoded pieces of the runs it watches."""

    def __init__(self, monkeypatch) -> None:
        self.evaluations = 0
        self.decoded = 0
        evaluate, objects = pipeline.evaluate, units.StoredObjects.objects

        def counted_evaluate(*args, **kwargs):
            self.evaluations += 1
            return evaluate(*args, **kwargs)

        def counted_objects(stored):
            self.decoded += stored.live is None  # objects this run made are not decoded
            return objects(stored)

        monkeypatch.setattr(pipeline, "evaluate", counted_evaluate)
        monkeypatch.setattr(units.StoredObjects, "objects", counted_objects)

    def take(self) -> tuple[int, int]:
        out = (self.evaluations, self.decoded)
        self.evaluations = self.decoded = 0
        return out


@pytest.fixture
def calls(monkeypatch):
    return _Calls(monkeypatch)


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(MUTABLE)
    return tmp_path


def _same_as_uncached(tmp_path, **kw):
    cached = run(_settings(tmp_path, **kw))
    uncached = run(_settings(tmp_path, cache=False, **kw))
    assert cached.findings == uncached.findings
    assert cached.undecided == uncached.undecided
    return cached


def test_an_unchanged_model_is_not_decoded_nor_evaluated_again(tree, calls):
    first = run(_settings(tree))
    assert calls.take() == (1, 0)  # modelled now: nothing to decode
    second = run(_settings(tree))
    assert calls.take() == (0, 0)
    assert second.findings == first.findings and second.undecided == first.undecided
    assert "ECR101" in _ids(second)


def test_an_edit_that_leaves_the_model_as_it_was_reuses_the_evaluation(tree, calls):
    run(_settings(tree))
    with open(tree / "tf" / "main.tf", "a") as handle:
        handle.write("\n# a comment\n")
    calls.take()
    result = _same_as_uncached(tree)
    assert calls.take() == (1, 0)  # the cached run reused; the uncached one evaluated
    assert "ECR101" in _ids(result)


def test_an_edit_to_the_model_is_evaluated(tree, calls):
    run(_settings(tree))
    (tree / "tf" / "main.tf").write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    calls.take()
    result = run(_settings(tree))
    assert calls.take() == (1, 0)
    assert "ECR101" not in _ids(result)


def test_a_line_moved_is_another_model(tree, calls):
    run(_settings(tree))
    (tree / "tf" / "main.tf").write_text("# moved down one line\n" + MUTABLE)
    result = _same_as_uncached(tree)
    assert [f.span.start_line for f in result.findings if f.rule_id == "ECR101"] == [4]


def test_other_rules_or_options_are_not_served_the_last_evaluation(tree, calls):
    run(_settings(tree))
    calls.take()
    only = run(_settings(tree, select=["ECR102"]))
    assert calls.take()[0] == 1
    assert _ids(only) == ["ECR102"]
    run(_settings(tree, select=["ECR102"]))
    assert calls.take()[0] == 0


def test_a_new_suppression_applies_to_a_reused_evaluation(tree, calls):
    run(_settings(tree))
    assert "ECR101" in _ids(run(_settings(tree)))
    text = MUTABLE.replace('"MUTABLE"', '"MUTABLE" # ecrlint:ignore ECR101 -- release tags')
    (tree / "tf" / "main.tf").write_text(text)  # a comment: the model is as it was
    calls.take()
    result = _same_as_uncached(tree)
    assert calls.take()[0] == 1  # only the uncached run evaluated
    assert "ECR101" not in _ids(result)
    assert [f.rule_id for f in result.findings if f.suppressions] == ["ECR101"]


def test_pieces_read_back_are_decoded_when_the_model_changed(tree, calls):
    """Pieces read back are decoded once the model is needed: one unchanged root beside an edited one."""
    (tree / "tf" / "other").mkdir()
    (tree / "tf" / "other" / "main.tf").write_text(MUTABLE.replace('"app"', '"other"'))
    run(_settings(tree))
    (tree / "tf" / "main.tf").write_text(MUTABLE.replace('"MUTABLE"', '"IMMUTABLE"'))
    calls.take()
    result = _same_as_uncached(tree)
    evaluations, decoded = calls.take()
    assert evaluations == 2 and decoded >= 1
    assert [f.address for f in result.findings if f.rule_id == "ECR101"] == ["aws_ecr_repository.other"]


def test_a_signed_piece_whose_objects_do_not_decode_is_modelled_again_and_replaced(tree, calls):
    first = run(_settings(tree))
    entries = [p for p in (tree / "cache").rglob("*") if p.is_file() and p.parent.parent.name == "unit"]
    assert entries
    from .test_cache_trust import _resign

    for entry in entries:
        data = entry.read_bytes().split(b"\n", 3)[3]
        head = data.partition(b"\n")[0]
        _resign(entry, head + b"\n" + codec.dumps(["not an object"]))
    calls.take()
    assert run(_settings(tree)).findings == first.findings
    assert calls.take()[0] == 1
    # The bad pieces were replaced: the next run reads them back and reuses its evaluation.
    assert run(_settings(tree)).findings == first.findings
    assert calls.take() == (0, 0)


def test_a_custom_python_rule_turns_reuse_off(tree, calls, tmp_path):
    folder = tmp_path / "rules" / "ECR990-team-python-check"
    folder.mkdir(parents=True)
    (folder / "rule.yaml").write_text(
        "id: ECR990\nname: team-python-check\ntitle: A team's check\nseverity: low\ncategory: operations\n"
        "inputs: [terraform]\nrationale: A check written in Python by the team that owns these repositories.\n"
        "remediation: Nothing to do; the check only shows that it ran.\n"
        'help_uri: https://example.com/ECR990\nsince: "0.1.0"\ncheck: check.py:run\n'
    )
    (folder / "check.py").write_text(
        "from ecrlint.rule_api import match\n\n\ndef run(model, ctx):\n"
        "    for obj in model.objects:\n        yield match(obj, 'seen')\n"
    )
    settings = {"rules_dirs": (str(tmp_path / "rules"),), "python_rules": True, "extend_select": ["ECR990"]}
    assert "ECR990" in _ids(run(_settings(tree, **settings)))
    run(_settings(tree, **settings))
    assert calls.take()[0] == 2


def test_the_model_of_a_cached_run_is_made_again_when_asked(tree):
    from ecrlint.model.objects import Repository

    for _ in range(2):  # the run that evaluated (and let its model go), then the one that reused
        result = run(_settings(tree))
        assert [r.address for r in result.model.of(Repository)] == ["aws_ecr_repository.app"]
        assert result.model.of(Repository)[0].has_lifecycle_policy is not None  # bound


def test_only_the_last_evaluations_are_kept(tree, calls, monkeypatch):
    from ecrlint import reuse

    monkeypatch.setattr(reuse, "KEPT", 2)
    for n in range(4):
        (tree / "tf" / "main.tf").write_text(MUTABLE.replace('"app"', f'"app{n}"'))
        run(_settings(tree))
    kept = [p for p in (tree / "cache").rglob("*") if p.is_file() and p.parent.parent.name == reuse.NAMESPACE]
    assert len(kept) == 2
    calls.take()
    result = run(_settings(tree))
    assert calls.take()[0] == 0  # the last model's evaluation is one of those kept
    assert [f.address for f in result.findings if f.rule_id == "ECR101"] == ["aws_ecr_repository.app3"]
