"""A JSON codec for ecrlint's own frozen data (syntax trees, located values, lifecycle outcomes).

The cache stores parse results as JSON, never as pickles: an entry someone else wrote can at
worst fail to decode. Decoding builds only the dataclasses registered here, from plain data.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from datetime import datetime
from typing import Any


class DecodeError(Exception):
    pass


_CLASSES: dict[str, type] = {}


def register(*classes: type) -> None:
    for cls in classes:
        _CLASSES[cls.__name__] = cls


def _registered() -> dict[str, type]:
    if not _CLASSES:
        from .findings import Finding, Match, Suppression, Undecided
        from .lifecycle import analysis, evaluate, policy, properties, tags
        from .parse import ParseFailure, hcl_ast
        from .query import Query, QueryNode
        from .source import Span
        from .values import Branch, Branches, Provenance, Unknown, Value

        register(Span, Value, Unknown, Branches, Branch, Provenance, Match, ParseFailure, Query, QueryNode)
        register(Finding, Suppression, Undecided)
        for module in (hcl_ast, analysis, evaluate, policy, properties, tags):
            for item in vars(module).values():
                if isinstance(item, type) and item.__module__ == module.__name__:
                    if dataclasses.is_dataclass(item) or issubclass(item, enum.Enum):
                        register(item)
    return _CLASSES


def encode(obj: Any) -> Any:
    """Plain JSON data for `obj`."""
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return {"@f": repr(obj)}  # keeps inf/nan and exact floats through JSON
    if isinstance(obj, enum.Enum):
        return {"@e": type(obj).__name__, "v": obj.value}
    if isinstance(obj, datetime):
        return {"@t": obj.isoformat()}
    if isinstance(obj, re.Pattern):
        return {"@re": obj.pattern, "flags": int(obj.flags)}
    if type(obj).__name__ == "Wildcard":  # lifecycle tag patterns: `*` or `?`
        return {"@w": obj.symbol}
    if isinstance(obj, list):
        return [encode(x) for x in obj]
    if isinstance(obj, tuple):
        return {"@tu": [encode(x) for x in obj]}
    if isinstance(obj, (set, frozenset)):
        return {"@s": sorted((encode(x) for x in obj), key=repr), "frozen": isinstance(obj, frozenset)}
    if isinstance(obj, dict):
        items = [[encode(k), encode(v)] for k, v in obj.items()]
        key_spans = getattr(obj, "key_spans", None)
        if key_spans is not None:  # a YAML mapping that remembers where each key was written
            return {"@m": items, "ks": [[k, encode(span)] for k, span in key_spans.items()]}
        return {"@d": items}
    if dataclasses.is_dataclass(obj):
        name = type(obj).__name__
        if _registered().get(name) is not type(obj):
            raise TypeError(f"{name} is not registered for the cache")
        return {"@c": name, "f": {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
    raise TypeError(f"cannot encode {type(obj).__name__}")


def decode(data: Any) -> Any:
    """The object `encode` gave `data` for; raises DecodeError for anything else."""
    if data is None or isinstance(data, (bool, int, str)):
        return data
    if isinstance(data, list):
        return [decode(x) for x in data]
    if not isinstance(data, dict):
        raise DecodeError(f"unexpected {type(data).__name__}")
    try:
        if "@c" in data:
            cls = _registered().get(data["@c"])
            if cls is None or not dataclasses.is_dataclass(cls):
                raise DecodeError(f"unknown class {data['@c']!r}")
            values = {name: decode(value) for name, value in data["f"].items()}
            return cls(**values)
        if "@f" in data:
            return float(data["@f"])
        if "@e" in data:
            cls = _registered().get(data["@e"])
            if cls is None or not issubclass(cls, enum.Enum):
                raise DecodeError(f"unknown enum {data['@e']!r}")
            return cls(data["v"])
        if "@t" in data:
            return datetime.fromisoformat(data["@t"])
        if "@re" in data:
            return re.compile(data["@re"], data["flags"])
        if "@w" in data:
            from .lifecycle.tags import Wildcard

            if data["@w"] not in ("*", "?"):
                raise DecodeError("bad wildcard")
            return Wildcard(data["@w"])
        if "@tu" in data:
            return tuple(decode(x) for x in data["@tu"])
        if "@s" in data:
            items = [decode(x) for x in data["@s"]]
            return frozenset(items) if data.get("frozen") else set(items)
        if "@d" in data:
            return {decode(k): decode(v) for k, v in data["@d"]}
        if "@m" in data:
            from .parse.yaml import MappingData

            mapping = MappingData()
            mapping.update((decode(k), decode(v)) for k, v in data["@m"])
            mapping.key_spans.update((k, decode(span)) for k, span in data["ks"])
            return mapping
    except (TypeError, ValueError, KeyError) as err:
        raise DecodeError(str(err)) from None
    raise DecodeError("unexpected object")


def conforms(value: Any, hint: Any) -> bool:
    """True when `value` has the shape the type `hint` describes, down to the fields of dataclasses:
    a decoded entry is checked before it is used, so a well-signed entry of the wrong shape (from
    another build with the same version number) is a miss rather than a crash."""
    import types
    import typing

    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, arg) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return len(args) == len(value) and all(conforms(v, a) for v, a in zip(value, args))
    if origin is list:
        return isinstance(value, list) and all(conforms(v, args[0]) for v in value) if args else isinstance(value, list)
    if origin is dict:
        if not isinstance(value, dict):
            return False
        return not args or all(conforms(k, args[0]) and conforms(v, args[1]) for k, v in value.items())
    if isinstance(hint, type):
        if not isinstance(value, hint):
            return False
        if dataclasses.is_dataclass(hint):
            fields = _field_hints(hint)
            return all(conforms(getattr(value, name), fields[name]) for name in fields)
        return True
    return False


def _field_hints(cls: type) -> dict[str, Any]:
    import typing

    hints = _HINTS.get(cls)
    if hints is None:
        names = {f.name for f in dataclasses.fields(cls)}
        hints = _HINTS[cls] = {k: v for k, v in typing.get_type_hints(cls).items() if k in names}
    return hints


_HINTS: dict[type, dict[str, Any]] = {}
