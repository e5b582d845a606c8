"""IAM policy analysis for ECR: actions, principals, conditions, statements, accounts.

Entry points for rules:

- `analyze_policy(document)` -> `PolicyAnalysis` with `.views` (statements read once) and
  `.grants` (what each Allow grants each principal after Deny statements);
- `identity_allows(documents, action, resource=None)` and `role_allows(role, action, ...)` ->
  three-valued `Decision`; `role_for(model, reference)` finds the role an ARN or reference names;
- `expand(pattern)`, `access_level(action)`, `write_actions(...)`, `read_actions(...)`;
- `owner_account(obj, ctx_account, ...)` and `is_external(principal, owner)`.
"""

from .accounts import Owner, external_accounts, is_external, owner_account
from .actions import access_level, action_info, all_actions, expand, expand_all, matches, read_actions, write_actions
from .conditions import Restriction, caller_restriction, parse_conditions
from .principals import Principal, principals_from
from .roles import RolePolicies, role_allows, role_for, role_policies
from .statements import Decision, Grant, PolicyAnalysis, StatementView, analyze_policy, identity_allows

__all__ = [
    "Decision",
    "Grant",
    "Owner",
    "PolicyAnalysis",
    "Principal",
    "Restriction",
    "RolePolicies",
    "StatementView",
    "access_level",
    "action_info",
    "all_actions",
    "analyze_policy",
    "caller_restriction",
    "expand",
    "expand_all",
    "external_accounts",
    "identity_allows",
    "is_external",
    "matches",
    "owner_account",
    "parse_conditions",
    "principals_from",
    "read_actions",
    "role_allows",
    "role_for",
    "role_policies",
    "write_actions",
]
