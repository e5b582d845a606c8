"""A JSON codec for pieces of the model (objects, located values, diagnostics), for the unit cache.

Plain JSON, never pickles: decoding builds only the types listed here (the model's object classes,
`Value` and its parts, `Span`, `PolicyDocument`, `Statement`, `Diagnostic` and the like), checks
the fields it fills against their declared types, and raises `DecodeError` for anything else, so a
signed entry of the wrong shape is a miss, never a crash.

The encoding is compact: a node is a JSON array led by a tag, spans and paths sit in tables, and an
object met twice (a `Value` shared by a policy document and its statements) is written once and
referred to afterwards, so that decoding gives back the same sharing as the objects had.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import types
import typing
from collections.abc import Iterator
from typing import Any

from ..source import Span
from ..values import Branch, Branches, Provenance, Unknown, Value


class DecodeError(Exception):
    pass


_PROVENANCE = {p.value: p for p in Provenance}
_MEMO = ("V", "L", "D", "M", "C")  # tags of nodes that may be shared: each gets a slot in the table
_VALUE = {Value}
_STR = {str}
_TAIL_DEFAULTS = (Provenance.EXPLICIT.value, [], None, None)  # a Value's provenance, trace, ref, text offset


@functools.cache  # the model's classes: the same for every piece
def _classes() -> dict[str, type]:
    """The dataclasses a piece may hold, by name (none of them has a name another one has)."""
    from ..terraform.module_models import NotAnalysed
    from .adapters import Diagnostic
    from .objects import MODEL_TYPES
    from .policy import PolicyDocument, Statement

    found = {cls.__name__: cls for cls in MODEL_TYPES.values()}
    for cls in (PolicyDocument, Statement, Diagnostic, NotAnalysed, Unknown, Branch, Branches):
        found[cls.__name__] = cls
    return found


# -- encoding --------------------------------------------------------------------------------
class _Encoder:
    def __init__(self, extra: tuple[type, ...] = ()) -> None:
        self.classes = {**_classes(), **{cls.__name__: cls for cls in extra}} if extra else _classes()
        self.paths: dict[str, int] = {}
        self.spans: dict[Span, int] = {}
        self.seen: dict[int, int] = {}  # id(object) -> its slot
        self.alive: list[Any] = []  # keeps the objects whose ids are in `seen`
        self.slots = 0
        self.span_rows: list[int] = []

    def span(self, span: Span) -> int:
        index = self.spans.get(span)
        if index is None:
            path = self.paths.setdefault(span.path, len(self.paths))
            index = self.spans[span] = len(self.spans)
            self.span_rows.extend((path, span.start_line, span.start_col, span.end_line, span.end_col))
        return index

    def shared(self, obj: Any) -> list | None:
        """A reference when `obj` was written before; otherwise its slot is taken."""
        slot = self.seen.get(id(obj))
        if slot is not None:
            return ["R", slot]
        self.seen[id(obj)] = self.slots
        self.alive.append(obj)
        self.slots += 1
        return None

    def encode(self, obj: Any) -> Any:
        kind = type(obj)
        if obj is None or kind is str or kind is bool or kind is int:
            return obj
        if kind is Value:
            return self.shared(obj) or self.value(obj)
        if kind is float:
            return ["f", repr(obj)]
        if kind is Span:
            return ["S", self.span(obj)]
        if kind is list:
            return self.shared(obj) or ["L", *(self.encode(x) for x in obj)]
        if kind is tuple:
            return ["T", *(self.encode(x) for x in obj)]
        if kind is set:
            return ["Z", *sorted((self.encode(x) for x in obj), key=repr)]
        if kind is dict:
            return self.shared(obj) or ["D", *(y for k, v in obj.items() for y in (self.encode(k), self.encode(v)))]
        if hasattr(obj, "key_spans") and isinstance(obj, dict):  # a YAML mapping that knows where its keys are
            ref = self.shared(obj)
            if ref:
                return ref
            items = [y for k, v in obj.items() for y in (self.encode(k), self.encode(v))]
            spans = [y for k, s in obj.key_spans.items() for y in (self.encode(k), self.span(s))]
            return ["M", items, spans]
        name = kind.__name__
        if self.classes.get(name) is kind:
            ref = self.shared(obj)
            if ref:
                return ref
            return ["C", name, {f.name: self.encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}]
        raise TypeError(f"cannot encode {name}")

    def value(self, value: Value) -> list:
        out = ["V", self.encode(value.data), self.span(value.span)]
        tail = [value.provenance.value, list(value.trace), value.ref, value.text_line_offset]
        while tail and tail[-1] == _TAIL_DEFAULTS[len(tail) - 1]:
            tail.pop()  # fields left at their defaults are not written
        return out + tail


def dumps(obj: Any, extra: tuple[type, ...] = ()) -> bytes:
    """`obj` (plain data holding model objects, Values, Spans, ...) as JSON bytes. `extra`: other
    dataclasses it may hold (their names must differ from the model's)."""
    return json.dumps(_document(obj, extra), separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")


def _document(obj: Any, extra: tuple[type, ...]) -> dict:
    """`obj` encoded, with the path and span tables its nodes refer to."""
    encoder = _Encoder(extra)
    body = encoder.encode(obj)
    return {"paths": list(encoder.paths), "spans": encoder.span_rows, "body": body}


def dumps_chunks(obj: Any, extra: tuple[type, ...] = (), size: int = 1 << 16) -> Iterator[bytes]:
    """What `dumps` gives, in pieces of about `size` bytes, so that a large document is never one
    block in memory (`Cache.put_stream`)."""
    pending: list[str] = []
    length = 0
    for text in json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).iterencode(_document(obj, extra)):
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending).encode("utf-8", "surrogatepass")
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode("utf-8", "surrogatepass")


