"""YAML to located Values, with CloudFormation short-form tags turned into their long form.

The loader reads libyaml's event stream (PyYAML's C parser) and composes Values itself, without
recursion, so every node gets a span and the limits are enforced while composing:

- nesting deeper than `MAX_DEPTH` is refused;
- aliases are never copied: an alias reuses the anchored Value, and the nodes it stands for are
  counted; more than `MAX_ALIAS_NODES` nodes reached through aliases (a "billion laughs"
  document) or a recursive alias is refused;
- duplicate keys in a mapping are an error (CloudFormation rejects such templates, and a last-wins
  reading would hide which value counts); `<<` merge keys work as in PyYAML's safe loader and are
  not duplicates.

Plain scalars are resolved like PyYAML's safe loader (YAML 1.1: `yes`/`no`/`on`/`off` are booleans,
`0o17`-style octals are integers), except timestamps, which stay strings: a policy's
`Version: 2012-10-17` and a template's `AWSTemplateFormatVersion: 2010-09-09` are text.
Mapping keys are always the key's text.

Short-form tags (`!Ref x`, `!Sub ...`, `!GetAtt a.b`, ...) become one-key mappings
(`{"Ref": "x"}`, `{"Fn::Sub": ...}`, `{"Fn::GetAtt": ["a", "b"]}`) spanning the tag and its
operand; the operand keeps its own span. An unknown local tag is an error.

Spans: 1-based lines and columns, `end_col` one past the last character (as in `parse.json`).
A mapping's data is a `dict` subclass that also records the span of each key (`key_span`).
"""

from __future__ import annotations

import bisect
import re
import sys
from typing import Any

from ..source import Span
from ..values import Value, known
from . import MAX_DEPTH, ParseError

MAX_ALIAS_NODES = 100_000  # nodes reached through aliases, counted every time an alias is used

_Y = "tag:yaml.org,2002:"

# Short-form tag -> long-form key.
CFN_TAGS: dict[str, str] = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in (
            "Sub",
            "GetAtt",
            "Join",
            "If",
            "Select",
            "Split",
            "ImportValue",
            "FindInMap",
            "Base64",
            "Equals",
            "And",
            "Or",
            "Not",
            "GetAZs",
            "Cidr",
            "Transform",
            "Length",
            "ToJsonString",
            "Contains",
            "EachMemberEquals",
            "EachMemberIn",
            "RefAll",
            "ValueOf",
            "ValueOfAll",
            "Implies",
        )
    },
}

_BOOL = {
    "yes": True,
    "no": False,
    "true": True,
    "false": False,
    "on": True,
    "off": False,
}


class YamlError(ParseError):
    pass


class MappingData(dict):
    """A mapping's items, plus the span of each key."""

    __slots__ = ("key_spans",)

    def __init__(self) -> None:
        super().__init__()
        self.key_spans: dict[str, Span] = {}


def key_span(value: Value | None, key: str) -> Span | None:
    """Where `key` is written in the mapping `value`, when the parser recorded it."""
    if value is not None and isinstance(value.data, MappingData):
        return value.data.key_spans.get(key)
    return None


class _Frame:
    __slots__ = (
        "kind",
        "tag",
        "anchor",
        "start",
        "content_start",
        "flow",
        "items",
        "key",
        "key_span",
        "merges",
        "size",
        "height",
        "last_end",
    )

    def __init__(self, kind: str, tag: str | None, anchor: str | None, start: int, content_start: int, flow: bool):
        self.kind = kind
        self.tag = tag
        self.anchor = anchor
        self.start = start
        self.content_start = content_start
        self.flow = flow
        self.items: Any = MappingData() if kind == "map" else []
        self.key: str | None = None
        self.key_span: Span | None = None
        self.merges: list[Value] = []
        self.size = 1
        self.height = 0
        self.last_end = content_start


