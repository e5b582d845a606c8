"""A JSON codec for lifecycle answers (`properties.Outcome`), so they can be kept in the cache.

Plain JSON, never pickles: an entry can at worst fail to decode. Decoding builds only the lifecycle
package's own dataclasses (and the tag wildcards, dates and patterns they hold), checks each field
it fills against the field's declared type, and raises `DecodeError` for anything else. An object
met twice (a rule, in every decision that names it) is written once and referred to afterwards,
so that decoding gives back the same sharing.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from datetime import datetime
from typing import Any


class DecodeError(Exception):
    pass


def classes_of(*modules) -> dict[str, type]:
    """The dataclasses and enums defined in `modules`, by name: the only classes decoding builds."""
    classes = {}
    for module in modules:
        for item in vars(module).values():
            if isinstance(item, type) and item.__module__ == module.__name__:
                if dataclasses.is_dataclass(item) or issubclass(item, enum.Enum):
                    classes[item.__name__] = item
    return classes


class _Encoder:
    def __init__(self, classes: dict[str, type]) -> None:
        self.classes = classes
        self.seen: dict[int, int] = {}  # id(dataclass instance) -> its slot
        self.alive: list[Any] = []  # keeps the objects whose ids are in `seen`

    def encode(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, int, str)) and not isinstance(obj, enum.Enum):
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
            return [self.encode(x) for x in obj]
        if isinstance(obj, tuple):
            return {"@tu": [self.encode(x) for x in obj]}
        if isinstance(obj, (set, frozenset)):
            items = sorted((self.encode(x) for x in obj), key=repr)
            return {"@s": items, "frozen": isinstance(obj, frozenset)}
        if isinstance(obj, dict):
            return {"@d": [[self.encode(k), self.encode(v)] for k, v in obj.items()]}
        if dataclasses.is_dataclass(obj):
            name = type(obj).__name__
            if self.classes.get(name) is not type(obj):
                raise TypeError(f"{name} is not registered for the cache")
            slot = self.seen.get(id(obj))
            if slot is not None:
                return {"@r": slot}
            self.seen[id(obj)] = len(self.alive)
            self.alive.append(obj)
            return {"@c": name, "f": {f.name: self.encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
        raise TypeError(f"cannot encode {type(obj).__name__}")


class _Decoder:
    def __init__(self, classes: dict[str, type]) -> None:
        self.classes = classes
        self.table: list[Any] = []

    def decode(self, data: Any) -> Any:
        if data is None or isinstance(data, (bool, int, str)):
            return data
        if isinstance(data, list):
            return [self.decode(x) for x in data]
        if not isinstance(data, dict):
            raise DecodeError(f"unexpected {type(data).__name__}")
        try:
            if "@c" in data:
                return self.instance(data)
            if "@r" in data:
                slot = data["@r"]
                if type(slot) is not int or not 0 <= slot < len(self.table):
                    raise DecodeError("bad reference")
                found = self.table[slot]
                if found is _PENDING:
                    raise DecodeError("a reference to an object being built")
                return found
            if "@f" in data:
                return float(data["@f"])
            if "@e" in data:
                cls = self.classes.get(data["@e"])
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
                return wildcards[data["@w"]]
            if "@tu" in data:
                return tuple(self.decode(x) for x in data["@tu"])
            if "@s" in data:
                items = [self.decode(x) for x in data["@s"]]
                return frozenset(items) if data.get("frozen") else set(items)
            if "@d" in data:
                return {self.decode(k): self.decode(v) for k, v in data["@d"]}
        except (TypeError, ValueError, KeyError, IndexError, re.error) as err:
            raise DecodeError(str(err)) from None
        raise DecodeError("unexpected object")

    def instance(self, data: dict) -> Any:
        from ..model.codec import field_checks

        cls = self.classes.get(data["@c"])
        if cls is None or not dataclasses.is_dataclass(cls):
            raise DecodeError(f"unknown class {data['@c']!r}")
        slot = len(self.table)
        self.table.append(_PENDING)
        checks = field_checks(cls)
        fields = data["f"]
        if not isinstance(fields, dict) or set(fields) != set(checks):
            raise DecodeError(f"{cls.__name__} with other fields")
        values = {}
        for name, raw in fields.items():
            value = self.decode(raw)
            if not checks[name](value):
                raise DecodeError(f"{cls.__name__}.{name} of the wrong type")
            values[name] = value
        self.table[slot] = obj = cls(**values)
        return obj


class _Pending:
    pass


_PENDING = _Pending()


def encode(obj: Any, classes: dict[str, type]) -> Any:
    """Plain JSON data for `obj`, whose dataclasses and enums must be among `classes`."""
    return _Encoder(classes).encode(obj)


def decode(data: Any, classes: dict[str, type]) -> Any:
    """The object `encode` gave `data` for, built only of `classes`, its fields checked against their
    declared types; raises DecodeError for anything else."""
    return _Decoder(classes).decode(data)


__all__ = ["DecodeError", "classes_of", "decode", "encode"]
