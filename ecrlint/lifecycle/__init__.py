"""The lifecycle engine: validation, exact evaluation and property search for ECR lifecycle policies.

Modules, each with one job:

* `schema` / `validate`: ECR401, everything PutLifecyclePolicy would reject, located.
* `policy`, `tags`: a validated policy as rules with tag matchers.
* `evaluate`: what ECR does to a given repository state (which rule expires or archives which image).
* `languages`, `analysis`: exact answers about all possible states (ownership, shadowing) with witnesses.
* `search`: Hypothesis search for the simplest counterexample state (imported lazily).
* `properties`: the ECR402-404 questions, combining the two; `report` words the counterexamples.
* `sources`: the lifecycle policies of the model, each in the variants its conditions allow.
* `simulate`: the `ecrlint lifecycle simulate` command.

The four rules' checks are in their folders, `rules/lifecycle/ECR40x-*/check.py`.
"""

QUESTION_RULES = ("ECR402", "ECR403", "ECR404")  # the rules whose questions `questions` lists


def questions(model, options):
    """Every question ECR402-404 will ask of the model's policies (`properties.Question`: its `key`
    in the cache and its `answer()`), for answering them ahead in other processes."""
    from .properties import questions as listed

    return listed(model, options)
