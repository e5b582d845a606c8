#!/usr/bin/env python3
"""Time the lifecycle analysis (ECR402-404: exact analysis plus property search) per policy.

    python benchmarks/lifecycle_search.py                  # rule fixtures + ../shared/corpus/real
    python benchmarks/lifecycle_search.py --budget 1000 DIR ...
    python benchmarks/lifecycle_search.py --repeat 3 --json

Policies are found by scanning the given folders (default: the lifecycle rule fixtures and, when
present, `../shared/corpus/real`) for

- JSON files that are a lifecycle policy (`rules` with `rulePriority`), `aws ecr get-lifecycle-policy`
  output, or CloudFormation templates with `LifecyclePolicyText`;
- YAML CloudFormation templates with `LifecyclePolicyText`;
- Terraform files with `aws_ecr_lifecycle_policy` (or a creation template's `lifecycle_policy`):
  `jsonencode({...})` of literal values and `<<EOF` heredocs. Policies built from variables or
  templates are skipped: this script reads files, not Terraform.

Each valid policy is analysed with a cold cache (`--repeat` times, the median is reported); the
time includes the exact analysis and every Hypothesis search the three rules run. Hypothesis is
imported before the first measurement and its import time is reported once. This is a script, not
a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from ecrlint.lifecycle.properties import can_empty, never_applies, protected_tags  # noqa: E402
from ecrlint.lifecycle.validate import evaluation_data, validate  # noqa: E402
from ecrlint.parse.json import parse_json_value  # noqa: E402

DEFAULT_DIRS = [
    os.path.join(ROOT, "rules", "lifecycle"),
    os.path.join(os.path.dirname(ROOT), "shared", "corpus", "real"),
]
SKIP_DIRS = {".git", "node_modules", ".terraform", "__pycache__", ".hypothesis"}


# -- finding policies --------------------------------------------------------------------------
def _is_policy(data) -> bool:
    rules = data.get("rules") if isinstance(data, dict) else None
    return isinstance(rules, list) and any(isinstance(r, dict) and "rulePriority" in r for r in rules)


def _texts_under(data, key: str):
    """Every string value stored under `key` anywhere in `data`."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k == key and isinstance(v, str):
                    yield v
                else:
                    stack.append(v)
        elif isinstance(node, list):
            stack.extend(node)


def _from_json_text(text: str):
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if _is_policy(data) else None


