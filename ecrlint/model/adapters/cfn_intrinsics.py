"""CloudFormation intrinsic functions, evaluated statically over located Values.

`TemplateScope.resolve(value)` returns the value with every intrinsic function replaced by what it
evaluates to, keeping spans: a resolved value is located where the expression is written (the use
site) and its `trace` says how it was decided (`parameter Env default`, `condition IsProd is
false`). What cannot be decided becomes `Unknown` with a reason and, where useful, a symbolic text
in `Fn::Sub` syntax (`arn:aws:ecr:${AWS::Region}:${AWS::AccountId}:repository/app`). A reference
to a resource carries `ref=` the resource's address so relations can be bound later.

`Fn::If` on a condition whose inputs are known picks its branch; otherwise the value becomes
`Branches`, worded `condition IsProd is true` / `condition IsProd is false`. `Ref AWS::NoValue`
removes the property (or list element); as a branch it becomes a `None` value with provenance
`default` and the trace `AWS::NoValue`, which adapters replace with the attribute's AWS default.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ...source import Span
from ...values import (
    DEPLOYING_ACCOUNT,
    DEPLOYING_PARTITION,
    DEPLOYING_REGION,
    Branch,
    Branches,
    Provenance,
    Unknown,
    Value,
    known,
    unknown,
)

MAX_BRANCHES = 16  # combinations of undecided conditions kept before giving up (Unknown)
MAX_TEXT = 1_000_000  # characters of one evaluated string (Fn::Sub, Fn::Join, Fn::ToJsonString)
MAX_WORK = 20_000_000  # evaluation steps plus characters built, per template and all its scenarios
NO_VALUE_TRACE = "AWS::NoValue"

_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_COND_PART = re.compile(r"^condition (.+) is (true|false)$")

PARTITIONS = (("cn-", "aws-cn", "amazonaws.com.cn"), ("us-gov-", "aws-us-gov", "amazonaws.com"))

# Resource types whose `Ref` returns a name property written in the template.
REF_NAME_PROPERTY = {
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::ECR::PublicRepository": "RepositoryName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::CodeBuild::Project": "Name",
}


def absent(span: Span) -> Value:
    """A removed value (`AWS::NoValue`) standing as one branch of a condition."""
    return Value(None, span, Provenance.DEFAULT, trace=(NO_VALUE_TRACE,))


def is_absent(value: Value | None) -> bool:
    return value is None or (value.data is None and NO_VALUE_TRACE in value.trace)


def partition_of(region: str) -> tuple[str, str]:
    for prefix, partition, suffix in PARTITIONS:
        if region.startswith(prefix):
            return partition, suffix
    return "aws", "amazonaws.com"


def _index(data) -> int | None:
    """A list index from a template value, or None when it is not a usable number."""
    if isinstance(data, (bool, Unknown)) or not isinstance(data, (int, float, str)):
        return None
    try:
        number = float(data)
        return int(number) if number == number and abs(number) < 1e9 else None
    except (ValueError, OverflowError):
        return None


class Budget:
    """Evaluation work left for one template. Past it, values are unknown with the reason, so a
    template that multiplies text (a long parameter substituted thousands of times, `Fn::Join`
    nested through YAML aliases) costs bounded time and memory."""

    def __init__(self, work: int = MAX_WORK):
        self.left = work

    def spend(self, amount: int) -> bool:
        self.left -= amount
        return self.left >= 0


BUDGET_REASON = (
    f"evaluating the template's intrinsic functions would take more than {MAX_WORK:,} steps (evaluation budget)"
)


@dataclass
class StackEnvironment:
    """What is known about where a template is deployed."""

    account_id: Value | None = None  # a known account id Value, or None
    region: Value | None = None
    stack_name: Value | None = None
    parameter_values: dict[str, Value] = field(default_factory=dict)  # deploy-time parameter values


def _scalar_text(value: Value) -> str | None:
    data = value.data
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (str, int, float)):
        return str(data)
    return None


def merge_conditions(first: str, second: str) -> str | None:
    """`first and second`, without repeats; None when they contradict each other."""
    parts: list[str] = []
    decided: dict[str, str] = {}
    for part in (*first.split(" and "), *second.split(" and ")):
        m = _COND_PART.match(part)
        if m:
            name, outcome = m.groups()
            if decided.get(name, outcome) != outcome:
                return None
            decided[name] = outcome
        if part not in parts:
            parts.append(part)
    return " and ".join(parts)


def branches(options: list[Branch], span: Span) -> Value:
    if len(options) > MAX_BRANCHES:
        return unknown(f"more than {MAX_BRANCHES} combinations of undecided conditions", span)
    if len(options) == 1:
        return options[0].value
    return Value(Branches(tuple(options)), span)


def lift(parts: list[Value], fn: Callable[[list[Value]], Value], span: Span) -> Value:
    """Apply `fn` to parts, once per combination of branches when some part is conditional."""
    for index, part in enumerate(parts):
        if isinstance(part.data, Branches):
            options: list[Branch] = []
            for option in part.data.options:
                result = lift([*parts[:index], option.value, *parts[index + 1 :]], fn, span)
                if isinstance(result.data, Branches):
                    for inner in result.data.options:
                        condition = merge_conditions(option.condition, inner.condition)
                        if condition is not None:
                            options.append(Branch(condition, inner.value))
                else:
                    options.append(Branch(option.condition, result))
            return branches(options, span)
    return fn(parts)


def map_value(value: Value | None, fn: Callable[[Value], Value | None]) -> Value | None:
    """`fn` applied to a value, or to each branch of a conditional value."""
    if value is None:
        return None
    if isinstance(value.data, Branches):
        options = []
        for option in value.data.options:
            mapped = fn(option.value) if not is_absent(option.value) else option.value
            options.append(Branch(option.condition, mapped if mapped is not None else absent(option.value.span)))
        if all(is_absent(o.value) for o in options):
            return None
        return Value(Branches(tuple(options)), value.span, value.provenance, value.trace, value.ref)
    return fn(value)


def dig(value: Value | None, *keys: str | int) -> Value | None:
    """The value at `keys` inside a resolved value, through branches; None when absent."""
    for key in keys:
        if value is None:
            return None
        if isinstance(value.data, Unknown):
            return value
        value = map_value(value, lambda v, k=key: _step(v, k))
    return value


def _step(value: Value, key: str | int) -> Value | None:
    if isinstance(value.data, Unknown):
        return value
    if isinstance(key, int):
        if isinstance(value.data, list) and 0 <= key < len(value.data):
            return value.data[key]
        return None
    if isinstance(value.data, dict):
        return value.data.get(key)
    return None


class TemplateScope:
    """One template (one stack instance) whose intrinsics can be evaluated."""

    def __init__(
        self,
        template: Value,
        path: str,
        env: StackEnvironment,
        address_prefix: str = "",
        *,
        open_parameters: frozenset[str] = frozenset(),
        other_than: dict[str, frozenset[str]] | None = None,
        scenario: dict[str, Value] | None = None,
        budget: Budget | None = None,
    ):
        self.template = template
        self.path = path
        self.env = env
        self.address_prefix = address_prefix
        section = template.data if isinstance(template.data, dict) else {}

        def mapping(name: str) -> dict[str, Value]:
            value = section.get(name)
            return value.data if value is not None and isinstance(value.data, dict) else {}

        self.parameters = mapping("Parameters")
        self.resources = mapping("Resources")
        self.conditions = mapping("Conditions")
        self.mappings = mapping("Mappings")
        self._condition_cache: dict[str, bool | None] = {}
        self._in_progress: set[str] = set()
        # Parameters that can take several values (scenarios): read as undecided, and recorded in
        # `reads` while it is a set, so a caller learns which of them a value depends on.
        self.open_parameters = open_parameters
        self.reads: set[str] | None = None
        self._condition_reads: dict[str, set[str]] = {}
        # Parameters whose value in this scenario is "anything but these": unequal to each of them.
        self.other_than = other_than or {}
        self.scenario = scenario or {}  # parameter values of one deployment being explored
        self.budget = budget or Budget()

    # -- names ---------------------------------------------------------------------------
    def address(self, logical_id: str) -> str:
        return f"{self.address_prefix}Resources.{logical_id}"

    def resource_type(self, logical_id: str) -> str | None:
        resource = self.resources.get(logical_id)
        if resource is None:
            return None
        rtype = resource.get("Type") if isinstance(resource.data, dict) else None
        return rtype.data if rtype is not None and isinstance(rtype.data, str) else None

    # -- pseudo parameters ---------------------------------------------------------------
    def _region_text(self) -> str | None:
        region = self.env.region
        return region.data if region is not None and isinstance(region.data, str) else None

    def pseudo(self, name: str, span: Span) -> Value | None:
        step = f"Ref {name}"
        if name == "AWS::NoValue":
            return None
        if name == "AWS::AccountId":
            if self.env.account_id is not None and self.env.account_id.is_known:
                return known(self.env.account_id.data, span, trace=(f"{step}: account of the stack",))
            return unknown("the account the stack is deployed to is not known", span, DEPLOYING_ACCOUNT)
        if name == "AWS::Region":
            region = self._region_text()
            if region is not None:
                return known(region, span, trace=(f"{step}: region of the stack",))
            return unknown("the region the stack is deployed to is not known", span, DEPLOYING_REGION)
        if name == "AWS::Partition":
            region = self._region_text()
            partition = partition_of(region)[0] if region else "aws"
            why = "partition of the stack's region" if region else "partition assumed aws"
            return known(partition, span, trace=(f"{step}: {why}",))
        if name == "AWS::URLSuffix":
            region = self._region_text()
            if region is not None:
                return known(partition_of(region)[1], span, trace=(f"{step}: URL suffix of the stack's region",))
            return unknown("the region the stack is deployed to is not known", span, "${AWS::URLSuffix}")
        if name == "AWS::StackName":
            if self.env.stack_name is not None and self.env.stack_name.is_known:
                return known(self.env.stack_name.data, span, trace=(f"{step}: stack name",))
            return unknown("the stack name is chosen at deploy time", span, "${AWS::StackName}")
        if name in ("AWS::StackId", "AWS::NotificationARNs"):
            return unknown(f"{name} is known at deploy time", span, "${" + name + "}")
        return unknown(f"unknown pseudo parameter {name}", span, "${" + name + "}")

    # -- references ----------------------------------------------------------------------
    def ref(self, name: str, span: Span) -> Value | None:
        if name.startswith("AWS::"):
            return self.pseudo(name, span)
        if name in self.parameters:
            return self.parameter(name, span)
        if name in self.resources:
            return self.resource_ref(name, span)
        return unknown(f"Ref to {name}, which is neither a parameter nor a resource", span, "${" + name + "}")

    def parameter(self, name: str, span: Span) -> Value:
        definition = self.parameters.get(name)
        ptype_value = definition.get("Type") if definition is not None and definition.is_map else None
        ptype = ptype_value.data if ptype_value is not None and isinstance(ptype_value.data, str) else "String"
        symbolic = "${" + name + "}"
        if ptype.startswith("AWS::SSM::Parameter::Value<"):
            return unknown(f"parameter {name} is read from SSM Parameter Store at deploy time", span, symbolic)
        if name in self.open_parameters and name not in self.env.parameter_values:
            if self.reads is not None:
                self.reads.add(name)
            return unknown(f"parameter {name} can take several values", span, symbolic)
        if name in self.scenario:
            source = f"parameter {name}"
            value = self.scenario[name]
        elif name in self.env.parameter_values:
            given = self.env.parameter_values[name]
            source = f"parameter {name} as passed to the stack"
            value = given
        else:
            default_value = definition.get("Default") if definition is not None and definition.is_map else None
            if default_value is None:
                return unknown(f"parameter {name} has no default", span, symbolic)
            source = f"parameter {name} default"
            value = default_value
        if isinstance(value.data, (Unknown, Branches)):
            return Value(value.data, span, value.provenance, (source, *value.trace), value.ref)
        if ptype == "CommaDelimitedList" or ptype.startswith("List<"):
            if isinstance(value.data, list):
                items = [known(_scalar_text(v) if _scalar_text(v) is not None else v.data, v.span) for v in value.data]
                return known(items, span, trace=(source,))
            text = _scalar_text(value)
            if text is None:
                return unknown(f"parameter {name} has a default that is not a list", span, symbolic)
            items = [known(part.strip(), span, trace=(source,)) for part in text.split(",")] if text else []
            return known(items, span, trace=(source,))
        text = _scalar_text(value)
        if text is None:
            return Value(value.data, span, Provenance.EXPLICIT, (source,))
        return known(text, span, trace=(source,))

    def resource_ref(self, logical_id: str, span: Span) -> Value:
        address = self.address(logical_id)
        rtype = self.resource_type(logical_id)
        prop = REF_NAME_PROPERTY.get(rtype or "")
        if prop is not None:
            name = self._resource_property(logical_id, prop)
            if name is not None and name.is_known and isinstance(name.data, str):
                return known(name.data, span, trace=(f"Ref {logical_id}: its {prop}",), ref=address)
        return unknown(f"Ref {logical_id} is known after deployment", span, "${" + logical_id + "}", ref=address)

    def _resource_property(self, logical_id: str, prop: str) -> Value | None:
        key = f"{logical_id}.{prop}"
        if key in self._in_progress:
            return None
        resource = self.resources.get(logical_id)
        props = resource.get("Properties") if resource is not None and resource.is_map else None
        raw = props.get(prop) if props is not None and props.is_map else None
        if raw is None:
            return None
        self._in_progress.add(key)
        try:
            return self.resolve(raw)
        finally:
            self._in_progress.discard(key)

    def get_att(self, logical_id: str, attribute: str, span: Span) -> Value:
        address = self.address(logical_id)
        symbolic = "${" + f"{logical_id}.{attribute}" + "}"
        if logical_id not in self.resources:
            return unknown(f"Fn::GetAtt of {logical_id}, which is not a resource of the template", span, symbolic)
        rtype = self.resource_type(logical_id)
        if rtype == "AWS::ECR::Repository" and attribute in ("Arn", "RepositoryUri"):
            # That repository, in the stack's account and Region, whatever its name turns out to be.
            name = self._resource_property(logical_id, "RepositoryName")
            if name is None or (isinstance(name.data, Unknown) and name.data.symbolic is None):
                why = name.data.reason if name is not None else f"CloudFormation names {logical_id} at deployment"
                name = unknown(why, span, "${" + logical_id + "}")
            if attribute == "Arn":
                pattern = f"arn:{DEPLOYING_PARTITION}:ecr:{DEPLOYING_REGION}:{DEPLOYING_ACCOUNT}:repository/"
            else:
                pattern = f"{DEPLOYING_ACCOUNT}.dkr.ecr.{DEPLOYING_REGION}.${{AWS::URLSuffix}}/"
            prefix = self.sub_text(pattern, {}, span)
            built = lift([prefix, name], lambda parts: self._concat(parts, span), span)
            step = f"Fn::GetAtt {logical_id}.{attribute}"
            return map_value(built, lambda v: Value(v.data, span, v.provenance, (step,), address)) or built
        return unknown(f"{attribute} of {logical_id} is known after deployment", span, symbolic, ref=address)

    # -- conditions ----------------------------------------------------------------------
    def condition(self, name: str) -> bool | None:
        """The outcome of a named condition, or None when it depends on undecided values."""
        if name in self._condition_cache:
            if self.reads is not None:
                self.reads |= self._condition_reads.get(name, set())
            return self._condition_cache[name]
        key = f"condition {name}"
        if key in self._in_progress or name not in self.conditions:
            return None
        self._in_progress.add(key)
        outer, self.reads = self.reads, (set() if self.reads is not None else None)
        try:
            outcome = self.evaluate_condition(self.conditions[name])
        finally:
            self._in_progress.discard(key)
            if outer is not None and self.reads is not None:
                self._condition_reads[name] = self.reads
                outer |= self.reads
            self.reads = outer
        self._condition_cache[name] = outcome
        return outcome

    def evaluate_condition(self, value: Value) -> bool | None:
        if not isinstance(value.data, dict) or len(value.data) != 1:
            if isinstance(value.data, bool):
                return value.data
            return None
        ((fn, arg),) = value.data.items()
        if fn == "Condition":
            return self.condition(arg.data) if isinstance(arg.data, str) else None
        args = arg.data if isinstance(arg.data, list) else None
        if fn == "Fn::Equals":
            if args is None or len(args) != 2:
                return None
            left, right = self.resolve(args[0]), self.resolve(args[1])
            if left is None or right is None:
                return None
            if self.other_than and (self._is_other(args[0], right) or self._is_other(args[1], left)):
                return False
            if not left.fully_known() or not right.fully_known():
                return None
            return _comparable(left.plain()) == _comparable(right.plain())
        if fn in ("Fn::And", "Fn::Or"):
            if args is None:
                return None
            outcomes = [self.evaluate_condition(a) for a in args]
            if fn == "Fn::And":
                if any(o is False for o in outcomes):
                    return False
                return True if all(o is True for o in outcomes) else None
            if any(o is True for o in outcomes):
                return True
            return False if all(o is False for o in outcomes) else None
        if fn == "Fn::Not":
            if args is None or len(args) != 1:
                return None
            inner = self.evaluate_condition(args[0])
            return None if inner is None else not inner
        return None

    def _misses(self, written: Value, level: Value) -> bool:
        """`Ref P`, where P is "anything but" a list holding every key of a mapping level."""
        target = written.get("Ref") if isinstance(written.data, dict) and len(written.data) == 1 else None
        if target is None or not isinstance(target.data, str) or target.data not in self.other_than:
            return False
        return set(level.data) <= self.other_than[target.data]

    def _is_other(self, written: Value, other: Value) -> bool:
        """`Ref P`, where P is "anything but" a list holding the other side's value: certainly unequal."""
        target = written.get("Ref") if isinstance(written.data, dict) and len(written.data) == 1 else None
        if target is None or not isinstance(target.data, str) or target.data not in self.other_than:
            return False
        text = _scalar_text(other)
        return text is not None and text in self.other_than[target.data]

    # -- resolution ----------------------------------------------------------------------
    def resolve(self, value: Value | None) -> Value | None:
        """The value with its intrinsic functions evaluated; None when it resolves to AWS::NoValue."""
        if value is None:
            return None
        if not self.budget.spend(1):
            return unknown(BUDGET_REASON, value.span)
        data = value.data
        if isinstance(data, dict):
            if len(data) == 1:
                ((key, arg),) = data.items()
                if key == "Ref" or key.startswith("Fn::"):
                    return self.intrinsic(key, arg, value)
            items: dict[str, Value] = type(data)() if type(data) is not dict else {}
            changed = False
            for k, v in data.items():
                r = self.resolve(v)
                changed = changed or r is not v
                if r is not None:
                    items[k] = r
            if not changed:
                return value
            if hasattr(data, "key_spans"):
                items.key_spans = {k: s for k, s in data.key_spans.items() if k in items}  # type: ignore[attr-defined]
            return Value(items, value.span, value.provenance, value.trace, value.ref)
        if isinstance(data, list):
            out = []
            changed = False
            for v in data:
                r = self.resolve(v)
                changed = changed or r is not v
                if r is not None:
                    out.append(r)
            if not changed:
                return value
            return Value(out, value.span, value.provenance, value.trace, value.ref)
        return value

    def _arg_list(self, arg: Value) -> list[Value] | None:
        return list(arg.data) if isinstance(arg.data, list) else None

    def intrinsic(self, fn: str, arg: Value, expr: Value) -> Value | None:
        span = expr.span
        if fn == "Ref":
            name = self.resolve(arg)
            if name is None or not isinstance(name.data, str):
                return unknown("Ref whose target is not a literal name", span)
            return self.ref(name.data, span)
        if fn == "Fn::GetAtt":
            return self.fn_get_att(arg, span)
        if fn == "Fn::Sub":
            return self.fn_sub(arg, span)
        if fn == "Fn::Join":
            return self.fn_join(arg, span)
        if fn == "Fn::Select":
            return self.fn_select(arg, span)
        if fn == "Fn::Split":
            return self.fn_split(arg, span)
        if fn == "Fn::If":
            return self.fn_if(arg, span)
        if fn == "Fn::FindInMap":
            return self.fn_find_in_map(arg, span)
        if fn == "Fn::ImportValue":
            name = self.resolve(arg)
            text = name.text() if name is not None else "?"
            return unknown(
                f"imported from another stack's export {text} (Fn::ImportValue)", span, "${ImportValue:" + text + "}"
            )
        if fn == "Fn::Base64":
            inner = self.resolve(arg)
            return inner.with_trace("Fn::Base64 (shown decoded)") if inner is not None else None
        if fn == "Fn::GetAZs":
            return unknown("the availability zones of a region are known at deploy time (Fn::GetAZs)", span)
        if fn == "Fn::Cidr":
            return unknown("Fn::Cidr is not evaluated", span)
        if fn == "Fn::Length":
            inner = self.resolve(arg)
            if inner is not None and isinstance(inner.data, list):
                return known(len(inner.data), span, trace=("Fn::Length",))
            return unknown("Fn::Length of an undecided list", span)
        if fn == "Fn::ToJsonString":
            inner = self.resolve(arg)
            if inner is not None and inner.fully_known():
                text = json.dumps(inner.plain(), separators=(",", ":"))
                if len(text) > MAX_TEXT or not self.budget.spend(len(text)):
                    return unknown(f"Fn::ToJsonString would build more than {MAX_TEXT:,} characters", span)
                return known(text, span, trace=("Fn::ToJsonString",))
            return unknown("Fn::ToJsonString of an undecided value", span)
        if fn == "Fn::Transform":
            return unknown("the value is produced by a macro (Fn::Transform)", span)
        return unknown(f"{fn} is not evaluated", span)

    def fn_get_att(self, arg: Value, span: Span) -> Value:
        if isinstance(arg.data, str):
            logical, _, attribute = arg.data.partition(".")
        else:
            args = self._arg_list(arg)
            if args is None or len(args) != 2:
                return unknown("malformed Fn::GetAtt", span)
            target = self.resolve(args[0])
            attr = self.resolve(args[1])
            if target is None or attr is None or not isinstance(target.data, str) or not isinstance(attr.data, str):
                return unknown("Fn::GetAtt with an undecided attribute name", span)
            logical, attribute = target.data, attr.data
        return self.get_att(logical, attribute, span)

    # Fn::Sub ------------------------------------------------------------------------------
    def fn_sub(self, arg: Value, span: Span) -> Value:
        variables: dict[str, Value] = {}
        template = arg
        if isinstance(arg.data, list):
            if len(arg.data) != 2 or not isinstance(arg.data[1].data, dict):
                return unknown("malformed Fn::Sub", span)
            template, var_map = arg.data
            variables = dict(var_map.data)
        template = self.resolve(template)
        if template is None or not isinstance(template.data, str):
            return (
                lift([template], lambda p: self._sub_known(p[0], variables, span), span)
                if template
                else unknown("malformed Fn::Sub", span)
            )
        return self.sub_text(template.data, variables, span)

    def _sub_known(self, template: Value, variables: dict[str, Value], span: Span) -> Value:
        if not isinstance(template.data, str):
            return unknown("Fn::Sub of an undecided template", span)
        return self.sub_text(template.data, variables, span)

    def sub_text(self, text: str, variables: dict[str, Value], span: Span) -> Value:
        parts: list[Value] = []
        pos = 0
        for m in _SUB_VAR.finditer(text):
            if m.start() > pos:
                parts.append(known(text[pos : m.start()], span))
            name = m.group(1).strip()
            if name.startswith("!"):
                parts.append(known("${" + name[1:] + "}", span))
            elif name in variables:
                resolved = self.resolve(variables[name])
                parts.append(resolved if resolved is not None else known("", span))
            elif "." in name and not name.startswith("AWS::") and name.split(".", 1)[0] in self.resources:
                logical, _, attribute = name.partition(".")
                parts.append(self.get_att(logical, attribute, span))
            else:
                resolved = self.ref(name, span)
                parts.append(resolved if resolved is not None else known("", span))
            pos = m.end()
        if pos < len(text):
            parts.append(known(text[pos:], span))
        if not parts:
            return known("", span, trace=("Fn::Sub",))
        return lift(parts, lambda ps: self._concat(ps, span, "Fn::Sub"), span)

    def _concat(self, parts: list[Value], span: Span, step: str | None = None, delimiter: str = "") -> Value:
        texts: list[str] = []
        reasons: list[str] = []
        refs = {p.ref for p in parts if p.ref}
        trace: list[str] = [step] if step else []
        for part in parts:
            for t in part.trace:
                if t not in trace:
                    trace.append(t)
            if isinstance(part.data, Unknown):
                reasons.append(part.data.reason)
                texts.append(part.data.symbolic if part.data.symbolic is not None else "${?}")
                continue
            text = _scalar_text(part)
            if text is None:
                if part.data is None:
                    text = ""
                else:
                    reasons.append("a list or object where text is expected")
                    text = "${?}"
            texts.append(text)
        size = sum(len(t) for t in texts) + len(delimiter) * max(len(texts) - 1, 0)
        if size > MAX_TEXT:
            reason = f"{step or 'the text'} would build {size:,} characters, more than {MAX_TEXT:,} (evaluation budget)"
            return Value(Unknown(reason), span, Provenance.UNRESOLVED, tuple(trace))
        if not self.budget.spend(size):
            return Value(Unknown(BUDGET_REASON), span, Provenance.UNRESOLVED, tuple(trace))
        joined = delimiter.join(texts)
        ref = next(iter(refs)) if len(refs) == 1 else None
        if reasons:
            return Value(Unknown(reasons[0], joined), span, Provenance.UNRESOLVED, tuple(trace), ref)
        return Value(joined, span, Provenance.EXPLICIT, tuple(trace), ref)

    # Fn::Join / Select / Split -------------------------------------------------------------
    def fn_join(self, arg: Value, span: Span) -> Value:
        args = self._arg_list(arg)
        if args is None or len(args) != 2:
            return unknown("malformed Fn::Join", span)
        delimiter = self.resolve(args[0])
        items = self.resolve(args[1])
        if items is None:
            return known("", span, trace=("Fn::Join",))

        def join(parts: list[Value]) -> Value:
            delim, seq = parts
            if not isinstance(delim.data, str):
                return unknown("Fn::Join with an undecided delimiter", span)
            if isinstance(seq.data, Unknown):
                return Value(seq.data, span, Provenance.UNRESOLVED, ("Fn::Join",), seq.ref)
            if not isinstance(seq.data, list):
                return unknown("Fn::Join of something that is not a list", span)
            return lift(list(seq.data), lambda ps: self._concat(ps, span, "Fn::Join", delim.data), span)

        if delimiter is None:
            return unknown("malformed Fn::Join", span)
        return lift([delimiter, items], join, span)

    def fn_select(self, arg: Value, span: Span) -> Value:
        args = self._arg_list(arg)
        if args is None or len(args) != 2:
            return unknown("malformed Fn::Select", span)
        index = self.resolve(args[0])
        items = self.resolve(args[1])
        if index is None or items is None:
            return unknown("malformed Fn::Select", span)

        def select(parts: list[Value]) -> Value:
            idx, seq = parts
            try:
                position = _index(idx.data)
            except (TypeError, ValueError):
                position = None
            if position is None:
                return unknown("Fn::Select with an undecided index", span)
            if isinstance(seq.data, Unknown):
                return unknown(seq.data.reason, span, ref=seq.ref)
            if not isinstance(seq.data, list):
                return unknown("Fn::Select from something that is not a list", span)
            if not 0 <= position < len(seq.data):
                return unknown(f"Fn::Select index {position} is out of range", span)
            chosen = seq.data[position]
            return Value(chosen.data, span, chosen.provenance, ("Fn::Select", *chosen.trace), chosen.ref)

        return lift([index, items], select, span)

    def fn_split(self, arg: Value, span: Span) -> Value:
        args = self._arg_list(arg)
        if args is None or len(args) != 2:
            return unknown("malformed Fn::Split", span)
        delimiter = self.resolve(args[0])
        source = self.resolve(args[1])
        if delimiter is None or source is None:
            return unknown("malformed Fn::Split", span)

        def split(parts: list[Value]) -> Value:
            delim, text = parts
            if not isinstance(delim.data, str) or not delim.data:
                return unknown("Fn::Split with an undecided delimiter", span)
            if isinstance(text.data, Unknown):
                return unknown(text.data.reason, span, ref=text.ref)
            if not isinstance(text.data, str):
                return unknown("Fn::Split of something that is not text", span)
            trace = ("Fn::Split", *text.trace)
            return known([known(p, span, trace=trace) for p in text.data.split(delim.data)], span, trace=trace)

        return lift([delimiter, source], split, span)

    # Fn::If / FindInMap --------------------------------------------------------------------
    def fn_if(self, arg: Value, span: Span) -> Value | None:
        args = self._arg_list(arg)
        if args is None or len(args) != 3 or not isinstance(args[0].data, str):
            return unknown("malformed Fn::If", span)
        name = args[0].data
        outcome = self.condition(name)
        if outcome is not None:
            chosen = self.resolve(args[1] if outcome else args[2])
            word = "true" if outcome else "false"
            return chosen.with_trace(f"condition {name} is {word}") if chosen is not None else None
        options: list[Branch] = []
        for word, branch in (("true", args[1]), ("false", args[2])):
            condition = f"condition {name} is {word}"
            resolved = self.resolve(branch)
            if resolved is None:
                options.append(Branch(condition, absent(branch.span)))
            elif isinstance(resolved.data, Branches):
                for inner in resolved.data.options:
                    merged = merge_conditions(condition, inner.condition)
                    if merged is not None:
                        options.append(Branch(merged, inner.value))
            else:
                options.append(Branch(condition, resolved))
        return branches(options, span)

    def fn_find_in_map(self, arg: Value, span: Span) -> Value | None:
        args = self._arg_list(arg)
        if args is None or len(args) not in (3, 4):
            return unknown("malformed Fn::FindInMap", span)
        keys = [self.resolve(a) for a in args[:3]]
        fallback = None
        if len(args) == 4 and isinstance(args[3].data, dict) and "DefaultValue" in args[3].data:
            fallback = args[3].data["DefaultValue"]
        if any(k is None for k in keys):
            return unknown("malformed Fn::FindInMap", span)

        def find(parts: list[Value]) -> Value:
            texts = [_scalar_text(p) if not isinstance(p.data, Unknown) else None for p in parts]
            node: Value | None = self.template.get("Mappings")
            for written, part, text in zip(args[:3], parts, texts):
                if text is None and node is not None and node.is_map and self._misses(written, node):
                    node = None  # "any other value" of a parameter: no entry of this level
                if node is None:
                    break
                if text is None:
                    reason = part.data.reason if isinstance(part.data, Unknown) else "undecided key"
                    return unknown(f"Fn::FindInMap key is undecided: {reason}", span)
                node = node.get(text) if node.is_map else None
            if node is None:
                if fallback is not None:
                    resolved = self.resolve(fallback)
                    if resolved is not None:
                        return Value(resolved.data, span, resolved.provenance, ("Fn::FindInMap default",), resolved.ref)
                named = "/".join(t if t is not None else "${" + "?" + "}" for t in texts)
                return unknown("Fn::FindInMap names an entry that does not exist: " + named, span)
            resolved = self.resolve(node)
            if resolved is None:
                return unknown("Fn::FindInMap entry is empty", span)
            step = "Fn::FindInMap " + "/".join(texts)
            return Value(resolved.data, span, resolved.provenance, (step, *resolved.trace), resolved.ref)

        return lift(keys, find, span)  # type: ignore[arg-type]


def _comparable(data: Any) -> Any:
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, (int, float)):
        return str(data)
    if isinstance(data, list):
        return [_comparable(d) for d in data]
    return data


__all__ = [
    "TemplateScope",
    "StackEnvironment",
    "absent",
    "is_absent",
    "dig",
    "map_value",
    "lift",
    "merge_conditions",
    "partition_of",
    "NO_VALUE_TRACE",
]
