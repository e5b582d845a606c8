"""The deployments a CloudFormation template allows: one scenario per combination of parameter values.

A parameter's `Default` is only what a deployment gets when it says nothing. A parameter that a
condition compares, that selects a `Fn::FindInMap` entry, or that lists `AllowedValues`, is explored
over the values it can take: its `AllowedValues`; without them, its default, each literal a
condition compares it with, the mapping keys it selects among, and "anything else" (except where
only the mapping's keys deploy). Parameters pinned by the deployment (values passed to a nested stack, a parameters
file) are not explored.

A resource is first resolved with those parameters left open, which records the ones it depends
on (directly or through conditions). It is then resolved once per combination of their values, and
where the results differ the value becomes `Branches` worded by scenario (`Environment is dev`,
`Environment is not prod`). Past `MAX_SCENARIOS` combinations the open reading stands: conditions
over them stay undecided (`condition IsProd is true` / `... is false`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from ...values import Branch, Branches, Unknown, Value, known, unknown
from .cfn_intrinsics import TemplateScope, absent

MAX_SCENARIOS = 64  # combinations of parameter values explored for one resource
MAX_WORDED = 4  # combinations listed by name in one branch's wording


@dataclass(frozen=True)
class ExploredParameter:
    name: str
    values: tuple[str | None, ...]  # None stands for "any other value"

    @property
    def listed(self) -> tuple[str, ...]:
        return tuple(v for v in self.values if v is not None)

    def clause(self, chosen: set[str | None]) -> str | None:
        """`Env is dev`, `Env is dev or test`, `Env is not prod`; None when every value is chosen."""
        if chosen >= set(self.values):
            return None
        if None in chosen:
            excluded = [v for v in self.listed if v not in chosen]
            if len(excluded) == 1:
                return f"{self.name} is not {excluded[0]}"
            return f"{self.name} is none of {', '.join(excluded)}"
        picked = [v for v in self.values if v in chosen]
        if len(picked) == 1:
            return f"{self.name} is {picked[0]}"
        return f"{self.name} is {', '.join(picked[:-1])} or {picked[-1]}"


Scenario = tuple[tuple[str, "str | None"], ...]  # (parameter, value) in template order


def _text(value: Value | None) -> str | None:
    if value is None:
        return None
    data = value.data
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (str, int, float)):
        return str(data)
    return None


def _ref_target(value: Value) -> str | None:
    if isinstance(value.data, dict) and len(value.data) == 1:
        target = value.data.get("Ref")
        if target is not None and isinstance(target.data, str):
            return target.data
    return None


def _compared(conditions: dict[str, Value]) -> dict[str, list[str]]:
    """Parameters `Fn::Equals` compares directly (`!Equals [!Ref P, x]`), with the literals they meet."""
    found: dict[str, list[str]] = {}
    stack = list(conditions.values())
    while stack:
        node = stack.pop()
        if isinstance(node.data, list):
            stack.extend(node.data)
            continue
        if not isinstance(node.data, dict):
            continue
        equals = node.data.get("Fn::Equals") if len(node.data) == 1 else None
        if equals is not None and isinstance(equals.data, list) and len(equals.data) == 2:
            for this, other in (equals.data, reversed(equals.data)):
                target = _ref_target(this)
                if target is None:
                    continue
                literals = found.setdefault(target, [])
                text = _text(other)
                if text is not None and text not in literals:
                    literals.append(text)
        stack.extend(node.data.values())
    return found


def _walk(values) -> list[Value]:
    out: list[Value] = []
    stack = list(values)
    while stack:
        node = stack.pop()
        if isinstance(node.data, dict):
            out.append(node)
            stack.extend(node.data.values())
        elif isinstance(node.data, list):
            stack.extend(node.data)
    return out


def _mapping_keys(scope: TemplateScope) -> dict[str, tuple[list[str], bool]]:
    """Parameters that select a `Fn::FindInMap` entry (`!FindInMap [Map, !Ref P, key]`): the keys they
    select among, and whether the lookup has a `DefaultValue` (so that other values deploy too)."""
    found: dict[str, tuple[list[str], bool]] = {}
    for node in _walk(scope.resources.values()):
        args = node.data.get("Fn::FindInMap") if len(node.data) == 1 else None
        if args is None or not isinstance(args.data, list) or len(args.data) not in (3, 4):
            continue
        name = _text(args.data[0])
        mapping = scope.mappings.get(name) if name is not None else None
        if mapping is None or not isinstance(mapping.data, dict):
            continue
        first, second = args.data[1], args.data[2]
        levels: list[tuple[Value, list[str]]] = [(first, list(mapping.data))]
        chosen = mapping.data.get(_text(first) or "") if _ref_target(first) is None else None
        entries = [chosen] if chosen is not None else list(mapping.data.values())
        seconds = [k for entry in entries if isinstance(entry.data, dict) for k in entry.data]
        levels.append((second, list(dict.fromkeys(seconds))))
        for written, keys in levels:
            target = _ref_target(written)
            if target is None or target not in scope.parameters:
                continue
            known_keys, fallback = found.get(target, ([], False))
            known_keys.extend(k for k in keys if k not in known_keys)
            found[target] = (known_keys, fallback or len(args.data) == 4)
    return found


def explored_parameters(scope: TemplateScope) -> dict[str, ExploredParameter]:
    """The parameters whose value a deployment chooses among several that matter (see the module doc)."""
    compared = _compared(scope.conditions)
    keyed = _mapping_keys(scope)
    out: dict[str, ExploredParameter] = {}
    for name, definition in scope.parameters.items():
        if name in scope.env.parameter_values or not definition.is_map:
            continue
        ptype = _text(definition.get("Type")) or "String"
        if ptype.startswith(("AWS::SSM::", "List<")) or ptype == "CommaDelimitedList":
            continue
        allowed_value = definition.get("AllowedValues")
        allowed = allowed_value.data if allowed_value is not None and isinstance(allowed_value.data, list) else []
        texts = list(dict.fromkeys(t for t in (_text(v) for v in allowed) if t is not None))
        if texts and (name in compared or name in keyed or len(texts) > 1):
            out[name] = ExploredParameter(name, tuple(texts))
        elif not texts and (name in compared or name in keyed):
            values: list[str | None] = []
            default_text = _text(definition.get("Default"))
            map_keys, fallback = keyed.get(name, ([], False))
            for text in (default_text, *compared.get(name, ()), *map_keys):
                if text is not None and text not in values:
                    values.append(text)
            # a value no mapping lists fails the lookup at deployment, unless it has a DefaultValue
            if name in compared or fallback or not map_keys:
                values.append(None)
            out[name] = ExploredParameter(name, tuple(values))
    return out


class ScenarioSpace:
    """One template's explored parameters and the scopes of their scenarios."""

    def __init__(self, base: TemplateScope):
        self.base = base
        self.parameters = explored_parameters(base)
        self._open: TemplateScope | None = None
        self._scopes: dict[Scenario, TemplateScope] = {}

    def _scope(self, **kw) -> TemplateScope:
        b = self.base
        return TemplateScope(b.template, b.path, b.env, b.address_prefix, budget=b.budget, **kw)

    @property
    def open(self) -> TemplateScope:
        if self._open is None:
            self._open = self._scope(open_parameters=frozenset(self.parameters))
        return self._open

    def scope_for(self, scenario: Scenario) -> TemplateScope:
        scope = self._scopes.get(scenario)
        if scope is None:
            span = self.base.template.span
            values: dict[str, Value] = {}
            other_than: dict[str, frozenset[str]] = {}
            for name, choice in scenario:
                listed = self.parameters[name].listed
                if choice is None:
                    reason = f"parameter {name} is a value other than {', '.join(listed)}"
                    values[name] = unknown(reason, span, "${" + name + "}")
                    other_than[name] = frozenset(listed)
                else:
                    values[name] = known(choice, span)
            scope = self._scope(scenario=values, other_than=other_than)
            self._scopes[scenario] = scope
        return scope

    def resolve(self, raw: Value | None, condition: str | None) -> tuple[bool, Value | None]:
        """Whether the resource exists in some deployment, and its resolved value across deployments."""
        if not self.parameters:
            exists = condition is None or self.base.condition(condition) is not False
            return exists, self.base.resolve(raw) if exists else None
        scope = self.open
        scope.reads = set()
        try:
            outcome = scope.condition(condition) if condition is not None else True
            opened = scope.resolve(raw) if outcome is not False else None
            depends = scope.reads
        finally:
            scope.reads = None
        if outcome is False:
            return False, None
        names = [n for n in self.parameters if n in depends]
        if not names:
            return True, self.base.resolve(raw)
        total = 1
        for name in names:
            total *= len(self.parameters[name].values)
        if total > MAX_SCENARIOS:
            return True, opened
        results: list[tuple[Scenario, Value | None]] = []
        for choices in itertools.product(*(self.parameters[n].values for n in names)):
            scenario: Scenario = tuple(zip(names, choices))
            in_scenario = self.scope_for(scenario)
            if condition is not None and in_scenario.condition(condition) is False:
                continue
            results.append((scenario, in_scenario.resolve(raw)))
        if not results:
            return False, None
        return True, merge(results, self.parameters, raw)


