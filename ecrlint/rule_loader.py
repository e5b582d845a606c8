"""Load a rule's Python code from its folder, by path: shipped rules and custom rules alike."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import Rule


def load_check(rule: Rule) -> Callable:
    """The function a rule's `check:` names, loaded from the Python file in the rule's own folder,
    by path (the loader checks that at load time and again here): shipped rules and custom rules
    alike, so no module of the working directory or of the installed packages is ever imported on
    a rule file's say. Rule folders are named `<ID>-<name>`, which is no module name anyway."""
    from .catalog import CatalogError, check_file

    target, _, function = (rule.check or "").partition(":")
    where = f"{rule.folder}/rule.yaml"
    if not target.endswith(".py"):
        raise CatalogError(f"{where}: check: {rule.check!r} is not a Python file of the rule's folder")
    path = check_file(rule.folder, rule.check or "")
    if path is None:
        raise CatalogError(f"{where}: check: {target} is not a file in {rule.folder}")
    module = load_rule_file(path, f"ecrlint_rule_{rule.id}_{target[:-3]}", where)
    found = getattr(module, function, None)
    if not callable(found):
        raise CatalogError(f"{where}: check: {path} has no function {function}")
    return found


def load_rule_file(path: str, name: str, where: str) -> ModuleType:
    """Execute the Python file `path` of a rule folder as module `name`; an error names `where`.

    A module already loaded from the same file, unchanged since, is reused (as an import would):
    every run of a process loads the rules' code, which is compiled afresh where Python writes no
    bytecode files."""
    import importlib.util

    from .catalog import CatalogError

    try:
        info = os.stat(path)
        stamp = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    except OSError:
        stamp = None
    loaded = sys.modules.get(name)
    if stamp is not None and loaded is not None and getattr(loaded, "__file__", None) == path:
        if getattr(loaded, "__ecrlint_stamp__", None) == stamp:
            return loaded
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CatalogError(f"{where}: check: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and typing in the check look their module up
    try:
        spec.loader.exec_module(module)
    except Exception as err:  # the rule's own code: report where, as for any broken rule file
        sys.modules.pop(name, None)
        raise CatalogError(f"{where}: check: {path} failed to load: {type(err).__name__}: {err}") from None
    except BaseException:
        sys.modules.pop(name, None)
        raise
    module.__ecrlint_stamp__ = stamp  # type: ignore[attr-defined]
    return module


def shipped_rule_file(rule_id: str, filename: str) -> ModuleType:
    """A Python file of a shipped rule's folder other than a check (the wording of ECR901/902)."""
    from .catalog import builtin_rules_dir

    for group in sorted(os.listdir(builtin_rules_dir())):
        directory = os.path.join(builtin_rules_dir(), group)
        for folder in sorted(os.listdir(directory)) if os.path.isdir(directory) else ():
            if folder.startswith(f"{rule_id}-"):
                path = os.path.join(directory, folder, filename)
                where = os.path.join(directory, folder, "rule.yaml")
                return load_rule_file(path, f"ecrlint_rule_{rule_id}_{filename[:-3]}", where)
    raise LookupError(f"no shipped rule {rule_id}")