class _Composer:
    def __init__(self, text: str, path: str, line_offset: int, max_depth: int, max_alias_nodes: int):
        self.text = text
        self.path = path
        self.line_offset = line_offset
        self.max_depth = max_depth
        self.max_alias_nodes = max_alias_nodes
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.anchors: dict[str, tuple[Value, int, int]] = {}  # anchor -> (value, size, height)
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0
        self.stack: list[_Frame] = []
        self.root: Value | None = None
        self.documents = 0

    # -- positions -------------------------------------------------------------------------
    def position(self, index: int) -> tuple[int, int]:
        row = bisect.bisect_right(self.line_starts, index) - 1
        return row + 1 + self.line_offset, index - self.line_starts[row] + 1

    def span(self, start: int, end: int) -> Span:
        end = max(start + 1, end)
        sl, sc = self.position(start)
        el, ec = self.position(end - 1)
        return Span(self.path, sl, sc, el, ec + 1)

    def error(self, message: str, index: int) -> YamlError:
        line, col = self.position(min(max(index, 0), len(self.text)))
        return YamlError(message, line, col)

    def content_start(self, event: Any) -> int:
        """Index of a node's content, after its tag and anchor."""
        pos = event.start_mark.index
        if getattr(event, "tag", None) is None and getattr(event, "anchor", None) is None:
            return pos
        text = self.text
        n = len(text)
        while pos < n and text[pos] in "!&":
            while pos < n and not text[pos].isspace() and text[pos] not in ",[]{}":
                pos += 1
            while pos < n:
                if text[pos] in " \t\r\n":
                    pos += 1
                elif text[pos] == "#":
                    while pos < n and text[pos] != "\n":
                        pos += 1
                else:
                    break
        return min(pos, max(event.end_mark.index, event.start_mark.index))

    def trimmed_end(self, start: int, end: int) -> int:
        text = self.text
        while end > start + 1 and text[end - 1] in " \t\r\n":
            end -= 1
        return end

    # -- composing -------------------------------------------------------------------------
    def compose(self, events: Any) -> Value:
        import yaml

        for event in events:
            if isinstance(event, yaml.ScalarEvent):
                self.scalar(event)
            elif isinstance(event, yaml.MappingStartEvent):
                self.start(event, "map")
            elif isinstance(event, yaml.SequenceStartEvent):
                self.start(event, "seq")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                self.end(event)
            elif isinstance(event, yaml.AliasEvent):
                self.alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.error("more than one YAML document in the file", event.start_mark.index)
        if self.root is None:
            return known(None, Span(self.path, 1 + self.line_offset, 1, 1 + self.line_offset, 1))
        return self.root

    def check_key_position(self, event: Any) -> bool:
        """True when `event` is a mapping key; keys are handled without composing a Value."""
        if not self.stack:
            return False
        frame = self.stack[-1]
        return frame.kind == "map" and frame.key is None

    def scalar(self, event: Any) -> None:
        start = self.content_start(event)
        end = self.trimmed_end(start, event.end_mark.index) if event.style in ("|", ">") else event.end_mark.index
        if self.check_key_position(event):
            if event.tag is not None and event.tag != "!" and not event.tag.startswith(_Y):
                raise self.error(f"a mapping key cannot carry the tag {event.tag}", event.start_mark.index)
            frame = self.stack[-1]
            key = sys.intern(event.value)  # keys recur in every template
            if key == "<<" and event.implicit[0] and event.tag is None:
                key = "\x00merge"
            frame.key = key
            frame.key_span = self.span(start, end)
            frame.last_end = end
            return
        tag = event.tag
        sm, em = event.start_mark, event.end_mark
        if (
            tag is None
            and event.anchor is None
            and event.style not in ("|", ">")
            and em.column > 0
            and em.index > sm.index
        ):
            # a plain or quoted scalar: libyaml's marks are the span already
            off = self.line_offset
            value_span = Span(self.path, sm.line + 1 + off, sm.column + 1, em.line + 1 + off, em.column + 1)
        else:
            value_span = self.span(start, end)
        data = self.scalar_data(event, tag)
        if type(data) is str:
            data = sys.intern(data)  # the same names, ARNs and actions recur across a tree's templates
        value = known(data, value_span)
        if tag in CFN_TAGS:
            value = self.wrap(tag, value, event.start_mark.index, end)
        self.finish(value, 1, 0, event.anchor, event.start_mark.index, end)

    def scalar_data(self, event: Any, tag: str | None) -> Any:
        text = event.value
        if tag is None:
            if not event.implicit[0]:
                return text  # quoted or block scalar
            return _resolve_plain(text)
        if tag == "!" or tag in CFN_TAGS or tag in (_Y + "str", _Y + "binary", _Y + "timestamp", _Y + "value"):
            return text
        if tag in (_Y + "int", _Y + "float", _Y + "bool", _Y + "null"):
            data = _resolve_plain(text)
            kind = tag[len(_Y) :]
            ok = {
                "int": isinstance(data, int) and not isinstance(data, bool),
                "float": isinstance(data, (int, float)) and not isinstance(data, bool),
                "bool": isinstance(data, bool),
                "null": data is None,
            }[kind]
            if not ok:
                raise self.error(f"{text!r} is not a valid !!{kind}", event.start_mark.index)
            return float(data) if kind == "float" else data
        raise self.error(f"unknown tag {tag}", event.start_mark.index)

    def start(self, event: Any, kind: str) -> None:
        if self.check_key_position(event):
            raise self.error("a mapping key must be a scalar", event.start_mark.index)
        if len(self.stack) + 1 > self.max_depth:
            raise self.error(f"nesting deeper than {self.max_depth} levels", event.start_mark.index)
        tag = event.tag
        if tag is not None and tag not in CFN_TAGS and tag != "!":
            allowed = (
                (_Y + "map", _Y + "omap", _Y + "set") if kind == "map" else (_Y + "seq", _Y + "omap", _Y + "pairs")
            )
            if tag not in allowed:
                raise self.error(f"unknown tag {tag}", event.start_mark.index)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        content = self.content_start(event)
        self.stack.append(_Frame(kind, tag, event.anchor, event.start_mark.index, content, bool(event.flow_style)))

    def end(self, event: Any) -> None:
        frame = self.stack.pop()
        end = event.end_mark.index if frame.flow else frame.last_end
        if end <= frame.content_start:
            end = self.trimmed_end(frame.content_start, max(event.end_mark.index, frame.content_start + 1))
        if frame.kind == "map":
            items = frame.items
            for merged in frame.merges:
                for k, v in merged.data.items():
                    if k not in items:
                        items[k] = v
                        span = key_span(merged, k)
                        if span is not None:
                            items.key_spans[k] = span
        value = known(frame.items, self.span(frame.content_start, end))
        if frame.tag in CFN_TAGS:
            value = self.wrap(frame.tag, value, frame.start, end)
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
        self.finish(value, frame.size, frame.height, frame.anchor, frame.start, end)

    def alias(self, event: Any) -> None:
        name = event.anchor
        if name in self.open_anchors:
            raise self.error(f"recursive alias *{name}", event.start_mark.index)
        if name not in self.anchors:
            raise self.error(f"undefined alias *{name}", event.start_mark.index)
        value, size, height = self.anchors[name]
        self.alias_nodes += size
        if self.alias_nodes > self.max_alias_nodes:
            raise self.error(
                f"YAML aliases expand to more than {self.max_alias_nodes} nodes (alias expansion limit)",
                event.start_mark.index,
            )
        if len(self.stack) + height > self.max_depth:
            raise self.error(
                f"nesting deeper than {self.max_depth} levels (through alias *{name})", event.start_mark.index
            )
        if self.check_key_position(event):
            if isinstance(value.data, (dict, list)):
                raise self.error("a mapping key must be a scalar", event.start_mark.index)
            frame = self.stack[-1]
            frame.key = _key_text(value.data)
            frame.key_span = self.span(event.start_mark.index, event.end_mark.index)
            frame.last_end = event.end_mark.index
            return
        self.finish(value, size, height, None, event.start_mark.index, event.end_mark.index)

    def wrap(self, tag: str, value: Value, start: int, end: int) -> Value:
        name = CFN_TAGS[tag]
        span = self.span(start, end)
        if name == "Fn::GetAtt" and isinstance(value.data, str):
            target, _, attribute = value.data.partition(".")
            vs = value.span
            raw = self.text[self.line_starts[vs.start_line - 1 - self.line_offset] + vs.start_col - 1 :]
            if vs.start_line == vs.end_line and raw.startswith(value.data):
                first = Span(vs.path, vs.start_line, vs.start_col, vs.start_line, vs.start_col + len(target))
                second_col = vs.start_col + len(target) + 1
                second = Span(vs.path, vs.start_line, second_col, vs.start_line, max(second_col, vs.end_col))
            else:
                first = second = vs
            value = known([known(target, first), known(attribute, second)], vs)
        data = MappingData()
        data[name] = value
        data.key_spans[name] = self.span(start, start + len(tag))
        return known(data, span)

    def finish(self, value: Value, size: int, height: int, anchor: str | None, start: int, end: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size, height)
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        frame.height = max(frame.height, height + 1)
        frame.last_end = max(frame.last_end, end)
        if frame.kind == "seq":
            frame.items.append(value)
            return
        key = frame.key
        frame.key = None
        if key == "\x00merge":
            sources = value.data if isinstance(value.data, list) else [value]
            for source in sources:
                if not isinstance(source.data, dict):
                    raise self.error("a merge key (<<) needs a mapping or a list of mappings", start)
                frame.merges.append(source)
            return
        assert key is not None
        items = frame.items
        if key in items:
            span = frame.key_span
            raise YamlError(f"duplicate key {key!r}", span.start_line, span.start_col)
        items[key] = value
        items.key_spans[key] = frame.key_span