def from_json_file(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if _is_policy(data):
        return [data]
    found = []
    for key in ("LifecyclePolicyText", "lifecyclePolicyText", "LifecyclePolicy"):
        found += [p for p in map(_from_json_text, _texts_under(data, key)) if p is not None]
    return found


class _AnyTagLoader:
    """A YAML loader that accepts CloudFormation's short-form tags (`!Sub`, `!Ref`, ...)."""

    @staticmethod
    def load(text: str):
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        def any_tag(loader, suffix, node):
            if isinstance(node, yaml.ScalarNode):
                return loader.construct_scalar(node)
            if isinstance(node, yaml.SequenceNode):
                return loader.construct_sequence(node)
            return loader.construct_mapping(node)

        Loader.add_multi_constructor("!", any_tag)
        return yaml.load(text, Loader=Loader)


def from_yaml_file(text: str) -> list[dict]:
    if "LifecyclePolicy" not in text:
        return []
    try:
        data = _AnyTagLoader.load(text)
    except Exception:  # any template that does not load is just skipped
        return []
    found = []
    for key in ("LifecyclePolicyText", "LifecyclePolicy"):
        found += [p for p in map(_from_json_text, _texts_under(data, key)) if p is not None]
    return found


_TOKEN = re.compile(
    r"""\s+|\#[^\n]*|//[^\n]*|/\*.*?\*/
    |(?P<str>"(?:[^"\\]|\\.)*")
    |(?P<num>-?\d+(?:\.\d+)?)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
    |(?P<punct>[{}\[\],=:])
    """,
    re.VERBOSE | re.DOTALL,
)


class _Unresolved(Exception):
    pass


class _Literal:
    """HCL literal expressions (objects, tuples, strings, numbers, booleans) as Python data."""

    def __init__(self, text: str, pos: int):
        self.text = text
        self.pos = pos

    def token(self) -> tuple[str, str]:
        while self.pos < len(self.text):
            m = _TOKEN.match(self.text, self.pos)
            if not m:
                raise _Unresolved(self.text[self.pos : self.pos + 20])
            self.pos = m.end()
            kind = m.lastgroup
            if kind:
                return kind, m.group(kind)
        raise _Unresolved("end of text")

    def peek(self) -> tuple[str, str]:
        pos = self.pos
        try:
            return self.token()
        finally:
            self.pos = pos

    def value(self):
        kind, text = self.token()
        if kind == "str":
            if "${" in text or "%{" in text:
                raise _Unresolved(text)
            return json.loads(text)
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "ident" and text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if text == "{":
            out = {}
            while True:
                kind, key = self.token()
                if key == "}":
                    return out
                if key == ",":
                    continue
                if kind not in ("ident", "str"):
                    raise _Unresolved(key)
                _, sep = self.token()
                if sep not in ("=", ":"):
                    raise _Unresolved(sep)
                out[json.loads(key) if kind == "str" else key] = self.value()
        if text == "[":
            items = []
            while True:
                if self.peek()[1] == "]":
                    self.token()
                    return items
                items.append(self.value())
                if self.peek()[1] == ",":
                    self.token()
        raise _Unresolved(text)  # a reference, a function call, an operator


def from_terraform_file(text: str) -> list[dict]:
    if "aws_ecr_lifecycle_policy" not in text and "lifecycle_policy" not in text:
        return []
    found = []
    for m in re.finditer(r"jsonencode\s*\(", text):
        try:
            data = _Literal(text, m.end()).value()
        except (_Unresolved, ValueError):
            continue
        if _is_policy(data):
            found.append(data)
    for m in re.finditer(r"<<-?(\w+)\n(.*?)\n\s*\1\s*$", text, re.DOTALL | re.MULTILINE):
        body = m.group(2)
        if "${" not in body:
            policy = _from_json_text(body)
            if policy is not None:
                found.append(policy)
    return found


def find_policies(dirs: list[str]) -> list[tuple[str, dict]]:
    out = []
    for base in dirs:
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                lower = name.lower()
                if lower.endswith(".json"):
                    reader = from_json_file
                elif lower.endswith((".yaml", ".yml", ".template")):
                    reader = from_yaml_file
                elif lower.endswith(".tf"):
                    reader = from_terraform_file
                else:
                    continue
                try:
                    if os.path.getsize(path) > 5_000_000:
                        continue
                    with open(path, encoding="utf-8") as handle:
                        text = handle.read()
                except (OSError, UnicodeDecodeError):
                    continue
                for n, policy in enumerate(reader(text)):
                    label = os.path.relpath(path, os.path.dirname(base))
                    out.append((f"{label}#{n}" if n else label, policy))
    return out


# -- measuring ---------------------------------------------------------------------------------
def analyse(policy: dict, budget: int, protected: tuple[str, ...]) -> tuple[int, int, int]:
    found_402 = len(protected_tags(policy, protected, budget).results)
    found_403 = len(never_applies(policy, budget).results)
    found_404 = len(can_empty(policy, budget).results)
    return found_402, found_403, found_404


def measure(policy: dict, budget: int, protected: tuple[str, ...], repeat: int) -> tuple[float, tuple[int, int, int]]:
    times = []
    result = (0, 0, 0)
    for _ in range(repeat):
        start = time.perf_counter()
        result = analyse(policy, budget, protected)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", help="folders to scan (default: rule fixtures and ../shared/corpus/real)")
    parser.add_argument("--budget", type=int, default=300, help="examples per search (default 300)")
    parser.add_argument("--protected", default="latest", help="comma-separated protected tag globs")
    parser.add_argument("--repeat", type=int, default=1, help="runs per policy; the median is reported")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)

    dirs = args.dirs or DEFAULT_DIRS
    present = [d for d in dirs if os.path.isdir(d)]
    for missing in sorted(set(dirs) - set(present)):
        print(f"skipping {missing}: not there", file=sys.stderr)
    protected = tuple(g for g in args.protected.split(",") if g)

    start = time.perf_counter()
    import hypothesis  # noqa: F401 - measured once, outside the per-policy times

    import_time = time.perf_counter() - start

    rows = []
    seen: set[str] = set()
    for label, policy in find_policies(present):
        key = json.dumps(policy, sort_keys=True)
        duplicate = key in seen
        seen.add(key)
        document = parse_json_value(json.dumps(policy), label)
        problems = validate(document)
        data, reason = evaluation_data(document) if not problems else (None, None)
        if problems or data is None:
            rows.append({"policy": label, "rules": len(policy.get("rules", [])), "status": "invalid (ECR401)"})
            continue
        seconds, (f402, f403, f404) = measure(data, args.budget, protected, args.repeat)
        rows.append(
            {
                "policy": label,
                "rules": len(policy["rules"]),
                "status": "duplicate" if duplicate else "analysed",
                "seconds": round(seconds, 4),
                "ECR402": f402,
                "ECR403": f403,
                "ECR404": f404,
            }
        )

    timed = [r["seconds"] for r in rows if "seconds" in r]
    summary = {
        "policies": len(rows),
        "analysed": len(timed),
        "budget": args.budget,
        "hypothesis_import_seconds": round(import_time, 4),
    }
    if timed:
        summary.update(
            {
                "mean_seconds": round(statistics.mean(timed), 4),
                "median_seconds": round(statistics.median(timed), 4),
                "max_seconds": round(max(timed), 4),
                "total_seconds": round(sum(timed), 4),
            }
        )
    if args.json:
        print(json.dumps({"policies": rows, "summary": summary}, indent=2, sort_keys=True))
        return 0
    if not rows:
        print("no lifecycle policies found")
        return 0
    width = max(len(r["policy"]) for r in rows)
    print(f"{'policy'.ljust(width)}  rules  {'ms':>7}  402 403 404  status")
    for r in rows:
        ms = f"{r['seconds'] * 1000:7.1f}" if "seconds" in r else "      -"
        counts = f"{r['ECR402']:>3} {r['ECR403']:>3} {r['ECR404']:>3}" if "seconds" in r else "  -   -   -"
        print(f"{r['policy'].ljust(width)}  {r['rules']:>5}  {ms}  {counts}  {r['status']}")
    print()
    print(", ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
