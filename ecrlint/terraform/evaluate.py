"""Evaluate Terraform expressions the way a reviewer reads them.

Resolved: literals, templates, `var.*` (defaults, tfvars, module inputs), `local.*`,
`each.*`/`count.index` of literal `for_each`/`count`, references between resources and data
sources, module outputs, conditionals and the common functions. Anything else becomes an
`Unknown` that says why; nothing is guessed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from ..parse import ParseError
from ..parse.hcl_ast import (
    Attribute,
    BinaryOp,
    Block,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    UnaryOp,
    Variable,
)
from ..source import Span
from ..values import Branch, Branches, Unknown, Value, known, unknown
from .functions import FunctionError, call_function
from .loader import ModuleSource, block_label_span

MAX_MODULE_DEPTH = 12
# One budget for evaluating one root configuration: expression steps, including every element a
# `for` expression builds, and the length of any one string. Past it, values are unknown with the
# reason, and the run goes on; nothing a configuration says can make evaluation hang or exhaust memory.
MAX_STEPS = 200_000
MAX_STRING = 1 << 20
MAX_INSTANCES = 10_000  # a larger count is left unexpanded (one instance with an unknown index)
EVALUATION_ERROR = "error: "  # prefix of the reason of an Unknown that Terraform itself would reject
# The key of the one instance that stands for every instance when `for_each` or `count` is unknown.
EVERY_EACH, EVERY_COUNT = "\x00each", "\x00count"


def _loc(span: Span) -> str:
    return f"{span.path}:{span.start_line}"


@dataclass
class Env:
    """What every module instance of one run shares."""

    load_module: Callable[[str], ModuleSource | None]  # absolute dir -> parsed module (cached)
    read_file: Callable[[str], tuple[str, str] | None]  # absolute path -> (display path, text), inside roots
    account_id: str | None = None
    problems: list[tuple[Span, str]] = field(default_factory=list)
    # (instance, call name, module block) -> a module model's source, for a call not on disk
    module_fallback: Callable[[ModuleInstance, str, Block], ModuleSource | None] | None = None
    steps_left: int = MAX_STEPS

    def new_budget(self) -> None:
        self.steps_left = MAX_STEPS


class BudgetExceeded(Exception):
    """Evaluation of one root configuration took more than its budget."""


@dataclass
class Scope:
    names: dict[str, Value] = field(default_factory=dict)  # for-expression variables
    each_key: Value | None = None
    each_value: Value | None = None
    count_index: Value | None = None

    def child(self, **names: Value) -> Scope:
        return Scope({**self.names, **names}, self.each_key, self.each_value, self.count_index)


@dataclass
class ResourceInstance:
    module: ModuleInstance
    mode: str  # resource | data
    type: str
    name: str
    block: Block
    key: Any  # None, a for_each key (str) or a count index (int); EVERY_EACH / EVERY_COUNT when unknown
    scope: Scope

    @property
    def address(self) -> str:
        base = f"{self.module.prefix}{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"
        if self.key is None:
            return base
        if isinstance(self.key, int):
            return f"{base}[{self.key}]"
        if self.key == EVERY_EACH:
            return f"{base}[each]"
        if self.key == EVERY_COUNT:
            return f"{base}[count]"
        return f'{base}["{self.key}"]'

    def attr(self, name: str) -> Value | None:
        attribute = self.block.body.attributes.get(name)
        if attribute is None:
            return None
        return _unless_null(self.module.eval(attribute.expr, self.scope))

    def blocks(self, name: str, body=None) -> list[BlockInstance]:
        body = body if body is not None else self.block.body
        return _nested_blocks(self, body, name, self.scope)


@dataclass
class BlockInstance:
    """A nested block (literal or expanded from `dynamic`) with the scope to evaluate it in."""

    owner: ResourceInstance
    block: Block
    scope: Scope

    @property
    def span(self) -> Span:
        return self.block.span

    def attr(self, name: str) -> Value | None:
        attribute = self.block.body.attributes.get(name)
        if attribute is None:
            return None
        return _unless_null(self.owner.module.eval(attribute.expr, self.scope))

    def blocks(self, name: str) -> list[BlockInstance]:
        return _nested_blocks(self.owner, self.block.body, name, self.scope)


def _unless_null(value: Value) -> Value | None:
    """An argument set to null is, for Terraform, an argument not set: the default applies."""
    return None if value.is_known and value.data is None else value


def _nested_blocks(owner: ResourceInstance, body, name: str, scope: Scope) -> list[BlockInstance]:
    found = [BlockInstance(owner, b, scope) for b in body.blocks if b.type == name]
    for dyn in body.blocks:
        if dyn.type != "dynamic" or dyn.labels[:1] != (name,):
            continue
        content = dyn.body.block("content")
        if content is None:
            continue
        iterator = dyn.body.attributes.get("iterator")
        var_name = name
        if iterator is not None and isinstance(iterator.expr, Variable):
            var_name = iterator.expr.name
        for_each = dyn.body.attributes.get("for_each")
        items = owner.module.eval(for_each.expr, scope) if for_each else None
        if items is None or not items.is_known:
            reason = items.unknown_reason() if items is not None else "dynamic block without for_each"
            placeholder = known({"key": unknown(reason, dyn.span), "value": unknown(reason, dyn.span)}, dyn.span)
            found.append(BlockInstance(owner, content, scope.child(**{var_name: placeholder})))
            continue
        for key, value in _iterate(items):
            item = known({"key": key, "value": value}, value.span)
            found.append(BlockInstance(owner, content, scope.child(**{var_name: item})))
    return found


def _iterate(collection: Value) -> list[tuple[Value, Value]]:
    if collection.is_map:
        return [(known(k, v.span), v) for k, v in collection.items()]
    if collection.is_list:
        # for_each over a set: key and value are the element.
        return [(e if isinstance(e.data, str) else known(i, e.span), e) for i, e in enumerate(collection.data)]
    return []


class ModuleInstance:
    """One module evaluated with one set of inputs (the root, or a call of a child module)."""

    def __init__(
        self,
        source: ModuleSource,
        env: Env,
        prefix: str = "",
        inputs: dict[str, Value] | None = None,
        depth: int = 0,
        module_dirs: dict[str, str] | None = None,
        module_key: str = "",
        parent: ModuleInstance | None = None,
        unloaded_var_files: list[str] | None = None,
        call_span: Span | None = None,
    ):
        self.source = source
        self.parent = parent  # the instance whose `module` block called this one
        self.call_span = call_span  # that `module` block's first line
        # Variable files beside a root that Terraform loads only with -var-file: named in reasons.
        self.unloaded_var_files = unloaded_var_files or []
        self.env = env
        self.prefix = prefix
        self.inputs = inputs or {}
        self.depth = depth
        self.module_dirs = module_dirs or {}  # registry module key -> dir (from the root's .terraform)
        self.module_key = module_key
        self._locals: dict[str, Value] = {}
        self._vars: dict[str, Value] = {}
        self._validating: dict[str, Value] = {}  # a variable's value while its validation is evaluated
        self._evaluating: set[str] = set()
        self._instances: dict[tuple[str, str, str], list[ResourceInstance]] = {}
        self._children: dict[str, list[ModuleInstance]] = {}

    # -- variables and locals ----------------------------------------------------------------
    def var(self, name: str, span: Span) -> Value:
        if name in self._validating:
            return self._validating[name]
        if name in self._vars:
            return self._vars[name]
        value = self._vars[name] = self._variable(name, span)
        return value

    def _variable(self, name: str, span: Span) -> Value:
        if name in self.inputs:
            return self._validated(name, self.inputs[name])
        block = self.source.variables.get(name)
        if block is None:
            return unknown(f"var.{name} is not declared", span, symbolic=f"${{var.{name}}}")
        default_attr = block.body.attributes.get("default")
        if default_attr is None:
            return unknown(self._no_value_reason(name), span, symbolic=f"${{var.{name}}}")
        value = self.eval(default_attr.expr, Scope())
        return self._validated(name, value.with_trace(f"var.{name} default ({_loc(default_attr.span)})"))

    def _validated(self, name: str, value: Value) -> Value:
        """The value, or unknown when one of the variable's `validation` conditions rejects it:
        Terraform refuses to plan with it, so it is not a value anything is deployed with."""
        block = self.source.variables.get(name)
        if block is None or not value.is_known or name in self._validating:
            return value
        for validation in block.body.blocks_of("validation"):
            condition = validation.body.attributes.get("condition")
            if condition is None:
                continue
            self._validating[name] = value
            try:
                verdict = self.eval(condition.expr, Scope())
            finally:
                del self._validating[name]
            if verdict.is_known and verdict.data is False:
                return unknown(
                    f"var.{name} = {value.text()!r} is rejected by its validation ({_loc(condition.span)}), "
                    "so a deployment sets another value",
                    value.span,
                    symbolic=f"${{var.{name}}}",
                )
        return value

    def _no_value_reason(self, name: str) -> str:
        if self.parent is not None:
            return f"var.{name} has no default and the module call does not set it"
        if self.unloaded_var_files:
            files = ", ".join(self.unloaded_var_files)
            return (
                f"var.{name} has no default and no value in the variable files Terraform loads by itself; "
                f"{files} beside it load only with -var-file: name them as scenarios in the configuration"
            )
        return f"var.{name} has no default and no value in tfvars"

    def local(self, name: str, span: Span) -> Value:
        if name in self._locals:
            return self._locals[name]
        attribute = self.source.locals.get(name)
        if attribute is None:
            return unknown(f"local.{name} is not defined", span, symbolic=f"${{local.{name}}}")
        if name in self._evaluating:
            return unknown(f"local.{name} refers to itself", span, symbolic=f"${{local.{name}}}")
        self._evaluating.add(name)
        try:
            value = self.eval(attribute.expr, Scope()).with_trace(f"local.{name} ({_loc(attribute.span)})")
        finally:
            self._evaluating.discard(name)
        self._locals[name] = value
        return value

    # -- resources -------------------------------------------------------------------------------
    def instances(self, mode: str, rtype: str, name: str) -> list[ResourceInstance]:
        key = (mode, rtype, name)
        if key in self._instances:
            return self._instances[key]
        table = self.source.resources if mode == "resource" else self.source.data
        block = table.get((rtype, name))
        result: list[ResourceInstance] = []
        self._instances[key] = result  # guards self-reference while expanding
        if block is not None:
            result.extend(self._expand(mode, rtype, name, block))
        return result

    def _expand(self, mode: str, rtype: str, name: str, block: Block) -> list[ResourceInstance]:
        attrs = block.body.attributes
        if "for_each" in attrs:
            items = self.eval(attrs["for_each"].expr, Scope())
            if not items.is_known:
                reason = items.unknown_reason() or "for_each is not known"
                scope = Scope(
                    each_key=unknown(reason, items.span, symbolic="${each.key}"),
                    each_value=unknown(reason, items.span, symbolic="${each.value}"),
                )
                return [ResourceInstance(self, mode, rtype, name, block, EVERY_EACH, scope)]
            return [
                ResourceInstance(self, mode, rtype, name, block, k.data, Scope(each_key=k, each_value=v))
                for k, v in _iterate(items)
            ]
        if "count" in attrs:
            count = self.eval(attrs["count"].expr, Scope())
            if _is_number(count.data) and count.data > MAX_INSTANCES:
                scope = Scope(count_index=unknown(f"count of {count.data} is more than ecrlint expands", count.span))
                return [ResourceInstance(self, mode, rtype, name, block, EVERY_COUNT, scope)]
            if count.is_known and isinstance(count.data, (int, float)) and not isinstance(count.data, bool):
                return [
                    ResourceInstance(self, mode, rtype, name, block, i, Scope(count_index=known(i, count.span)))
                    for i in range(int(count.data))
                ]
            if count.is_known and isinstance(count.data, bool):
                return []
            scope = Scope(count_index=unknown(count.unknown_reason() or "count is not known", count.span))
            return [ResourceInstance(self, mode, rtype, name, block, EVERY_COUNT, scope)]
        return [ResourceInstance(self, mode, rtype, name, block, None, Scope())]

    def all_instances(self) -> list[ResourceInstance]:
        out = []
        for rtype, name in self.source.resources:
            out.extend(self.instances("resource", rtype, name))
        return out

    # -- modules -------------------------------------------------------------------------------
    def children(self, name: str) -> list[ModuleInstance]:
        if name in self._children:
            return self._children[name]
        self._children[name] = []
        block = self.source.module_calls.get(name)
        if block is None or self.depth >= MAX_MODULE_DEPTH:
            return []
        directory = self._module_dir(name, block)
        if directory is not None and self._calls_itself(directory):
            # Terraform rejects a module that calls itself, directly or through others; expanding it
            # would never end (and with `count` it grows without bound).
            source_attr = block.body.attributes["source"]
            written = self.eval(source_attr.expr, Scope()).text()
            self.env.problems.append(
                (
                    source_attr.span,
                    f"module.{name} (source {written!r}) calls its own module or one of its callers: "
                    "Terraform rejects a module cycle, so this call is not expanded",
                )
            )
            return []
        child_source = self.env.load_module(directory) if directory else None
        if child_source is None and self.env.module_fallback is not None:
            child_source = self.env.module_fallback(self, name, block)  # a module model, or recorded as not analysed
        if child_source is None:
            return []
        calls: list[tuple[str, Scope]] = []
        attrs = block.body.attributes
        if "for_each" in attrs:
            items = self.eval(attrs["for_each"].expr, Scope())
            if items.is_known:
                calls = [(f'["{k.data}"]', Scope(each_key=k, each_value=v)) for k, v in _iterate(items)]
            else:
                reason = items.unknown_reason() or "for_each is not known"
                calls = [
                    ("[each]", Scope(each_key=unknown(reason, items.span), each_value=unknown(reason, items.span)))
                ]
        elif "count" in attrs:
            count = self.eval(attrs["count"].expr, Scope())
            if count.is_known and _is_number(count.data) and 0 <= count.data <= MAX_INSTANCES:
                calls = [(f"[{i}]", Scope(count_index=known(i, count.span))) for i in range(int(count.data))]
            else:
                calls = [("[count]", Scope(count_index=unknown("count is not known", count.span)))]
        else:
            calls = [("", Scope())]
        meta_args = {"source", "version", "for_each", "count", "providers", "depends_on"}
        for suffix, scope in calls:
            inputs = {
                arg: self.eval(attribute.expr, scope).with_trace(f"module.{name} input ({_loc(attribute.span)})")
                for arg, attribute in attrs.items()
                if arg not in meta_args
            }
            key = f"{self.module_key}.{name}" if self.module_key else name
            child = ModuleInstance(
                child_source,
                self.env,
                prefix=f"{self.prefix}module.{name}{suffix}.",
                inputs=inputs,
                depth=self.depth + 1,
                module_dirs=self.module_dirs,
                module_key=key,
                parent=self,
                call_span=block_label_span(block),
            )
            self._children[name].append(child)
        return self._children[name]

    def _calls_itself(self, directory: str) -> bool:
        """Whether `directory` is this module's own or one of its callers': a module cycle."""
        target = os.path.realpath(directory)
        instance: ModuleInstance | None = self
        while instance is not None:
            if os.path.realpath(instance.source.directory) == target:
                return True
            instance = instance.parent
        return False

    def _module_dir(self, name: str, block: Block) -> str | None:
        source_attr = block.body.attributes.get("source")
        source = self.eval(source_attr.expr, Scope()) if source_attr else None
        if source is not None and source.is_known and isinstance(source.data, str):
            text = source.data
            if text.startswith(("./", "../")):
                return os.path.normpath(os.path.join(self.source.directory, text))
        key = f"{self.module_key}.{name}" if self.module_key else name
        return self.module_dirs.get(key)

    def output(self, name: str, span: Span) -> Value:
        block = self.source.outputs.get(name)
        if block is None or "value" not in block.body.attributes:
            return unknown(f"module output {name} is not defined", span)
        return self.eval(block.body.attributes["value"].expr, Scope())

    # -- expressions -----------------------------------------------------------------------------
    def eval(self, expr: Expr, scope: Scope) -> Value:
        try:
            return self._eval(expr, scope)
        except FunctionError as err:
            return unknown(str(err), expr.span)
        except RecursionError:
            return unknown("expression nested too deeply", expr.span)
        except BudgetExceeded as err:
            return unknown(str(err), expr.span)

    def _eval(self, expr: Expr, scope: Scope) -> Value:
        self.env.steps_left -= 1
        if self.env.steps_left < 0:
            raise BudgetExceeded(f"not evaluated: the configuration takes more than {MAX_STEPS:,} evaluation steps")
        value = self._evaluate(expr, scope)
        if isinstance(value.data, str) and len(value.data) > MAX_STRING:
            return unknown(f"not evaluated: a string longer than {MAX_STRING:,} characters", expr.span)
        return value

    def _evaluate(self, expr: Expr, scope: Scope) -> Value:
        if isinstance(expr, Literal):
            return known(expr.value, expr.span)
        if isinstance(expr, Template):
            return self._template(expr, scope)
        if isinstance(expr, TupleExpr):
            return known([self._eval(e, scope) for e in expr.items], expr.span)
        if isinstance(expr, ObjectExpr):
            return self._object(expr, scope)
        if isinstance(expr, (Variable, GetAttr, Index)):
            return self._traversal(expr, scope)
        if isinstance(expr, Call):
            return self._call(expr, scope)
        if isinstance(expr, Conditional):
            return self._conditional(expr, scope)
        if isinstance(expr, BinaryOp):
            return self._binary(expr, scope)
        if isinstance(expr, UnaryOp):
            return self._unary(expr, scope)
        if isinstance(expr, ForExpr):
            return self._for(expr, scope)
        if isinstance(expr, Splat):
            return self._splat(expr, scope)
        return unknown("expression is not evaluated statically", expr.span)

    def _template(self, expr: Template, scope: Scope) -> Value:
        if expr.has_directives:
            return unknown("template directives (%{...}) are not evaluated", expr.span)
        pieces: list[str] = []
        reason = None
        substituted_newline = False
        for part in expr.parts:
            if isinstance(part, str):
                pieces.append(part)
                continue
            value = self._eval(part, scope)
            if value.is_known and isinstance(value.data, (str, int, float, bool)):
                text = value.text()
                substituted_newline |= "\n" in text
                pieces.append(text)
            elif value.is_known and value.data is None:
                reason = reason or "null in a string template"
                pieces.append("${null}")
            else:
                reason = reason or value.unknown_reason() or "value cannot be used in a string"
                data = value.data
                pieces.append(data.symbolic if isinstance(data, Unknown) and data.symbolic else "${...}")
        if sum(map(len, pieces)) > MAX_STRING:
            return unknown(f"not evaluated: a string longer than {MAX_STRING:,} characters", expr.span)
        text = "".join(pieces)
        if reason:
            return unknown(reason, expr.span, symbolic=text)
        offset = expr.text_line_offset if not substituted_newline else None
        return Value(text, expr.span, text_line_offset=offset)

    def _object(self, expr: ObjectExpr, scope: Scope) -> Value:
        items: dict[str, Value] = {}
        for key_expr, value_expr in expr.items:
            key = self._eval(key_expr, scope)
            if not key.is_known or not isinstance(key.data, (str, int, float, bool)):
                return unknown(key.unknown_reason() or "object key is not known", expr.span)
            items[key.text()] = self._eval(value_expr, scope)
        return known(items, expr.span)

    def _call(self, expr: Call, scope: Scope) -> Value:
        name = expr.name.split("::")[-1]
        if name in ("try", "can"):
            # An attempt that fails (a missing attribute, an index out of range) falls through to
            # the next, as in Terraform; one that is merely undecided makes the result undecided.
            for arg in expr.args:
                value = self.eval(arg, scope)
                failed = isinstance(value.data, Unknown) and value.data.reason.startswith(EVALUATION_ERROR)
                if name == "can":
                    return known(not failed, expr.span) if value.is_known or failed else value
                if not failed:
                    return value
            return unknown(f"{name}() found no usable argument", expr.span)
        if name in ("file", "templatefile"):
            return self._file(expr, scope, name)
        args = [self._eval(a, scope) for a in expr.args]
        if expr.expand_final and args and args[-1].is_list:
            args = args[:-1] + args[-1].data
        return call_function(name, args, expr.span)

    def _file(self, expr: Call, scope: Scope, name: str) -> Value:
        if not expr.args:
            return unknown(f"{name}() without a path", expr.span)
        path = self._eval(expr.args[0], scope)
        if not (path.is_known and isinstance(path.data, str)):
            return unknown(path.unknown_reason() or "file path is not known", expr.span)
        absolute = os.path.normpath(os.path.join(self.source.directory, path.data))
        loaded = self.env.read_file(absolute)
        if loaded is None:
            return unknown(f"{name}({path.data!r}) is outside the scanned tree or unreadable", expr.span)
        display, text = loaded
        lines = text.count("\n") + 1
        span = Span(display, 1, 1, lines, 1)
        raw = Value(text, span, text_line_offset=0, trace=(f"{name}({path.data})",))
        if name == "templatefile":
            variables = self._eval(expr.args[1], scope) if len(expr.args) > 1 else known({}, expr.span)
            return self.render_template(raw, variables, expr.span).with_trace(f"templatefile({path.data})")
        return raw

    def render_template(self, template: Value, variables: Value, span: Span) -> Value:
        """Terraform's template rendering (`templatefile`, `data "template_file"`): the text parsed
        as a template and evaluated with only the given variables in scope."""
        if not (template.is_known and isinstance(template.data, str)):
            return unknown(template.unknown_reason() or "the template is not known", span)
        text = template.data
        if "${" not in text and "%{" not in text:
            return template
        if not variables.is_map:
            return unknown(variables.unknown_reason() or "the template variables are not known", span)
        from ..parse.hcl_tree import parse_template_text

        start = template.span.start_line if template.text_line_offset is not None else 1
        try:
            parts, directives = parse_template_text(text, template.span.path, start)
        except ParseError as err:
            return unknown(f"the template does not parse: {err.message}", span)
        offset = template.text_line_offset if template.text_line_offset is not None else None
        parsed = Template(template.span, tuple(parts), directives, text_line_offset=offset)
        return self._template(parsed, Scope(names=dict(variables.data)))

    def _conditional(self, expr: Conditional, scope: Scope) -> Value:
        cond = self._eval(expr.condition, scope)
        if cond.is_known and isinstance(cond.data, bool):
            return self._eval(expr.true if cond.data else expr.false, scope)
        true, false = self._eval(expr.true, scope), self._eval(expr.false, scope)
        if true.is_known and false.is_known and true.plain() == false.plain():
            return true
        text = expr.condition_text or "the condition"
        return Value(
            Branches((Branch(f"`{text}` is true", true), Branch(f"`{text}` is false", false))),
            expr.span,
        )

    def _binary(self, expr: BinaryOp, scope: Scope) -> Value:
        left = self._eval(expr.left, scope)
        op = expr.op
        if op in ("&&", "||") and left.is_known and isinstance(left.data, bool):
            if (op == "&&" and not left.data) or (op == "||" and left.data):
                return known(left.data, expr.span)
            right = self._eval(expr.right, scope)
            return right if right.is_known else unknown(right.unknown_reason() or "unknown", expr.span)
        right = self._eval(expr.right, scope)
        if not (left.fully_known() and right.fully_known()):
            reason = left.unknown_reason() or right.unknown_reason() or "unknown operand"
            return unknown(reason, expr.span)
        a, b = left.plain(), right.plain()
        if op in ("+", "-", "*", "/", "%", "<", ">", "<=", ">=") and not (_is_number(a) and _is_number(b)):
            # HCL arithmetic and ordering take numbers only ("a" * 9999999999 is an error, not a string).
            return unknown(f"{EVALUATION_ERROR}operator {op} needs numbers", expr.span)
        try:
            if op == "==":
                return known(a == b, expr.span)
            if op == "!=":
                return known(a != b, expr.span)
            result = {
                "+": lambda: a + b,
                "-": lambda: a - b,
                "*": lambda: a * b,
                "/": lambda: a / b,
                "%": lambda: a % b,
                "<": lambda: a < b,
                ">": lambda: a > b,
                "<=": lambda: a <= b,
                ">=": lambda: a >= b,
                "&&": lambda: bool(a and b),
                "||": lambda: bool(a or b),
            }[op]()
        except (TypeError, ZeroDivisionError, KeyError):
            return unknown(f"operator {op} cannot apply to these values", expr.span)
        return known(result, expr.span)

    def _unary(self, expr: UnaryOp, scope: Scope) -> Value:
        value = self._eval(expr.operand, scope)
        if not value.is_known:
            return unknown(value.unknown_reason() or "unknown", expr.span)
        if expr.op == "!" and isinstance(value.data, bool):
            return known(not value.data, expr.span)
        if expr.op == "-" and isinstance(value.data, (int, float)):
            return known(-value.data, expr.span)
        return unknown(f"operator {expr.op} cannot apply here", expr.span)

    def _for(self, expr: ForExpr, scope: Scope) -> Value:
        collection = self._eval(expr.collection, scope)
        if not collection.is_known or not (collection.is_list or collection.is_map):
            return unknown(collection.unknown_reason() or "for expression over a non-collection", expr.span)
        pairs = (
            list(collection.items())
            if collection.is_map
            else [(known(i, e.span), e) for i, e in enumerate(collection.data)]
        )
        out_list: list[Value] = []
        out_map: dict[str, Value] = {}
        for key, value in pairs:
            self.env.steps_left -= 1  # every element built counts, even one whose body is trivial
            key_value = key if isinstance(key, Value) else known(key, value.span)
            names = {expr.value_var: value}
            if expr.key_var:
                names[expr.key_var] = key_value
            inner = scope.child(**names)
            if expr.condition is not None:
                keep = self._eval(expr.condition, inner)
                if not keep.is_known:
                    return unknown(keep.unknown_reason() or "for condition unknown", expr.span)
                if not keep.data:
                    continue
            if expr.is_object:
                k = self._eval(expr.key, inner)
                if not k.is_known:
                    return unknown(k.unknown_reason() or "for key unknown", expr.span)
                v = self._eval(expr.value, inner)
                if expr.grouping:
                    group = out_map.setdefault(k.text(), known([], v.span))
                    group.data.append(v)
                else:
                    out_map[k.text()] = v
            else:
                out_list.append(self._eval(expr.value, inner))
        return known(out_map, expr.span) if expr.is_object else known(out_list, expr.span)

    def _splat(self, expr: Splat, scope: Scope) -> Value:
        resource = self._resource_splat(expr, scope)
        if resource is not None:
            return resource
        target = self._eval(expr.target, scope)
        if not target.is_known:
            return unknown(target.unknown_reason() or "unknown", expr.span)
        items = target.elements() if target.is_list else ([] if target.data is None else [target])
        out = []
        for item in items:
            current = item
            for kind, step in expr.steps:
                key = step if kind == "attr" else self._eval(step, scope)
                current = _step(current, key, expr.span)
            out.append(current)
        return known(out, expr.span)

    def _resource_splat(self, expr: Splat, scope: Scope) -> Value | None:
        """`aws_x.y[*].attr`: one element per instance, so a resource with `count = 3` gives a list
        of three (each maybe known only after apply) rather than an unknown list."""
        root, steps = _flatten(expr.target)
        if root is None or root.name in ("var", "local", "each", "count", "path", "module", "self", "terraform"):
            return None
        names = [step for kind, step in steps if kind == "attr"]
        if len(names) != len(steps):
            return None
        if root.name == "data" and len(names) == 2:
            mode, rtype, name = "data", names[0], names[1]
        elif root.name != "data" and len(names) == 1:
            mode, rtype, name = "resource", root.name, names[0]
        else:
            return None
        table = self.source.resources if mode == "resource" else self.source.data
        if (rtype, name) not in table:
            return None
        instances = self.instances(mode, rtype, name)
        if any(i.key in (EVERY_EACH, EVERY_COUNT) for i in instances):
            return None
        if not expr.steps or expr.steps[0][0] != "attr":
            return None
        out = []
        for instance in instances:
            value = _read_from(instance, expr.steps[0][1], expr.span)
            out.append(self._apply(value, list(expr.steps[1:]), scope, expr.span))
        return known(out, expr.span)

    # -- references ------------------------------------------------------------------------------
    def _traversal(self, expr: Expr, scope: Scope) -> Value:
        root, steps = _flatten(expr)
        if root is None:
            # An index or attribute on a non-reference expression, e.g. jsondecode(x).a
            base = self._eval(_base_of(expr), scope)
            return self._apply(base, steps, scope, expr.span)
        name = root.name
        if name in scope.names:
            return self._apply(scope.names[name], steps, scope, expr.span)
        symbolic = "${" + _text_of(root.name, steps) + "}"
        if name in ("var", "local") and steps and steps[0][0] == "attr":
            value = (self.var if name == "var" else self.local)(steps[0][1], expr.span)
            result = self._apply(value, steps[1:], scope, expr.span, symbolic)
            return _at_use(
                result if result.trace else result.with_trace(value.trace[0]) if value.trace else result, expr.span
            )
        if name == "each" and steps and steps[0][0] == "attr":
            picked = {"key": scope.each_key, "value": scope.each_value}.get(steps[0][1])
            if picked is None:
                return unknown("each is only available in a resource with for_each", expr.span, symbolic=symbolic)
            return _at_use(self._apply(picked, steps[1:], scope, expr.span, symbolic), expr.span)
        if name == "count" and steps and steps[0] == ("attr", "index"):
            if scope.count_index is None:
                return unknown("count.index outside a resource with count", expr.span, symbolic=symbolic)
            return self._apply(scope.count_index, steps[1:], scope, expr.span, symbolic)
        if name == "path" and steps and steps[0][0] == "attr":
            return known(self.source.directory, expr.span)
        if name == "data" and len(steps) >= 2:
            return self._resource_ref("data", steps[0][1], steps[1][1], steps[2:], scope, expr.span, symbolic)
        if name == "module" and steps:
            return self._module_ref(steps[0][1], steps[1:], scope, expr.span, symbolic)
        if steps and steps[0][0] == "attr" and (name, steps[0][1]) in self.source.resources:
            return self._resource_ref("resource", name, steps[0][1], steps[1:], scope, expr.span, symbolic)
        return unknown(f"{_text_of(name, steps)} is not known statically", expr.span, symbolic=symbolic)

    def _apply(self, value: Value, steps: list, scope: Scope, span: Span, symbolic: str | None = None) -> Value:
        for kind, step in steps:
            key = step if kind == "attr" else self._eval(step, scope)
            if isinstance(key, Value) and not key.is_known:
                return unknown(key.unknown_reason() or "index is not known", span, symbolic=symbolic)
            value = _step(value, key, span, symbolic)
        return value

    def _resource_ref(self, mode, rtype, name, steps, scope, span, symbolic) -> Value:
        instances = self.instances(mode, rtype, name)
        if not instances:
            return unknown(
                f"{'data.' if mode == 'data' else ''}{rtype}.{name} is not declared", span, symbolic=symbolic
            )
        instance = instances[0]
        if instance.key is not None:
            if not steps and instance.key not in (EVERY_EACH, EVERY_COUNT):
                # The resource as a whole: a map of its instances by key (`for_each`), or a list
                # (`count`), as in `for_each = aws_ecr_repository.this`. Each instance stands for
                # itself; what is read from it is known where its attributes are.
                members = {i.key: unknown(f"{i.address} is a whole resource", span, ref=i.address) for i in instances}
                if all(isinstance(k, str) for k in members):
                    return known(members, span, ref=instance.address)
                return known(list(members.values()), span, ref=instance.address)
            if not steps or steps[0][0] != "index":
                return unknown(f"{rtype}.{name} has several instances", span, symbolic=symbolic, ref=instance.address)
            key = self._eval(steps[0][1], scope)
            if not key.is_known:
                return unknown(key.unknown_reason() or "instance key unknown", span, symbolic=symbolic)
            match = [i for i in instances if i.key == key.data]
            if not match and instance.key in (EVERY_EACH, EVERY_COUNT) and isinstance(key.data, (int, str)):
                # `x[0]` of a resource whose count is unknown: wherever the reference is evaluated,
                # Terraform needs that instance to exist, and its body is the placeholder's with
                # the index now known (`count = var.create ? 1 : 0` on both, the usual pairing).
                match = [_with_key(instance, key)]
            if not match:
                return unknown(f"{rtype}.{name}[{key.text()}] is not an instance", span, symbolic=symbolic)
            instance = match[0]
            steps = steps[1:]
        if not steps:
            return unknown(f"{instance.address} is a whole resource", span, symbolic=symbolic, ref=instance.address)
        attr = steps[0][1] if steps[0][0] == "attr" else None
        if attr is None:
            return unknown("unexpected index on a resource", span, symbolic=symbolic)
        return self._apply(_read_from(instance, attr, span), steps[1:], scope, span, symbolic)

    def _module_ref(self, name, steps, scope, span, symbolic) -> Value:
        children = self.children(name)
        if not children:
            return unknown(f"module.{name} is not available in the scanned tree", span, symbolic=symbolic)
        child = children[0]
        if len(children) > 1 or child.prefix.endswith("].") and steps and steps[0][0] == "index":
            if not steps or steps[0][0] != "index":
                return unknown(f"module.{name} has several instances", span, symbolic=symbolic)
            key = self._eval(steps[0][1], scope)
            wanted = f'module.{name}["{key.data}"].' if isinstance(key.data, str) else f"module.{name}[{key.data}]."
            match = [c for c in children if c.prefix.endswith(wanted)]
            if not match:
                return unknown(f"module.{name} instance is not known", span, symbolic=symbolic)
            child, steps = match[0], steps[1:]
        if not steps or steps[0][0] != "attr":
            return unknown(f"module.{name} as a whole is not evaluated", span, symbolic=symbolic)
        return self._apply(child.output(steps[0][1], span), steps[1:], scope, span, symbolic)


def _read_from(instance: ResourceInstance, attr: str, span: Span) -> Value:
    """An attribute of a resource instance, remembering which instance it was read from."""
    return replace(resource_attribute(instance, attr, span), ref=instance.address)


def _with_key(placeholder: ResourceInstance, key: Value) -> ResourceInstance:
    if placeholder.key == EVERY_COUNT and isinstance(key.data, int) and not isinstance(key.data, bool):
        scope = Scope(count_index=key)
    elif placeholder.key == EVERY_EACH and isinstance(key.data, str):
        scope = Scope(each_key=key, each_value=placeholder.scope.each_value)
    else:
        return placeholder
    return ResourceInstance(
        placeholder.module, placeholder.mode, placeholder.type, placeholder.name, placeholder.block, key.data, scope
    )


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _flatten(expr: Expr) -> tuple[Variable | None, list]:
    steps: list = []
    while True:
        if isinstance(expr, GetAttr):
            steps.append(("attr", expr.name))
            expr = expr.target
        elif isinstance(expr, Index):
            steps.append(("index", expr.key))
            expr = expr.target
        elif isinstance(expr, Variable):
            return expr, list(reversed(steps))
        else:
            return None, list(reversed(steps))


def _base_of(expr: Expr) -> Expr:
    while isinstance(expr, (GetAttr, Index)):
        expr = expr.target
    return expr


def _text_of(root: str, steps: list) -> str:
    out = root
    for kind, step in steps:
        if kind == "attr":
            out += f".{step}"
        elif isinstance(step, Literal):
            out += f"[{step.value!r}]".replace("'", '"')
        else:
            out += "[...]"
    return out


def _at_use(value: Value, span: Span) -> Value:
    """Scalars read through a reference are reported where they are used; containers keep their spans."""
    if value.is_map or value.is_list:
        return value
    return Value(value.data, span, value.provenance, value.trace, value.ref, value.text_line_offset)


def _step(value: Value, key, span: Span, symbolic: str | None = None) -> Value:
    if not value.is_known:
        data = value.data
        reason = data.reason if isinstance(data, Unknown) else (value.unknown_reason() or "unknown")
        return unknown(reason, span, symbolic=symbolic, ref=value.ref)
    k = key.data if isinstance(key, Value) else key
    if value.is_map:
        if isinstance(k, (int, float)) and not isinstance(k, bool):
            k = str(int(k))
        found = value.data.get(k) if isinstance(k, str) else None
        if found is None:
            return unknown(f"{EVALUATION_ERROR}attribute {k!r} not found", span, symbolic=symbolic)
        return found
    if value.is_list and isinstance(k, (int, float)) and not isinstance(k, bool):
        index = int(k)
        if 0 <= index < len(value.data):
            return value.data[index]
        return unknown(f"{EVALUATION_ERROR}index {index} out of range", span, symbolic=symbolic)
    if value.is_list and isinstance(k, str):
        # attribute access on a list of objects (legacy splat)
        return unknown(f"cannot read {k!r} of a list", span, symbolic=symbolic)
    if value.data is None:  # Terraform: "Attempt to get attribute from null value", which try() catches
        return unknown(f"{EVALUATION_ERROR}cannot read {k!r} of null", span, symbolic=symbolic)
    return unknown(f"{EVALUATION_ERROR}cannot index a {type(value.data).__name__}", span, symbolic=symbolic)


# Computed attributes that ecrlint can still describe symbolically.
def resource_attribute(instance: ResourceInstance, attr: str, span: Span) -> Value:
    from .datasources import data_source_attribute

    if instance.mode == "data":
        return data_source_attribute(instance, attr, span)
    written = instance.attr(attr)
    if written is not None:
        return written
    symbolic = f"${{{instance.address}.{attr}}}"
    if instance.type == "aws_ecr_repository":
        name = instance.attr("name")
        if attr == "id" and name is not None:
            return name
        if name is not None and name.is_known and isinstance(name.data, str):
            account = instance.module.env.account_id or "${account_id}"
            if attr == "repository_url":
                symbolic = f"{account}.dkr.ecr.${{region}}.amazonaws.com/{name.data}"
            elif attr == "arn":
                symbolic = f"arn:aws:ecr:${{region}}:{account}:repository/{name.data}"
    return unknown(f"{instance.address}.{attr} is known only after apply", span, symbolic=symbolic)


def variable_file_values(bodies: list[tuple[str, Any]], env_eval: Callable[[Attribute], Value]) -> dict[str, Value]:
    """Values from tfvars bodies, later files overriding earlier ones."""
    values: dict[str, Value] = {}
    for display, body in bodies:
        for name, attribute in body.attributes.items():
            values[name] = env_eval(attribute).with_trace(f"var.{name} from {display}:{attribute.span.start_line}")
    return values


__all__ = ["Env", "ModuleInstance", "ResourceInstance", "BlockInstance", "Scope", "ParseError", "variable_file_values"]
