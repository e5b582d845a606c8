"""Terraform's built-in functions that matter for ECR configuration, over located Values.

Each function receives evaluated arguments and the call's span. An unknown argument makes the
result unknown (with the argument's reason) unless the function can do better (`try`,
`coalesce`). Functions not listed here are unknown by design: ecrlint does not guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..source import Span
from ..values import Unknown, Value, known, unknown


class FunctionError(Exception):
    """The call is invalid for its (known) arguments, as Terraform would reject it."""


MAX_RESULT = 1 << 20  # characters a string function may build


class _NotEvaluated(Exception):
    """A call ecrlint does not evaluate within its budget: the value is unknown, not an error."""


def _needs_known(args: list[Value], span: Span, name: str) -> Value | None:
    for arg in args:
        if not arg.fully_known():
            reason = arg.unknown_reason() or "unknown argument"
            return unknown(reason, span, symbolic=None)
    return None


def _plain(v: Value):
    return v.plain()


def _wrap(data, span: Span) -> Value:
    if isinstance(data, Value):
        return data
    if isinstance(data, dict):
        return known({k: _wrap(v, span) for k, v in data.items()}, span)
    if isinstance(data, (list, tuple)):
        return known([_wrap(v, span) for v in data], span)
    return known(data, span)


def _tostr(v: Value) -> str:
    data = v.data
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, float) and data.is_integer():
        return str(int(data))
    if isinstance(data, (int, float, str)):
        return str(data)
    raise FunctionError(f"cannot convert {type(data).__name__} to string")


MAX_GENERATED = 10_000  # elements a function may make up from a number (range); more is refused


def _bounded(items):
    if len(items) > MAX_GENERATED:
        raise FunctionError(f"range() of more than {MAX_GENERATED} elements is not evaluated")
    return list(items)


def _format(span, args):
    fmt, rest = args[0].data, args[1:]
    if not isinstance(fmt, str):
        raise FunctionError("format string must be a string")
    out, i, n = [], 0, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            m = re.match(r"%([-+# 0]*)(\d*)(?:\.(\d+))?([svdfqtbxXoeEgG%])", fmt[i:])
            if not m:
                raise FunctionError("invalid format verb")
            verb = m.group(4)
            if verb == "%":
                out.append("%")
            else:
                if n >= len(rest):
                    raise FunctionError("not enough arguments for format")
                arg = rest[n]
                n += 1
                if verb in "sv":
                    out.append(_tostr(arg))
                elif verb == "q":
                    out.append('"' + _tostr(arg) + '"')
                elif verb == "d":
                    out.append(str(int(arg.data)))
                elif verb in "fFeEgG":
                    if m.group(3) and int(m.group(3)) > 100:
                        raise _NotEvaluated("format() with a precision over 100 digits is not evaluated")
                    out.append(("%" + (f".{m.group(3)}" if m.group(3) else "") + verb) % float(arg.data))
                elif verb == "t":
                    out.append("true" if arg.data else "false")
                else:
                    out.append(_tostr(arg))
            i += len(m.group(0))
        else:
            out.append(ch)
            i += 1
    return known(_bounded_join("", out), span)


def _bounded_join(separator: str, pieces: list[str]) -> str:
    if sum(map(len, pieces)) + len(separator) * len(pieces) > MAX_RESULT:
        raise _NotEvaluated(f"the result would be a string longer than {MAX_RESULT:,} characters")
    return separator.join(pieces)


def _join(span, args):
    sep = args[0].data
    items = []
    for lst in args[1:]:
        items.extend(_tostr(e) for e in lst.elements())
    return known(_bounded_join(sep, items), span)


def _concat(span, args):
    items: list[Value] = []
    for lst in args:
        items.extend(lst.elements() if lst.is_list else [lst])
    return known(items, span)


def _merge(span, args):
    out: dict[str, Value] = {}
    for m in args:
        if m.data is None:
            continue
        if not m.is_map:
            raise FunctionError("merge arguments must be maps or objects")
        out.update(m.data)
    return known(out, span)


def _distinct(span, args):
    """Known elements once each, in order; an element known only after apply is kept as it is (it
    may equal another, so the list holds at most these members)."""
    seen, out = set(), []
    for e in args[0].elements():
        key = repr(e.plain()) if e.fully_known() else None
        if key is None or key not in seen:
            if key is not None:
                seen.add(key)
            out.append(e)
    return known(out, span)


def _toset(span, args):
    seen, out = set(), []
    for e in args[0].elements():
        key = repr(e.plain())
        if key not in seen:
            seen.add(key)
            out.append(e)
    # Terraform orders sets of strings lexically.
    if all(isinstance(e.data, str) for e in out):
        out.sort(key=lambda e: e.data)
    return known(out, span)


def _lookup(span, args):
    table, key = args[0], args[1]
    if not table.is_map:
        raise FunctionError("lookup needs a map")
    if key.data in table.data:
        return table.data[key.data]  # the element itself, known or not
    if len(args) > 2:
        return args[2]
    raise FunctionError(f"lookup: key {key.data!r} not found")


def _element(span, args):
    items = args[0].elements()
    if not items:
        raise FunctionError("element of an empty list")
    return items[int(args[1].data) % len(items)]


def _flatten(span, args):
    out: list[Value] = []

    def walk(v: Value):
        if v.is_list:
            for e in v.data:
                walk(e)
        else:
            out.append(v)

    walk(args[0])
    return known(out, span)


def _jsondecode(span, args):
    from ..parse.json import JsonError, parse_embedded_json

    try:
        return parse_embedded_json(args[0])
    except JsonError as err:
        raise FunctionError(f"jsondecode: {err.message}") from None


# A quantified group that itself holds a quantifier: backtracking on it can take exponential time.
_NESTED_QUANTIFIER = re.compile(r"\([^()]*[*+}][^()]*\)[*+{]")


def _replace(span, args):
    s, old, new = (a.data for a in args)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        pattern = old[1:-1]
        if _NESTED_QUANTIFIER.search(pattern) or len(s) > MAX_RESULT:
            raise _NotEvaluated("replace() with this regular expression is not evaluated (it could run for very long)")
        result = re.sub(pattern, re.sub(r"\$\{?(\d+)\}?", r"\\\1", new), s)
    else:
        grows = s.count(old) * (len(new) - len(old)) if old else (len(s) + 1) * len(new)
        if len(s) + grows > MAX_RESULT:
            raise _NotEvaluated(f"replace() would build a string longer than {MAX_RESULT:,} characters")
        result = s.replace(old, new)
    return known(result, span)


def _strs(fn: Callable[..., object]) -> Callable[[Span, list[Value]], Value]:
    def call(span, args):
        return _wrap(fn(*[_plain(a) for a in args]), span)

    return call


_SIMPLE: dict[str, Callable[[Span, list[Value]], Value]] = {
    "format": _format,
    "join": _join,
    "concat": _concat,
    "merge": _merge,
    "toset": _toset,
    "element": _element,
    "flatten": _flatten,
    "jsondecode": _jsondecode,
    "replace": _replace,
    "lower": _strs(lambda s: s.lower()),
    "upper": _strs(lambda s: s.upper()),
    "title": _strs(lambda s: s.title()),
    "trimspace": _strs(lambda s: s.strip()),
    "trim": _strs(lambda s, chars: s.strip(chars)),
    "trimprefix": _strs(lambda s, p: s[len(p) :] if s.startswith(p) else s),
    "trimsuffix": _strs(lambda s, p: s[: -len(p)] if p and s.endswith(p) else s),
    "split": _strs(lambda sep, s: s.split(sep)),
    "substr": _strs(lambda s, o, n: s[o:] if n < 0 else s[o : o + n]),
    "startswith": _strs(lambda s, p: s.startswith(p)),
    "endswith": _strs(lambda s, p: s.endswith(p)),
    "length": _strs(lambda x: len(x)),
    "keys": _strs(lambda m: sorted(m)),
    "contains": _strs(lambda lst, x: x in lst),
    "distinct": _distinct,
    "compact": _strs(lambda lst: [x for x in lst if x not in ("", None)]),
    "tostring": _strs(lambda x: x if isinstance(x, str) else _tostr(known(x, Span("", 1, 1, 1, 1)))),
    "tonumber": _strs(lambda x: x if isinstance(x, (int, float)) else float(x) if "." in x else int(x)),
    "tobool": _strs(lambda x: x if isinstance(x, bool) else {"true": True, "false": False}[x]),
    "abs": _strs(abs),
    "max": _strs(lambda *a: max(a)),
    "min": _strs(lambda *a: min(a)),
    "range": _strs(lambda *a: _bounded(range(*[int(x) for x in a]))),
    "reverse": _strs(lambda lst: list(reversed(lst))),
    "sort": _strs(lambda lst: sorted(lst)),
    "zipmap": _strs(lambda ks, vs: dict(zip(ks, vs))),
    "slice": _strs(lambda lst, a, b: lst[a:b]),
    "coalescelist": _strs(lambda *lists: next((x for x in lists if x), [])),
    "alltrue": _strs(lambda lst: all(lst)),
    "anytrue": _strs(lambda lst: any(lst)),
    "formatlist": _strs(lambda fmt, *lists: [fmt.replace("%s", "{}").format(*row) for row in zip(*lists)]),
}


def _values(span, args):
    m = args[0]
    if not m.is_map:
        raise FunctionError("values needs a map")
    return known([m.data[k] for k in sorted(m.data)], span)


def _one(span, args):
    items = args[0].elements() if args[0].is_list else [args[0]]
    if len(items) > 1:
        raise FunctionError("one() of a list with more than one element")
    return items[0] if items else known(None, span)


def _tolist(span, args):
    return known(args[0].elements() if args[0].is_list else list(args[0].data), span)


def _tomap(span, args):
    return args[0]


def _identity(span, args):
    return args[0]


# Functions that keep located elements instead of flattening to plain data.
_STRUCTURAL = {
    "lookup": _lookup,
    "one": _one,
    "values": _values,
    "tolist": _tolist,
    "tomap": _tomap,
    "sensitive": _identity,
    "nonsensitive": _identity,
}


def _symbolic_format(args: list[Value], span: Span, reason: str) -> Value:
    """format() with unknown arguments: unknown, but keeping the known text for rules to read."""
    pieces = iter(args[1:])

    def sub(m: re.Match) -> str:
        if m.group(0) == "%%":
            return "%"
        arg = next(pieces, None)
        if arg is None:
            return m.group(0)
        if arg.fully_known() and not isinstance(arg.data, (dict, list)):
            return arg.text()
        data = arg.data
        return data.symbolic if isinstance(data, Unknown) and data.symbolic else "${...}"

    text = re.sub(r"%%|%[-+# 0]*\d*(?:\.\d+)?[svdfqtbxXoeEgG]", sub, args[0].data)
    return unknown(reason, span, symbolic=text)


def call_function(name: str, args: list[Value], span: Span) -> Value:
    """Evaluate `name(args)`. Raises FunctionError for calls Terraform itself would reject."""
    if name in ("coalesce",):
        for arg in args:
            if not arg.is_known:
                return unknown(arg.unknown_reason() or "unknown argument", span)
            if arg.data not in (None, ""):
                return arg
        raise FunctionError("coalesce: no non-null argument")
    if name in ("base64encode", "base64gzip"):
        # Kept as the decoded text (like Fn::Base64): rules read user data as a script.
        return args[0].with_trace(f"{name} (shown decoded)")
    if (
        not args
        and name in ("jsonencode", "base64encode", "base64gzip", "coalesce")
        or (not args and name in _STRUCTURAL)
    ):
        raise FunctionError(f"{name}() needs an argument")
    if name == "jsonencode":
        # The structure is kept (with its spans); consumers that need JSON text render it.
        return args[0].with_trace("jsonencode")
    fn = _STRUCTURAL.get(name)
    if fn is not None:
        for arg in [args[0], *args[1:2]] if name == "lookup" else args[:1]:
            if not arg.is_known:
                return unknown(arg.unknown_reason() or "unknown argument", span)
        try:
            return fn(span, args)
        except FunctionError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as err:
            raise FunctionError(f"{name}(): {err}") from None
    if name == "format" and args and args[0].is_known and isinstance(args[0].data, str):
        undecided = [a for a in args[1:] if not a.fully_known()]
        if undecided:
            return _symbolic_format(args, span, undecided[0].unknown_reason() or "unknown argument")
    fn = _SIMPLE.get(name)
    if fn is None:
        return unknown(f"function {name}() is not evaluated statically", span, symbolic=f"${{{name}(...)}}")
    if name in ("concat", "distinct"):
        # Only the lists themselves must be known: elements known after apply are carried along,
        # so the result still says how many members it certainly has.
        pending = next((a for a in args if not a.is_known), None)
        if pending is not None:
            return unknown(pending.unknown_reason() or "unknown argument", span)
    else:
        pending = _needs_known(args, span, name)
        if pending is not None:
            return pending
    try:
        return fn(span, args)
    except FunctionError:
        raise
    except _NotEvaluated as err:
        return unknown(str(err), span)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError) as err:
        raise FunctionError(f"{name}(): {err}") from None
