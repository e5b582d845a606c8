"""What a query can read on each model type, taken from the model classes themselves.

The query loader checks paths against it (`r.nmae` is an error when the rule loads, not a rule
that silently never fires), and the README's model reference is generated from it, so neither
can drift from the model.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import inspect
import typing
from functools import cache
from typing import Any


@cache
def readable_fields(cls: type) -> dict[str, Any]:
    """Name -> type of what `r.<name>` reads on `cls`: its dataclass fields, its properties and its
    methods that take no argument and return something (a query calls those)."""
    hints = typing.get_type_hints(cls)
    found: dict[str, Any] = {f.name: hints.get(f.name, Any) for f in dataclasses.fields(cls)}
    for name, member in inspect.getmembers(cls):
        if name.startswith("_") or name in found:
            continue
        if isinstance(member, property):
            found[name] = _returns(member.fget)
        elif inspect.isfunction(member) and _takes_no_argument(member):
            returned = _returns(member)
            if returned is not None and returned is not type(None) and not _is_iterator(returned):
                found[name] = returned
    return dict(sorted(found.items()))


def _returns(function) -> Any:
    try:
        return typing.get_type_hints(function).get("return", Any)
    except Exception:  # an annotation that does not resolve: the reader cannot check below it
        return Any


def _takes_no_argument(function) -> bool:
    params = list(inspect.signature(function).parameters.values())[1:]
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)


def _is_iterator(hint: Any) -> bool:
    origin = typing.get_origin(hint) or hint
    return isinstance(origin, type) and issubclass(origin, (collections.abc.Iterator,))


def type_name(hint: Any) -> str:
    """A short readable name for a field's type: `Value`, `PolicyDocument`, `list[Statement]`."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", typing.Union)):
        parts = [type_name(a) for a in args if a is not type(None)]
        return " | ".join(parts) + (" | None" if type(None) in args else "")
    if origin is not None:
        inner = ", ".join(type_name(a) for a in args)
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if hint is Any:
        return "Any"
    return getattr(hint, "__name__", str(hint))


def model_reference() -> str:
    """Markdown: the model types a query can select and the fields it can read on each."""
    from ..model import MODEL_TYPES, ModelObject, PolicyDocument, Statement

    common = readable_fields(ModelObject)
    out = [
        "Every type has " + ", ".join(_field(name, hint) for name, hint in common.items()) + ".",
        "",
        "| type | fields |",
        "|---|---|",
    ]
    for kind, cls in MODEL_TYPES.items():
        own = {k: v for k, v in readable_fields(cls).items() if k not in common}
        out.append(f"| `{kind}` | {', '.join(_field(name, hint) for name, hint in own.items())} |")
    for cls in (PolicyDocument, Statement):
        fields = ", ".join(_field(name, hint) for name, hint in readable_fields(cls).items())
        out.append(f"| {cls.__name__} | {fields} |")
    return "\n".join(out) + "\n"


def _field(name: str, hint: Any) -> str:
    """`name`, with its type unless it is a written value (`Value`, the common case)."""
    shown = type_name(hint)
    if shown in ("Value", "Value | None"):
        return f"`{name}`"
    return f"`{name}` ({shown.replace('|', 'or')})"