# -- decoding --------------------------------------------------------------------------------
class _Decoder:
    def __init__(self, paths: Any, spans: Any, extra: tuple[type, ...] = ()) -> None:
        self.classes = {**_classes(), **{cls.__name__: cls for cls in extra}} if extra else _classes()
        self.table: list[Any] = []
        if not isinstance(paths, list) or not all(type(p) is str for p in paths):
            raise DecodeError("bad path table")
        if not isinstance(spans, list):
            raise DecodeError("bad span table")
        # Five numbers a span: its path's index, then where it starts and ends.
        if len(spans) % 5 or not set(map(type, spans)) <= {int}:
            raise DecodeError("bad span table")
        try:
            self.spans = [
                Span(paths[spans[n]], spans[n + 1], spans[n + 2], spans[n + 3], spans[n + 4])
                for n in range(0, len(spans), 5)
            ]
        except IndexError:
            raise DecodeError("bad span path") from None

    def span(self, index: Any) -> Span:
        if type(index) is not int or not 0 <= index < len(self.spans):
            raise DecodeError("bad span reference")
        return self.spans[index]

    def decode(self, data: Any) -> Any:
        kind = type(data)
        if data is None or kind is str or kind is bool or kind is int:
            return data
        if kind is not list or not data:
            raise DecodeError(f"unexpected {kind.__name__}")
        tag = data[0]
        if tag in _MEMO:
            slot = len(self.table)
            self.table.append(_PENDING)
            if tag == "V":
                out = self.value(data)
            elif tag == "L":
                out = []
                self.table[slot] = out
                out.extend(self.decode(x) for x in data[1:])
            elif tag == "D":
                out = {}
                self.table[slot] = out
                self.fill(out, data[1:])
            elif tag == "M":
                out = self.mapping(data, slot)
            else:
                out = self.instance(data)
            self.table[slot] = out
            return out
        if tag == "R":
            if len(data) != 2 or type(data[1]) is not int or not 0 <= data[1] < len(self.table):
                raise DecodeError("bad reference")
            found = self.table[data[1]]
            if found is _PENDING:
                raise DecodeError("a reference to an object being built")
            return found
        if tag == "S" and len(data) == 2:
            return self.span(data[1])
        if tag == "T":
            return tuple(self.decode(x) for x in data[1:])
        if tag == "Z":
            items = [self.decode(x) for x in data[1:]]
            try:
                return set(items)
            except TypeError:
                raise DecodeError("a set of unhashable items") from None
        if tag == "f" and len(data) == 2 and type(data[1]) is str:
            try:
                return float(data[1])
            except ValueError:
                raise DecodeError("bad float") from None
        raise DecodeError(f"unknown tag {tag!r}")

    def fill(self, out: dict, flat: list) -> None:
        if len(flat) % 2:
            raise DecodeError("odd mapping")
        for n in range(0, len(flat), 2):
            key = flat[n]
            if type(key) is str:
                key = sys.intern(key)  # keys repeat across every piece: one copy each, as the parsers keep
            else:
                key = self.decode(key)
                if type(key) not in (int, tuple):
                    raise DecodeError("bad mapping key")
            out[key] = self.decode(flat[n + 1])

    def mapping(self, data: list, slot: int) -> dict:
        from ..parse.yaml import MappingData

        if len(data) != 3 or type(data[1]) is not list or type(data[2]) is not list or len(data[2]) % 2:
            raise DecodeError("bad YAML mapping")
        out = MappingData()
        self.table[slot] = out
        self.fill(out, data[1])
        for n in range(0, len(data[2]), 2):
            key = data[2][n]
            if type(key) is not str:
                raise DecodeError("bad YAML mapping key")
            out.key_spans[sys.intern(key)] = self.span(data[2][n + 1])
        return out

    def value(self, data: list) -> Value:
        size = len(data)
        if not 3 <= size <= 7:
            raise DecodeError("bad value")
        inner = self.decode(data[1])
        kind = type(inner)
        if kind is list:
            if inner and not set(map(type, inner)) <= _VALUE:
                raise DecodeError("a list value holds something else than values")
        elif kind is dict or (kind is not str and isinstance(inner, dict)):
            if inner and not (set(map(type, inner)) <= _STR and set(map(type, inner.values())) <= _VALUE):
                raise DecodeError("a map value holds something else than values")
        elif inner is not None and kind not in (str, bool, int, float, Unknown, Branches):
            raise DecodeError(f"a value cannot hold {kind.__name__}")
        span = self.span(data[2])
        provenance = _PROVENANCE.get(data[3]) if size > 3 else Provenance.EXPLICIT
        if provenance is None:
            raise DecodeError("bad provenance")
        trace = data[4] if size > 4 else ()
        if trace and (type(trace) is not list or not set(map(type, trace)) <= _STR):
            raise DecodeError("bad trace")
        ref = data[5] if size > 5 else None
        offset = data[6] if size > 6 else None
        if ref is not None and type(ref) is not str or offset is not None and type(offset) is not int:
            raise DecodeError("bad value reference or offset")
        return Value(inner, span, provenance, tuple(trace), ref, offset)

    def instance(self, data: list) -> Any:
        if len(data) != 3 or type(data[2]) is not dict:
            raise DecodeError("bad object")
        cls = self.classes.get(data[1])
        if cls is None:
            raise DecodeError(f"unknown class {data[1]!r}")
        hints = field_checks(cls)
        fields = data[2]
        if set(fields) != set(hints):
            raise DecodeError(f"{cls.__name__} with other fields")
        values = {}
        for name, raw in fields.items():
            value = self.decode(raw)
            if not hints[name](value):
                raise DecodeError(f"{cls.__name__}.{name} of the wrong type")
            values[name] = value
        try:
            return cls(**values)
        except (TypeError, ValueError) as err:
            raise DecodeError(str(err)) from None


