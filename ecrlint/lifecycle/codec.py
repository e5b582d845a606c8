"""A JSON codec for lifecycle answers (`properties.Outcome`), so they can be kept in the cache.

Plain JSON, never pickles: an entry can at worst fail to decode. Decoding builds only the lifecycle
package's own dataclasses and enums, from plain data, and `conforms` checks a decoded answer's shape
before it is used.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from datetime import datetime
from typing import Any


class DecodeError(Exception):
    pass


def _registered() -> dict[str, type]:
    """The lifecycle package's dataclasses and enums, by name: the only classes decoding builds."""
    from . import analysis, evaluate, policy, properties, tags

    classes = {}
    for module in (analysis, evaluate, policy, properties, tags):
        for item in vars(module).values():
            if isinstance(item, type) and item.__module__ == module.__name__:
                if dataclasses.is_dataclass(item) or issubclass(item, enum.Enum):
                    classes[item.__name__] = item
    return classes


def encode(obj: Any, classes: dict[str, type] | None = None) -> Any:
    """Plain JSON data for `obj`."""
    classes = classes if classes is not None else _registered()
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
        return [encode(x, classes) for x in obj]
    if isinstance(obj, tuple):
        return {"@tu": [encode(x, classes) for x in obj]}
    if isinstance(obj, (set, frozenset)):
        return {"@s": sorted((encode(x, classes) for x in obj), key=repr), "frozen": isinstance(obj, frozenset)}
    if isinstance(obj, dict):
        items = [[encode(k, classes), encode(v, classes)] for k, v in obj.items()]
        return {"@d": items}
    if dataclasses.is_dataclass(obj):
        name = type(obj).__name__
        if classes.get(name) is not type(obj):
            raise TypeError(f"{name} is not registered for the cache")
        return {"@c": name, "f": {f.name: encode(getattr(obj, f.name), classes) for f in dataclasses.fields(obj)}}
    raise TypeError(f"cannot encode {type(obj).__name__}")


def decode(data: Any, classes: dict[str, type] | None = None) -> Any:
    """The object `encode` gave `data` for; raises DecodeError for anything else."""
    classes = classes if classes is not None else _registered()
    if data is None or isinstance(data, (bool, int, str)):
        return data
    if isinstance(data, list):
        return [decode(x, classes) for x in data]
    if not isinstance(data, dict):
        raise DecodeError(f"unexpected {type(data).__name__}")
    try:
        if "@c" in data:
            cls = classes.get(data["@c"])
            if cls is None or not dataclasses.is_dataclass(cls):
                raise DecodeError(f"unknown class {data['@c']!r}")
            values = {name: decode(value, classes) for name, value in data["f"].items()}
            return cls(**values)
        if "@f" in data:
            return float(data["@f"])
        if "@e" in data:
            cls = classes.get(data["@e"])
            if cls is None or not issubclass(cls, enum.Enum):
                raise DecodeError(f"unknown enum {data['@e']!r}")
            return cls(data["v"])
        if "@t" in data:
            return datetime.fromisoformat(data["@t"])
        if "@re" in data:
            return re.compile(data["@re"], data["flags"])
        if "@w" in data:
            from .tags import ONE, STAR

            wildcards = {"*": STAR, "?": ONE}  # the matchers compare them by identity
            if data["@w"] not in wildcards:
                raise DecodeError("bad wildcard")
            return wildcards[data["@w"]]
        if "@tu" in data:
            return tuple(decode(x, classes) for x in data["@tu"])
        if "@s" in data:
            items = [decode(x, classes) for x in data["@s"]]
            return frozenset(items) if data.get("frozen") else set(items)
        if "@d" in data:
            return {decode(k, classes): decode(v, classes) for k, v in data["@d"]}
    except (TypeError, ValueError, KeyError) as err:
        raise DecodeError(str(err)) from None
    raise DecodeError("unexpected object")


def conforms(value: Any, hint: Any, _hints: dict[type, dict[str, Any]] | None = None) -> bool:
    """True when `value` has the shape the type `hint` describes, down to the fields of dataclasses:
    a decoded entry is checked before it is used, so a well-signed entry of the wrong shape (from
    another build with the same version number) is a miss rather than a crash."""
    import types
    import typing

    hints = {} if _hints is None else _hints

    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, arg, hints) for arg in args)
    if origin is typing.Literal:
        return value in args
    if origin is tuple:
        if not isinstance(value, tuple):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0], hints) for v in value)
        return len(args) == len(value) and all(conforms(v, a, hints) for v, a in zip(value, args))
    if origin is list:
        return (
            isinstance(value, list) and all(conforms(v, args[0], hints) for v in value)
            if args
            else isinstance(value, list)
        )
    if origin is dict:
        if not isinstance(value, dict):
            return False
        return not args or all(conforms(k, args[0], hints) and conforms(v, args[1], hints) for k, v in value.items())
    if isinstance(hint, type):
        if not isinstance(value, hint):
            return False
        if dataclasses.is_dataclass(hint):
            fields = _field_hints(hint, hints)
            return all(conforms(getattr(value, name), fields[name], hints) for name in fields)
        return True
    return False


def _field_hints(cls: type, known: dict[type, dict[str, Any]]) -> dict[str, Any]:
    import typing

    hints = known.get(cls)
    if hints is None:
        names = {f.name for f in dataclasses.fields(cls)}
        hints = known[cls] = {k: v for k, v in typing.get_type_hints(cls).items() if k in names}
    return hints
