"""Reading and parsing structured documents (JSON or YAML) for the adapters of this package.

A `Loader` reads a file at most once per run, never outside the scanned roots, and parses it by
content: text that starts with `{` or `[` is read as JSON (exact JSON semantics and spans), anything
else as YAML. Parse failures are kept on the document, so the caller decides whether the file looked
like one of ours and deserves an ECR900.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...parse import ParseError
from ...source import (
    MAX_FILE_BYTES,  # larger structured files are refused (ECR900 when they look like ours)
    Span,
    UnreadableInput,
    open_regular,
    read_bytes_limited,
)
from ...values import Value
from ..units import Reads
from . import Diagnostic

# Cheap text marks of the inputs ecrlint reads. Used only to decide whether a file that failed to
# parse deserves an ECR900: a broken Helm template, Kubernetes manifest, workflow, compose file or
# package.json is not ours and is skipped quietly (counted in the summary).
_Q = "[\"']?"  # a key may be quoted in JSON or YAML
# A CloudFormation or SAM template says so: these win over every other sign (`{{resolve:...}}`).
_TEMPLATE = re.compile(rf"AWSTemplateFormatVersion|Transform{_Q}[ \t]*:[ \t]*{_Q}AWS::Serverless")
_RESOURCES = re.compile(rf"(?m)^[ \t]*{_Q}Resources{_Q}[ \t]*:")
_AWS_TYPE = re.compile(r"\bAWS::[A-Za-z0-9]+::[A-Za-z0-9]")
# Text written for another tool: a template language, a Kubernetes manifest (both keys at the top
# level), a workflow (both keys), a compose file. Each is a plain search: no backtracking over the text.
_TEMPLATE_LANGUAGE = re.compile(r"\{\{|\{%")
_OTHER_TOOL_KEYS = (
    (re.compile(r"(?m)^apiVersion:[ \t]*\S"), re.compile(r"(?m)^kind:[ \t]*\S")),
    (re.compile(r"(?m)^[\"']?on[\"']?:"), re.compile(r"(?m)^jobs:")),
    (re.compile(r"(?m)^services:[ \t]*$"),),
)
# Marks that need two signs: each is a pair of plain searches (no backtracking across the text).
_OURS_PAIRS = (
    (re.compile(r'"format_version"'), re.compile(r'"(?:planned_values|resource_changes|terraform_version)"')),  # plan
    (re.compile(r'"artifacts"'), re.compile(r"aws:cloudformation:stack|cdk:cloud-assembly")),  # cloud assembly
    (re.compile(rf"Action{_Q}[ \t]*:"), re.compile(r"\becr(?:-public)?:[A-Za-z*]")),  # ECR policy
)
_OURS = re.compile(
    r"\b(?:rulePriority|lifecyclePolicyText|imageTagMutability|scanningConfiguration"  # lifecycle, settings
    r"|replicationConfiguration|scanOnPush|scanFrequency)\"?[ \t]*:"
    r"|\"(?:policyText|repositoryName|registryId|scanType)\"[ \t]*:"  # AWS CLI outputs
)
SNIFF_BEFORE_PARSE = 256 * 1024  # larger files are parsed only when the sniff says they may be ours


def looks_like_ours(text: str) -> bool:
    """True when text shows a mark of an ecrlint input (a template, plan, cloud assembly manifest,
    policy or lifecycle shape); False for text of other tools even when it names AWS."""
    head = text[:1_000_000]
    if _TEMPLATE.search(head) or (_RESOURCES.search(head) and _AWS_TYPE.search(head)):
        return True
    if _TEMPLATE_LANGUAGE.search(head) or any(all(k.search(head) for k in keys) for keys in _OTHER_TOOL_KEYS):
        return False
    if _AWS_TYPE.search(head) or _OURS.search(head):
        return True
    return any(first.search(head) and second.search(head) for first, second in _OURS_PAIRS)


@dataclass
class Document:
    path: str  # display path, used in every span
    abspath: str
    text: str | None = None
    value: Value | None = None
    error: ParseError | None = None
    read_error: str | None = None
    syntax: str = ""  # json | yaml
    reported: bool = False  # an ECR900 was already given for this document
    skipped: bool = False  # large and not ours by the text sniff: not parsed

    def diagnostic(self, prefix: str = "") -> Diagnostic:
        if self.read_error is not None:
            return Diagnostic(f"{prefix}cannot read file: {self.read_error}", Span.point(self.path, 1, 1))
        err = self.error
        assert err is not None
        what = "JSON" if self.syntax == "json" else "YAML"
        message = f"{prefix}cannot parse {what}: {err.message}"
        return Diagnostic(message, Span.point(self.path, err.line, err.col))


def parse_text(text: str, path: str, syntax: str = "") -> tuple[Value, str]:
    """Parse JSON or YAML (chosen by `syntax`, else by content); raises ParseError.

    Not cached: rebuilding a located tree from a cache costs as much as parsing it again.
    """
    from ...parse.json import parse_json_value

    stripped = text.lstrip("\ufeff \t\r\n")
    if syntax == "json" or (syntax != "yaml" and stripped[:1] in ("{", "[")):
        try:
            return parse_json_value(text, path), "json"
        except ParseError:
            if syntax == "json":
                raise
    from ...parse.yaml import parse_yaml_value

    return parse_yaml_value(text, path), "yaml"


def inside(abspath: str, roots: list[str]) -> bool:
    real = os.path.realpath(abspath)
    for root in roots:
        base = os.path.realpath(root)
        if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
            return True
    return False


@dataclass
class Loader:
    roots: list[str]
    display_path: Callable[[str], str] | None = None
    documents: dict[str, Document] = field(default_factory=dict)
    released: set[str] = field(default_factory=set)
    reads: Reads = field(default_factory=Reads)  # every file loaded or looked for
    # (document key, id of its ECR900 Diagnostic) for each document reported, in order
    reports: list[tuple[str, int]] = field(default_factory=list)

    def key(self, abspath: str) -> str:
        return os.path.realpath(abspath)

    def load(self, abspath: str, path: str, syntax: str = "", sniff: bool = False) -> Document:
        key = self.key(abspath)
        if key in self.documents:
            doc = self.documents[key]
            if doc.skipped and not sniff:  # named by a manifest or a parent template: it is ours after all
                doc.skipped = False
                self._parse(doc, syntax)
            return doc
        doc = Document(path=path, abspath=abspath)
        self.documents[key] = doc
        self.reads.file(abspath)
        try:
            data = read_bytes_limited(abspath)
        except UnreadableInput as err:
            doc.read_error = err.message
            if "larger" in err.message:  # the head only, for the sniff that decides whether to report it
                try:
                    with open_regular(abspath, limit=None) as handle:
                        doc.text = handle.read(65536).decode("utf-8", "replace")
                except OSError:
                    pass
            return doc
        except OSError as err:
            doc.read_error = err.strerror or str(err)
            return doc
        try:
            doc.text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            doc.text = data.decode("utf-8", "replace")
            doc.read_error = f"not UTF-8 text ({err.reason} at byte {err.start})"
            return doc
        if sniff and len(doc.text) > SNIFF_BEFORE_PARSE and not looks_like_ours(doc.text):
            doc.skipped = True
            return doc
        self._parse(doc, syntax)
        return doc

    def _parse(self, doc: Document, syntax: str) -> None:
        assert doc.text is not None
        doc.syntax = "json" if syntax == "json" else ""
        try:
            doc.value, doc.syntax = parse_text(doc.text, doc.path, syntax)
        except ParseError as err:
            doc.error = err
            if not doc.syntax:
                stripped = doc.text.lstrip("\ufeff \t\r\n")
                doc.syntax = "json" if stripped[:1] in ("{", "[") or doc.path.endswith(".json") else "yaml"

    def reported(self, doc: Document, diagnostic: Diagnostic) -> Diagnostic:
        """`diagnostic`, the ECR900 of `doc`, noted as given: a document is reported once while loaded."""
        doc.reported = True
        self.reports.append((self.key(doc.abspath), id(diagnostic)))
        return diagnostic

    def release(self, key: str) -> None:
        """Forget a document whose objects are built, so its tree can be freed.

        Its ECR900, if any, was already given; a later load of the same file reads it afresh.
        """
        doc = self.documents.get(key)
        if doc is not None:
            doc.value = None
            doc.text = None
            self.released.add(key)
            del self.documents[key]

    def relative(self, parent: Document, reference: str) -> tuple[str, str] | None:
        """(abspath, display path) of a file named relative to `parent`, if inside the roots."""
        reference = reference.replace("\\", "/")
        if reference.startswith("file://"):
            reference = reference[len("file://") :]
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", reference) or reference.startswith("/"):
            return None
        abspath = os.path.normpath(os.path.join(os.path.dirname(parent.abspath), reference))
        roots = self.roots or [os.path.dirname(parent.abspath)]
        if not inside(abspath, roots):
            return None
        self.reads.file(abspath)  # read, or found absent: a template created later is a change
        if not os.path.isfile(abspath):
            return None
        if callable(self.display_path):
            path = self.display_path(abspath)
            if isinstance(path, str) and path:
                return abspath, path
        return abspath, posixpath.normpath(posixpath.join(posixpath.dirname(parent.path), reference))


def embedded_json(value: Value, file_text: str | None = None) -> Value:
    """JSON written inside a string value (a policy or lifecycle text), parsed into located Values.

    A YAML literal block (`|`) holding the JSON verbatim is parsed in place, so every node keeps
    its exact line and column; JSON in a quoted string (escapes, or resolved through parameters)
    gets the string's span on every node. Text that is not JSON is returned unchanged.
    """
    from ...parse.json import JsonError, parse_json_value

    if not isinstance(value.data, str):
        return value
    span = value.span
    if file_text is not None and not value.trace and span.end_line > span.start_line:
        lines = file_text.split("\n")
        first = lines[span.start_line - 1] if span.start_line - 1 < len(lines) else ""
        if first[span.start_col - 1 : span.start_col] == "|" and span.end_line <= len(lines):
            raw = lines[span.start_line : span.end_line]
            indents = [len(line) - len(line.lstrip(" ")) for line in raw if line.strip()]
            indent = min(indents) if indents else 0
            if "\n".join(line[indent:] for line in raw).rstrip() == value.data.rstrip():
                try:
                    return parse_json_value("\n".join(raw), span.path, line_offset=span.start_line)
                except JsonError:
                    return value
    try:
        parsed = parse_json_value(value.data, span.path, origin=span)
    except JsonError:
        return value
    return Value(parsed.data, span, value.provenance, value.trace, value.ref)


__all__ = ["embedded_json", "Document", "Loader", "looks_like_ours", "parse_text", "inside", "MAX_FILE_BYTES"]