class _Pending:
    pass


_PENDING = _Pending()


@functools.cache  # a property of the class's code, the same for every input
def field_checks(cls: type) -> dict[str, Any]:
    """For each field of the dataclass `cls`, a test of a decoded value against its declared type."""
    declared = typing.get_type_hints(cls)
    return {f.name: check_for(declared[f.name]) for f in dataclasses.fields(cls) if f.init}


def check_for(hint: Any):
    """A test of a decoded value against the declared type `hint`, made once per type: one level of
    classes, unions with None, lists, tuples and dicts (what they hold below that was checked when
    it was decoded)."""
    if hint is Any:
        return lambda value: True
    if hint is None or hint is type(None):
        return lambda value: value is None
    if hint is float:
        return lambda value: type(value) in (int, float)
    if isinstance(hint, type):
        return lambda value: isinstance(value, hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        arms = [check_for(arg) for arg in args]
        return lambda value: any(arm(value) for arm in arms)
    if origin is list:
        item = check_for(args[0]) if args else None
        return lambda value: type(value) is list and (item is None or all(map(item, value)))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            item = check_for(args[0])
            return lambda value: type(value) is tuple and all(map(item, value))
        items = [check_for(arg) for arg in args]
        return lambda value: (
            type(value) is tuple and (not items or len(value) == len(items) and all(c(v) for c, v in zip(items, value)))
        )
    if origin is set:
        item = check_for(args[0]) if args else None
        return lambda value: type(value) is set and (item is None or all(map(item, value)))
    if origin is dict:
        key, item = (check_for(args[0]), check_for(args[1])) if args else (None, None)
        return lambda value: (
            isinstance(value, dict) and (key is None or all(key(k) and item(v) for k, v in value.items()))
        )
    return lambda value: fits(value, hint)


def fits(value: Any, hint: Any) -> bool:
    """Whether `value` has the declared type `hint`, one level deep (what it holds was checked when
    it was decoded: values hold values, objects were checked field by field)."""
    if hint is Any:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, arg) for arg in typing.get_args(hint))
    if origin is not None:
        args = typing.get_args(hint)
        if origin is list:
            return type(value) is list and (not args or all(fits(v, args[0]) for v in value))
        if origin is tuple:
            if type(value) is not tuple:
                return False
            if len(args) == 2 and args[1] is Ellipsis:
                return all(fits(v, args[0]) for v in value)
            return not args or len(args) == len(value) and all(fits(v, a) for v, a in zip(value, args))
        if origin is set:
            return type(value) is set and (not args or all(fits(v, args[0]) for v in value))
        if origin is dict:
            return isinstance(value, dict) and (
                not args or all(fits(k, args[0]) and fits(v, args[1]) for k, v in value.items())
            )
        return False
    if hint is float:
        return type(value) in (int, float)
    return isinstance(hint, type) and isinstance(value, hint)