# -- merging the scenarios' values ----------------------------------------------------------------
def _shape(value: Value | None):
    """What a value says, without where it is written or how it was decided: equal shapes read the same."""
    if value is None:
        return ("absent",)
    data = value.data
    if isinstance(data, dict):
        return ("map", tuple((k, _shape(v)) for k, v in data.items()))
    if isinstance(data, list):
        return ("list", tuple(_shape(v) for v in data))
    if isinstance(data, Unknown):
        return ("unknown", data.reason, data.symbolic)
    if isinstance(data, Branches):
        return ("branches", tuple((b.condition, _shape(b.value)) for b in data.options))
    return (type(data).__name__, data, value.provenance)


def _is_expression(value: Value) -> bool:
    if not isinstance(value.data, dict) or len(value.data) != 1:
        return False
    key = next(iter(value.data))
    return key == "Ref" or key.startswith("Fn::")


def _written_child(written: Value | None, key: str | int) -> Value | None:
    """The written value at `key`, or the intrinsic expression that produced everything below it."""
    if written is None or _is_expression(written):
        return written
    if isinstance(key, str) and isinstance(written.data, dict):
        return written.data.get(key)
    if isinstance(key, int) and isinstance(written.data, list) and key < len(written.data):
        return written.data[key]
    return None


