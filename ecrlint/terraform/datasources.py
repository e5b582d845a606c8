"""Data sources whose result ecrlint can compute without AWS: policy documents, mostly."""

from __future__ import annotations

from ..source import Span
from ..values import Value, known, unknown

_LIFECYCLE_SELECTION_KEYS = {
    "tag_status": "tagStatus",
    "tag_pattern_list": "tagPatternList",
    "tag_prefix_list": "tagPrefixList",
    "count_type": "countType",
    "count_unit": "countUnit",
    "count_number": "countNumber",
    "storage_class": "storageClass",
}


def data_source_attribute(instance, attr: str, span: Span) -> Value:
    symbolic = f"${{{instance.address}.{attr}}}"
    if instance.type == "aws_iam_policy_document" and attr in ("json", "minified_json"):
        return iam_policy_document(instance)
    if instance.type == "aws_ecr_lifecycle_policy_document" and attr == "json":
        return lifecycle_policy_document(instance)
    if instance.type == "aws_caller_identity" and attr == "account_id":
        account = instance.module.env.account_id
        if account:
            return known(account, span)
        return unknown("the account id is not known (set --account-id)", span, symbolic="${account_id}")
    if instance.type == "aws_region" and attr in ("name", "id", "region"):
        return unknown("the region is not known statically", span, symbolic="${region}")
    if instance.type == "aws_partition" and attr == "partition":
        return unknown("the partition is not known statically", span, symbolic="${partition}")
    if instance.type == "template_file" and attr == "rendered":
        template = instance.attr("template")
        if template is None:
            return unknown(f"{instance.address} has no template", span, symbolic=symbolic)
        variables = instance.attr("vars") or known({}, span)
        return instance.module.render_template(template, variables, span)
    if instance.type in ("tfe_outputs", "terraform_remote_state"):
        return unknown(f"{instance.address} reads the outputs of another Terraform state", span, symbolic=symbolic)
    if instance.type in ("external", "http"):
        return unknown(f"{instance.address} runs a program or fetches a URL at plan time", span, symbolic=symbolic)
    if instance.type == "aws_vpc_endpoint_service" and attr == "service_name":
        service = instance.attr("service")
        if service is not None and service.is_known:
            return unknown(
                "the region is not known statically", span, symbolic=f"com.amazonaws.${{region}}.{service.data}"
            )
    return unknown(f"data source {instance.address} is read from AWS at plan time", span, symbolic=symbolic)


def _list(value: Value | None) -> Value | None:
    if value is None or value.data is None:
        return None  # null is an omitted argument, as in Terraform
    return value if value.is_list or not value.is_known else known([value], value.span)


def iam_policy_document(instance) -> Value:
    """Render `data "aws_iam_policy_document"` as the policy JSON structure, each statement at its block."""
    statements: list[Value] = []
    for source_key in ("source_policy_documents", "source_json"):
        sources = instance.attr(source_key)
        for doc in sources.elements() if sources is not None and sources.is_list else [sources] if sources else []:
            statements.extend(_statements_of(doc))
    for block in instance.blocks("statement"):
        statement: dict[str, Value] = {}
        sid = block.attr("sid")
        if sid is not None and sid.data is not None:
            statement["Sid"] = sid
        effect = block.attr("effect")
        statement["Effect"] = effect if effect is not None and effect.data is not None else known("Allow", block.span)
        for hcl, key in (
            ("actions", "Action"),
            ("not_actions", "NotAction"),
            ("resources", "Resource"),
            ("not_resources", "NotResource"),
        ):
            value = _list(block.attr(hcl))
            if value is not None:
                statement[key] = value
        for hcl, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            principals = block.blocks(hcl)
            if not principals:
                continue
            mapping: dict[str, Value] = {}
            whole_star = None
            for p in principals:
                ptype, identifiers = p.attr("type"), _list(p.attr("identifiers"))
                if ptype is None or identifiers is None:
                    continue
                if not ptype.is_known:
                    mapping["?"] = identifiers
                    continue
                if ptype.data == "*":
                    whole_star = known("*", p.span)
                    continue
                existing = mapping.get(ptype.data)
                if existing is not None and existing.is_list and identifiers.is_list:
                    identifiers = known(existing.data + identifiers.data, p.span)
                mapping[str(ptype.data)] = identifiers
            statement[key] = whole_star if whole_star is not None and not mapping else known(mapping, block.span)
        conditions: dict[str, dict[str, Value]] = {}
        for c in block.blocks("condition"):
            test, variable, values = c.attr("test"), c.attr("variable"), _list(c.attr("values"))
            if test is None or variable is None or values is None:
                continue
            if not (test.is_known and variable.is_known):
                conditions.setdefault("?", {})["?"] = unknown("condition operator or key unknown", c.span)
                continue
            conditions.setdefault(str(test.data), {})[str(variable.data)] = values
        if conditions:
            statement["Condition"] = known({op: known(keys, block.span) for op, keys in conditions.items()}, block.span)
        statements.append(known(statement, block.span))
    for override_key in ("override_policy_documents", "override_json"):
        overrides = instance.attr(override_key)
        for doc in (
            overrides.elements() if overrides is not None and overrides.is_list else [overrides] if overrides else []
        ):
            for stmt in _statements_of(doc):
                sid = stmt.get("Sid")
                if sid is not None and sid.is_known:
                    statements = [s for s in statements if not (s.get("Sid") and s.get("Sid").data == sid.data)]
                statements.append(stmt)
    span = instance.block.span
    document = {"Version": instance.attr("version") or known("2012-10-17", span), "Statement": known(statements, span)}
    return known(document, span, ref=instance.address)


def _statements_of(doc: Value | None) -> list[Value]:
    if doc is None:
        return []
    if doc.is_known and isinstance(doc.data, str):
        from ..parse.json import JsonError, parse_embedded_json

        try:
            doc = parse_embedded_json(doc)
        except JsonError:
            return []
    statement = doc.get("Statement") if doc.is_map else None
    if statement is None:
        return []
    return statement.elements()


def lifecycle_policy_document(instance) -> Value:
    rules: list[Value] = []
    for block in instance.blocks("rule"):
        rule: dict[str, Value] = {}
        priority = block.attr("priority")
        if priority is not None:
            rule["rulePriority"] = priority
        description = block.attr("description")
        if description is not None:
            rule["description"] = description
        for selection in block.blocks("selection")[:1]:
            fields = {}
            for hcl, key in _LIFECYCLE_SELECTION_KEYS.items():
                value = selection.attr(hcl)
                if value is not None:
                    fields[key] = value
            rule["selection"] = known(fields, selection.span)
        actions = block.blocks("action")
        if actions:
            action = {}
            for hcl, key in (("type", "type"), ("target_storage_class", "targetStorageClass")):
                value = actions[0].attr(hcl)
                if value is not None:
                    action[key] = value
            rule["action"] = known(action, actions[0].span)
        else:
            rule["action"] = known({"type": known("expire", block.span)}, block.span)
        rules.append(known(rule, block.span))
    return known({"rules": known(rules, instance.block.span)}, instance.block.span, ref=instance.address)