def loads(data: bytes, extra: tuple[type, ...] = ()) -> Any:
    """What `dumps` gave `data` for (with the same `extra` classes); raises DecodeError for anything else."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as err:
        raise DecodeError(f"not JSON: {err}") from None
    if type(document) is not dict or set(document) != {"paths", "spans", "body"}:
        raise DecodeError("not a model piece")
    try:
        return _Decoder(document["paths"], document["spans"], extra).decode(document["body"])
    except RecursionError:
        raise DecodeError("nested too deeply") from None


def piece_bytes(result, parts: dict[str, Any]) -> bytes | None:
    """A unit's model piece for the unit cache: its result and what the adapter keeps beside it;
    None when it holds something the codec does not know (the piece is then not cached).

    Two documents on two lines: everything but the model objects, then the objects. A run reads
    the first of each piece at once, and decodes the second only if it builds the model
    (`units.StoredObjects`)."""
    from .adapters import result_to_plain

    plain = result_to_plain(result)
    objects = plain.pop("objects")
    try:
        return dumps({**plain, **parts}) + b"\n" + dumps(objects)
    except (TypeError, ValueError, RecursionError):
        return None


def piece_from_bytes(data: bytes, hints: dict[str, Any], keep) -> tuple[Any, dict[str, Any]] | None:
    """What `piece_bytes` stored: the result, and the parts named in `hints`, each of its declared
    type; None for data of any other shape. The objects are not decoded here: `keep(encoded)` gives
    what stands for them in the result (`units.StoredObjects`), or raises DecodeError."""
    from .adapters import result_from_plain, result_to_plain

    head, newline, objects = data.partition(b"\n")
    if not newline:
        return None
    try:
        plain = loads(head)
        kept = keep(objects)
    except DecodeError:
        return None
    result = result_from_plain({**plain, "objects": []}) if type(plain) is dict else None
    if result is None or {*plain, "objects"} != {*result_to_plain(result), *hints}:
        return None
    if not all(fits(plain[name], hint) for name, hint in hints.items()):
        return None
    result.objects = [kept]
    return result, {name: plain[name] for name in hints}


def objects_part(piece: bytes) -> bytes:
    """The encoded objects of a piece made by `piece_bytes`."""
    return piece.partition(b"\n")[2]


def objects_from_bytes(data: bytes) -> list:
    """The model objects `dumps` gave `data` for; raises DecodeError for anything else."""
    from .objects import ModelObject

    found = loads(data)
    if type(found) is not list or not all(isinstance(o, ModelObject) for o in found):
        raise DecodeError("not a list of model objects")
    return found


__all__ = [
    "DecodeError",
    "check_for",
    "dumps",
    "dumps_chunks",
    "field_checks",
    "fits",
    "loads",
    "piece_bytes",
    "piece_from_bytes",
    "objects_from_bytes",
    "objects_part",
]
