"""The layering the architecture document describes, checked on the source.

- No import cycle between ecrlint's modules, counting imports made inside functions too: a lazy
  import keeps start-up fast, it does not make a cycle acceptable.
- No module-level mutable memo: what a run computes lives on the run (`Model.derived`) or in the
  disk cache, so nothing leaks from one run into the next in a long-lived process.
"""

from __future__ import annotations

import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "ecrlint")
RULES = os.path.join(ROOT, "rules")

# Bounded caches of constants: the same answer whatever the run, so sharing them is safe.
CONSTANT_CACHES = {
    "ecrlint.catalog:@lru_cache(maxsize=1) _rule_schema": "the rule file schema shipped with ecrlint",
    "ecrlint.discover:@lru_cache(maxsize=256) _pattern_regex": "an exclude glob compiled to a regex",
    "ecrlint.iam.actions:@lru_cache(maxsize=1) _catalog": "the ECR action catalog shipped with ecrlint",
    "ecrlint.iam.actions:@lru_cache(maxsize=8) _all_actions": "every action of a service, from the catalog",
    "ecrlint.iam.actions:@lru_cache(maxsize=1024) _regex": "an action pattern compiled to a regex",
    "ecrlint.iam.actions:@lru_cache(maxsize=1024) expand": "the catalog actions an action pattern names",
    "ecrlint.iam.arns:@lru_cache(maxsize=2048) _glob": "an ARN pattern compiled to a regex",
    "ecrlint.iam.managed:@cache managed_policy": "an AWS managed policy shipped with ecrlint",
    "ecrlint.lifecycle.properties:@cache _answer_classes": "the classes a lifecycle answer is made of",
    "ecrlint.lifecycle.schema:@lru_cache(maxsize=1) load_schema": "the lifecycle policy schema shipped with ecrlint",
    "ecrlint.lifecycle.schema:@lru_cache(maxsize=1) _validator": "the validator of that schema",
    "ecrlint.lifecycle.tags:@lru_cache(maxsize=4096) _around_first_star": "a pure function of a tag pattern",
    "ecrlint.model.adapters.rawjson:@cache _schema": "an input schema shipped with ecrlint",
    "ecrlint.model.adapters.rawjson:@cache _validators": "the validators of those schemas",
    "ecrlint.model.codec:@functools.cache _classes": "the model classes a piece may hold, by name",
    "ecrlint.model.codec:@functools.cache field_checks": "the type checks of a model class's fields",
    "ecrlint.query:@lru_cache(maxsize=1) _parser": "the query grammar's parser",
    "ecrlint.query.fields:@cache readable_fields": "the fields a query may read on a model class",
    "ecrlint.terraform.module_models:@lru_cache(maxsize=1) shipped_models": "the module models shipped with ecrlint",
}


def _modules() -> dict[str, str]:
    """ecrlint's modules by dotted name, and the Python files of the rule folders by path."""
    found = {}
    for folder, subfolders, files in [*os.walk(PACKAGE), *os.walk(RULES)]:
        subfolders[:] = sorted(d for d in subfolders if d.isidentifier())
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                dotted = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                if path.startswith(RULES + os.sep):
                    dotted = os.path.relpath(path, ROOT)  # loaded by path, never imported by name
                found[dotted.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imported(module: str, path: str) -> set[str]:
    """The ecrlint modules `module` imports anywhere in its text."""
    is_package = path.endswith("__init__.py")
    targets = set()
    for node in ast.walk(ast.parse(open(path, encoding="utf-8").read())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module.split(".")[: None if is_package else -1]
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_walk_sees_the_package_and_the_rules():
    assert "ecrlint.pipeline" in MODULES and "ecrlint.model.build" in MODULES
    assert any(name.endswith("check.py") for name in MODULES)


def test_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    graph = {module: _imported(module, path) for module, path in MODULES.items()}
    assert _cycles(graph) == []


def _mutable_memos(path: str) -> list[str]:
    """Module-level names bound to a mutable container that a function of the module changes, and
    functions cached with functools that are not listed as caches of constants."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    containers = set()
    for node in tree.body:
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        value = getattr(node, "value", None)
        mutable = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
            isinstance(value, ast.Call)
            and getattr(value.func, "attr", getattr(value.func, "id", ""))
            in {"dict", "list", "set", "WeakKeyDictionary", "WeakValueDictionary", "defaultdict", "OrderedDict"}
        )
        if mutable:
            containers |= {t.id for t in targets if isinstance(t, ast.Name)}
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for decorator in function.decorator_list:
            name = ast.unparse(decorator)
            if name.split("(")[0].split(".")[-1] in ("cache", "lru_cache"):
                found.append(f"@{name} {function.name}")
        for node in ast.walk(function):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        if target.value.id in containers:
                            found.append(f"{target.value.id}[...] written in {function.name}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if (
                    isinstance(owner, ast.Name)
                    and owner.id in containers
                    and node.func.attr
                    in {
                        "append",
                        "add",
                        "update",
                        "setdefault",
                        "clear",
                        "pop",
                        "extend",
                        "insert",
                        "remove",
                        "discard",
                    }
                ):
                    found.append(f"{owner.id}.{node.func.attr}() in {function.name}")
    return found


def test_memo_finder_finds_memos(tmp_path):
    source = tmp_path / "memo.py"
    source.write_text(
        "import functools\n_SEEN = {}\n_COUNT = [0]\n"
        "def remember(k, v):\n    _SEEN[k] = v\n"
        "def count():\n    _COUNT.append(1)\n"
        "@functools.lru_cache(maxsize=8)\ndef slow(x):\n    return x\n"
        "_CONSTANT = {'a': 1}\ndef read():\n    return _CONSTANT['a']\n"
    )
    assert _mutable_memos(str(source)) == [
        "_SEEN[...] written in remember",
        "_COUNT.append() in count",
        "@functools.lru_cache(maxsize=8) slow",
    ]


def test_no_module_level_memos():
    unexpected = {}
    for module, path in sorted(MODULES.items()):
        for memo in _mutable_memos(path):
            if f"{module}:{memo}" not in CONSTANT_CACHES:
                unexpected.setdefault(module, []).append(memo)
    assert unexpected == {}


def test_every_listed_constant_cache_still_exists():
    present = {f"{module}:{memo}" for module, path in MODULES.items() for memo in _mutable_memos(path)}
    assert sorted(set(CONSTANT_CACHES) - present) == []
