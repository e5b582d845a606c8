"""Terraform modules: one per directory, their declarations, and the files they come from."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ..parse import ParseError
from ..parse.hcl_ast import Attribute, Block, Body
from ..source import SourceFile, Span, UnreadableInput


@dataclass
class ModuleSource:
    """The declarations of one directory of `.tf` / `.tf.json` files."""

    directory: str  # absolute
    display_dir: str  # as shown to users
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    data: dict[tuple[str, str], Block] = field(default_factory=dict)
    module_calls: dict[str, Block] = field(default_factory=dict)
    outputs: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    errors: list[tuple[str, ParseError]] = field(default_factory=list)  # (display path, error)
    files: list[str] = field(default_factory=list)  # display paths
    _overriding: bool = False

    def add_body(self, body: Body, override: bool = False) -> None:
        """Add a file's declarations. An override file (`override.tf`, `*_override.tf`) redefines
        blocks on purpose; ecrlint takes its block in place of the original."""
        self._overriding = override
        for block in body.blocks:
            labels = block.labels
            if block.type == "resource" and len(labels) == 2:
                self._declare(self.resources, (labels[0], labels[1]), block, f"resource {labels[0]}.{labels[1]}")
            elif block.type == "data" and len(labels) == 2:
                self._declare(self.data, (labels[0], labels[1]), block, f"data.{labels[0]}.{labels[1]}")
            elif block.type == "variable" and labels:
                self._declare(self.variables, labels[0], block, f"variable {labels[0]}")
            elif block.type == "locals":
                for name, attribute in block.body.attributes.items():
                    self._declare(self.locals, name, attribute, f"local.{name}")
            elif block.type == "module" and labels:
                self._declare(self.module_calls, labels[0], block, f"module {labels[0]}")
            elif block.type == "output" and labels:
                self._declare(self.outputs, labels[0], block, f"output {labels[0]}")
            elif block.type == "provider":
                self.providers.append(block)

    def _declare(self, table: dict, key, node, what: str) -> None:
        """Terraform rejects a name declared twice in one module: report the second, keep the first."""
        first = table.get(key)
        if first is None or self._overriding:
            table[key] = node
            return
        where = f"{first.span.path}:{first.span.start_line}"
        message = f"{what} is declared twice in this module (first at {where}); Terraform rejects the configuration"
        self.errors.append((node.span.path, ParseError(message, node.span.start_line, node.span.start_col)))


def parse_terraform_file(source: SourceFile, text: str) -> Body:
    from ..parse import ParseError

    if source.kind == "terraform-json" or source.path.endswith(".json"):
        from .tfjson import parse_tf_json

        return parse_tf_json(text, source.path)
    from ..parse.hcl import parse_hcl
    from ..parse.hcl_native import parse_hcl_native

    try:
        return parse_hcl_native(text, path=source.path)
    except ParseError:
        # The reference grammar takes a second look.
        return parse_hcl(text, source.path)


def load_module(
    directory: str, files: list[SourceFile], read, resource_types: frozenset[str] | None = None
) -> ModuleSource:
    """Parse one module directory; unparsable files are recorded, not fatal.

    With `resource_types`, only the blocks that can matter to those resources are parsed.
    """
    display_dir = os.path.dirname(files[0].path) if files else directory
    module = ModuleSource(directory=directory, display_dir=display_dir or ".")
    texts: dict[str, str] = {}
    ordered = sorted(files, key=lambda f: (_is_override(f.path), f.path))  # overrides apply last
    for source in ordered:
        module.files.append(source.path)
        try:
            texts[source.path] = read(source)
        except UnreadableInput as err:
            module.errors.append((source.path, ParseError(err.message, err.line, err.col)))
        except (OSError, UnicodeDecodeError) as err:
            module.errors.append((source.path, ParseError(f"cannot read file: {err}", 1, 1)))
    from . import prescan

    if resource_types is not None and prescan.enabled():
        hcl = {p: t for p, t in texts.items() if not p.endswith(".json")}
        texts.update(prescan.relevant_texts(hcl, resource_types))
    for source in ordered:
        text = texts.get(source.path)
        if text is None:
            continue
        try:
            module.add_body(parse_terraform_file(source, text), override=_is_override(source.path))
        except ParseError as err:
            module.errors.append((source.path, err))
    return module


def _is_override(path: str) -> bool:
    stem = os.path.basename(path).removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def registry_module_dirs(root_dir: str) -> dict[str, str]:
    """Module key -> directory, from `.terraform/modules/modules.json` written by `terraform init`."""
    manifest = os.path.join(root_dir, ".terraform", "modules", "modules.json")
    try:
        with open(manifest, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    found = {}
    for entry in data.get("Modules", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and entry.get("Key") and isinstance(entry.get("Dir"), str):
            found[entry["Key"]] = os.path.normpath(os.path.join(root_dir, entry["Dir"]))
    return found


def block_label_span(block: Block) -> Span:
    """The first line of a block, where findings about the whole resource point."""
    s = block.span
    return Span(s.path, s.start_line, s.start_col, s.start_line, s.start_col)
