"""IAM-style policy documents, normalized once with their spans kept.

After normalization a document is a list of `Statement`s whose `action`, `not_action`,
`resource` and `not_resource` are lists of located strings and whose principals are a mapping
from principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`, or `*`) to located values.
Undecided parts stay `Unknown`; the access rules decide what that means.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..values import Value, known, unknown


@dataclass(eq=False)
class Statement:
    index: int  # 0-based position in the document
    value: Value  # the statement object itself, for its span
    sid: Value | None = None
    effect: Value | None = None
    principal: dict[str, list[Value]] | None = None  # None when the statement has no Principal
    not_principal: dict[str, list[Value]] | None = None
    action: list[Value] | None = None
    not_action: list[Value] | None = None
    resource: list[Value] | None = None
    not_resource: list[Value] | None = None
    condition: Value | None = None  # {operator: {key: value|[values]}}
    unknown_parts: list[str] = field(default_factory=list)  # reasons some field could not be read

    @property
    def span(self):
        return self.value.span

    def label(self) -> str:
        """How messages name the statement: its Sid, or its position."""
        if self.sid is not None and self.sid.is_known and self.sid.data:
            return f'statement "{self.sid.data}"'
        return f"statement #{self.index + 1}"


@dataclass(eq=False)
class PolicyDocument:
    value: Value
    statements: list[Statement] = field(default_factory=list)
    unknown_reason: str | None = None  # the whole document (or its statement list) is undecided

    @property
    def span(self):
        return self.value.span


def _principals(value: Value) -> dict[str, list[Value]]:
    if value.is_known and isinstance(value.data, str):
        # "Principal": "*" means everyone, same as {"AWS": "*"}.
        return {"*": [value]}
    if value.is_map:
        return {k: v.elements() for k, v in value.items()}
    return {"?": [value]}


def _strings(value: Value) -> list[Value]:
    return value.elements()


def _statement(index: int, value: Value) -> Statement:
    stmt = Statement(index=index, value=value)
    if not value.is_map:
        stmt.unknown_parts.append(value.unknown_reason() or "statement is not an object")
        return stmt
    stmt.sid = value.get_ci("Sid")
    stmt.effect = value.get_ci("Effect")
    for key, attr in (("Principal", "principal"), ("NotPrincipal", "not_principal")):
        v = value.get_ci(key)
        if v is not None:
            setattr(stmt, attr, _principals(v))
    for key, attr in (
        ("Action", "action"),
        ("NotAction", "not_action"),
        ("Resource", "resource"),
        ("NotResource", "not_resource"),
    ):
        v = value.get_ci(key)
        if v is not None:
            setattr(stmt, attr, _strings(v))
    stmt.condition = value.get_ci("Condition")
    return stmt


def parse_policy_document(value: Value | None) -> PolicyDocument | None:
    """Normalize a policy Value (an object, or JSON text) into statements."""
    if value is None:
        return None
    if value.is_known and isinstance(value.data, str):
        from ..parse.json import JsonError, parse_embedded_json

        try:
            value = parse_embedded_json(value)
        except JsonError as err:
            return PolicyDocument(value, unknown_reason=f"policy is not valid JSON: {err.message}")
    if not value.is_map:
        return PolicyDocument(value, unknown_reason=value.unknown_reason() or "policy is not a JSON object")
    doc = PolicyDocument(value)
    statements = value.get_ci("Statement")
    if statements is None:
        return doc
    if not (statements.is_list or statements.is_map):
        doc.unknown_reason = statements.unknown_reason() or "Statement is not a list"
        return doc
    for index, item in enumerate(statements.elements()):
        doc.statements.append(_statement(index, item))
    return doc


def document_from_statements(statements: list[Value], span) -> Value:
    """A policy document Value built from located statements (used by policy-document data sources)."""
    return known({"Version": known("2012-10-17", span), "Statement": known(statements, span)}, span)


__all__ = ["Statement", "PolicyDocument", "parse_policy_document", "document_from_statements", "unknown"]