def _key_text(data: Any) -> str:
    if isinstance(data, bool):
        return "true" if data else "false"
    if data is None:
        return "null"
    return str(data)


def _resolve_plain(text: str) -> Any:
    """The value of an untagged plain scalar, as PyYAML's safe loader reads it (timestamps stay text)."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    first = text[0]
    if first in "yYnNtTfFoO":
        lowered = text.lower()
        if lowered in _BOOL and text in (lowered, lowered.capitalize(), lowered.upper()):
            return _BOOL[lowered]
        return text
    if first in "-+0123456789.":
        lowered = text.lower()
        if lowered in (".inf", "+.inf", "-.inf", ".nan"):
            return float(lowered.replace(".", "", 1)) if "nan" not in lowered else float("nan")
        if len(text) > 400:
            return text  # a huge number is kept as text: Python refuses to convert it, and no ECR value is one
        from yaml.constructor import SafeConstructor
        from yaml.nodes import ScalarNode
        from yaml.resolver import Resolver

        for tag, regexp in Resolver.yaml_implicit_resolvers.get(first, ()):
            if tag in (_Y + "int", _Y + "float") and regexp.match(text):
                node = ScalarNode(tag, text)
                if tag == _Y + "int":
                    return SafeConstructor.construct_yaml_int(_CONSTRUCTOR, node)
                return SafeConstructor.construct_yaml_float(_CONSTRUCTOR, node)
    return text


class _PlainConstructor:
    """Just enough of a constructor for SafeConstructor's int/float methods."""

    @staticmethod
    def construct_scalar(node: Any) -> str:
        return node.value


_CONSTRUCTOR = _PlainConstructor()


def parse_yaml_value(
    text: str,
    path: str,
    *,
    line_offset: int = 0,
    max_depth: int = MAX_DEPTH,
    max_alias_nodes: int = MAX_ALIAS_NODES,
) -> Value:
    """Parse one YAML document into located Values; raises `YamlError` (a `ParseError`)."""
    import yaml

    if text.startswith("\ufeff"):
        text = text[1:]
    composer = _Composer(text, path, line_offset, max_depth, max_alias_nodes)
    try:
        return composer.compose(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        message = ": ".join(part for part in (err.context, err.problem) if part) or "invalid YAML"
        if mark is None:
            raise YamlError(message) from None
        raise YamlError(message, mark.line + 1 + line_offset, mark.column + 1) from None
    except yaml.YAMLError as err:
        position = getattr(err, "position", None)
        line, col = composer.position(position) if isinstance(position, int) else (1, 1)
        raise YamlError(str(err).splitlines()[0] if str(err) else "invalid YAML", line, col) from None


__all__ = ["parse_yaml_value", "YamlError", "MappingData", "key_span", "CFN_TAGS", "MAX_ALIAS_NODES"]