def merge(
    results: list[tuple[Scenario, Value | None]],
    parameters: dict[str, ExploredParameter],
    written: Value | None = None,
) -> Value | None:
    """One value for all scenarios: equal where they agree, `Branches` by scenario where they differ.

    `written` is the value as written in the template, whose span locates the `Branches`.
    """
    shapes = [_shape(v) for _, v in results]
    if all(s == shapes[0] for s in shapes):
        return results[0][1]
    values = [v for _, v in results]
    present = [v for v in values if v is not None]
    if len(present) == len(values) and all(isinstance(v.data, dict) for v in present):
        first = present[0]
        keys = list(dict.fromkeys(k for v in present for k in v.data))
        items = type(first.data)() if type(first.data) is not dict else {}
        key_spans: dict = {}
        for key in keys:
            merged = merge([(s, v.data.get(key)) for s, v in results], parameters, _written_child(written, key))
            if merged is None:
                continue
            items[key] = merged
            for v in present:
                spans = getattr(v.data, "key_spans", None)
                if spans and key in spans:
                    key_spans.setdefault(key, spans[key])
        if hasattr(first.data, "key_spans"):
            items.key_spans = key_spans  # type: ignore[attr-defined]
        return Value(items, first.span, first.provenance, first.trace, first.ref)
    if len(present) == len(values) and all(isinstance(v.data, list) for v in present):
        first = present[0]
        if all(len(v.data) == len(first.data) for v in present):
            elements = [
                merge([(s, v.data[i]) for s, v in results], parameters, _written_child(written, i))
                for i in range(len(first.data))
            ]
            if all(e is not None for e in elements):
                return Value(elements, first.span, first.provenance, first.trace, first.ref)
    span = written.span if written is not None else present[0].span
    groups: dict = {}
    for (scenario, value), shape in zip(results, shapes):
        groups.setdefault(shape, (value, []))[1].append(scenario)
    everything = [s for s, _ in results]
    options: list[Branch] = []
    for value, scenarios in groups.values():
        wording = describe(scenarios, everything, parameters)
        if value is not None and isinstance(value.data, Branches):
            options.extend(Branch(f"{wording} and {inner.condition}", inner.value) for inner in value.data.options)
        else:
            options.append(Branch(wording, value if value is not None else absent(span)))
    return Value(Branches(tuple(options)), span, present[0].provenance, (), None)


def describe(chosen: list[Scenario], everything: Iterable[Scenario], parameters: dict[str, ExploredParameter]) -> str:
    """Words for a set of scenarios: one clause per parameter when the set is a product, else a list."""
    names = [name for name, _ in chosen[0]]
    per_name = {name: {dict(s)[name] for s in chosen} for name in names}
    rectangle = set(itertools.product(*(sorted(per_name[n], key=_order(parameters[n])) for n in names)))
    covered = {tuple(c for _, c in s) for s in everything} & rectangle
    if covered == {tuple(c for _, c in s) for s in chosen}:
        clauses = [c for n in names if (c := parameters[n].clause(per_name[n])) is not None]
        return " and ".join(clauses) if clauses else "in every deployment"
    words = []
    for scenario in chosen[:MAX_WORDED]:
        clauses = [parameters[n].clause({c}) or "" for n, c in scenario]
        words.append(" and ".join(c for c in clauses if c))
    if len(chosen) > MAX_WORDED:
        words.append(f"{len(chosen) - MAX_WORDED} other combinations")
    return "; or ".join(words)


def _order(parameter: ExploredParameter):
    index = {v: i for i, v in enumerate(parameter.values)}
    return lambda v: index.get(v, len(index))


__all__ = ["ScenarioSpace", "ExploredParameter", "explored_parameters", "merge", "describe"]
