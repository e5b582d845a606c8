"""Hypothesis strategies: generated ECR-shaped inputs of every kind ecrlint reads, and mutations.

Generated documents are built as Python data (IAM policies, lifecycle policies, CloudFormation
templates, plan JSON, CDK assemblies) and written out as JSON (sometimes with duplicate keys or
non-standard numbers) or YAML (sometimes with short-form tags, anchors, aliases and merge keys).
Terraform is generated as text: blocks, expressions, interpolations, heredocs, and comments
between tokens. Mutations then work on the bytes: truncation, bit flips, splices of tokens that
matter to the parsers, deep nesting, huge strings, odd unicode, invalid UTF-8, BOMs, CRLF, tabs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import yaml
from hypothesis import strategies as st

from ecrlint.discover import SKIP_DIRS, kind_of

from .harness import LONG

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# -- vocabulary --------------------------------------------------------------------------------

ODD_CHARS = [
    "\x00",
    "\x1b",
    "\x7f",
    "\t",
    "\r",
    "\x0b",
    "\x0c",
    "\x85",  # NEL: a YAML line break, not one for most other code
    "\u2028",  # LINE SEPARATOR: str.splitlines() splits here
    "\u2029",
    "\u200b",
    "\u200e",
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\ufeff",
    "\ufffd",
    "\uffff",
    "\U0001f600",
    "\U0010ffff",
    "\u0301",  # combining accent
    "é",
    "ß",
    "İ",  # changes length when lower-cased
    "ﬁ",
    "\ud800",  # a lone surrogate: written as invalid UTF-8
    "\udfff",
]

NAMES = ["r", "repo", "x", "this", "main", "app", "a-b", "with.dot", "0", "_", "Ünï", "payments", "orders"]

ECR_ACTIONS = [
    "ecr:*",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:CompleteLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:BatchDeleteImage",
    "ecr:DeleteRepository",
    "ecr:SetRepositoryPolicy",
    "ecr:Get*",
    "ecr:*Image*",
    "ecr:ReplicateImage",
    "ecr:CreateRepository",
    "ecr:BatchImportUpstreamImage",
    "ecr:GetAuthorizationToken",
    "ecr-public:*",
    "ecr-public:PutImage",
    "ECR:batchgetimage",
    "*",
    "s3:GetObject",
    "",
]
PRINCIPALS = [
    "*",
    {"AWS": "*"},
    {"AWS": "arn:aws:iam::123456789012:root"},
    {"AWS": ["111122223333", "444455556666", "777788889999"]},
    {"AWS": "arn:aws:iam::*:root"},
    {"AWS": "arn:aws:iam::210987654321:role/ci"},
    {"Service": "lambda.amazonaws.com"},
    {"Service": ["codebuild.amazonaws.com", "ecs-tasks.amazonaws.com"]},
    {"Federated": "cognito-identity.amazonaws.com"},
    {"CanonicalUser": "abc"},
    {},
    [],
    None,
]
CONDITION_OPERATORS = [
    "StringEquals",
    "StringLike",
    "StringNotEquals",
    "ArnLike",
    "ArnEquals",
    "ForAnyValue:StringLike",
    "ForAllValues:StringEquals",
    "StringEqualsIfExists",
    "Null",
    "Bool",
    "IpAddress",
    "NumericLessThan",
    "DateGreaterThan",
    "BogusOperator",
]
CONDITION_KEYS = [
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:SecureTransport",
    "aws:SourceIp",
    "ecr:ResourceTag/team",
    "aws:sourcevpce",
]
TAG_STATUS = ["tagged", "untagged", "any", "TAGGED", "weird", None]
COUNT_TYPES = ["imageCountMoreThan", "sinceImagePushed", "sinceImagePulled", "sinceImageTransitioned", "nope"]
GLOBS = ["latest", "v*", "*", "prod-*", "**", "release?", "[a-z]", "", "*-*-*-*-*-*", "a" * 300]

CFN_ECR_TYPES = [
    "AWS::ECR::Repository",
    "AWS::ECR::RepositoryPolicy",
    "AWS::ECR::RegistryPolicy",
    "AWS::ECR::ReplicationConfiguration",
    "AWS::ECR::PullThroughCacheRule",
    "AWS::ECR::RegistryScanningConfiguration",
    "AWS::ECR::RepositoryCreationTemplate",
    "AWS::ECR::PublicRepository",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPC",
    "AWS::Lambda::Function",
    "AWS::ECS::TaskDefinition",
    "AWS::IAM::Role",
    "AWS::IAM::Policy",
    "AWS::IAM::ManagedPolicy",
    "AWS::CloudFormation::Stack",
    "AWS::S3::Bucket",
    "AWS::CDK::Metadata",
    "Custom::Thing",
    "AWS::Serverless::Function",
]
CFN_PROPERTIES = [
    "RepositoryName",
    "ImageTagMutability",
    "ImageTagMutabilityExclusionFilters",
    "ImageScanningConfiguration",
    "ScanOnPush",
    "EncryptionConfiguration",
    "EncryptionType",
    "KmsKey",
    "EmptyOnDelete",
    "LifecyclePolicy",
    "LifecyclePolicyText",
    "RegistryId",
    "RepositoryPolicyText",
    "PolicyText",
    "PolicyDocument",
    "ReplicationConfiguration",
    "Rules",
    "Destinations",
    "Region",
    "RepositoryFilters",
    "Filter",
    "FilterType",
    "ServiceName",
    "VpcEndpointType",
    "VpcId",
    "RouteTableIds",
    "PackageType",
    "Code",
    "ImageUri",
    "ContainerDefinitions",
    "Image",
    "ExecutionRoleArn",
    "AssumeRolePolicyDocument",
    "Policies",
    "TemplateURL",
    "Parameters",
    "Tags",
    "Prefix",
    "AppliedFor",
    "UpstreamRegistryUrl",
    "EcrRepositoryPrefix",
    "RepositoryCatalogData",
    "ScanType",
]
TF_TYPES = [
    "aws_ecr_repository",
    "aws_ecr_repository_policy",
    "aws_ecr_lifecycle_policy",
    "aws_ecr_registry_policy",
    "aws_ecr_replication_configuration",
    "aws_ecr_registry_scanning_configuration",
    "aws_ecr_pull_through_cache_rule",
    "aws_ecr_repository_creation_template",
    "aws_ecrpublic_repository",
    "aws_ecrpublic_repository_policy",
    "aws_vpc_endpoint",
    "aws_vpc",
    "aws_route_table",
    "aws_lambda_function",
    "aws_ecs_task_definition",
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_s3_bucket",
    "aws_kms_key",
]
TF_ATTRS = [
    "name",
    "repository",
    "image_tag_mutability",
    "force_delete",
    "policy",
    "kms_key",
    "encryption_type",
    "scan_on_push",
    "scan_type",
    "service_name",
    "vpc_endpoint_type",
    "vpc_id",
    "route_table_ids",
    "package_type",
    "image_uri",
    "container_definitions",
    "assume_role_policy",
    "tags",
    "prefix",
    "applied_for",
    "lifecycle_policy",
    "repository_policy",
    "registry_id",
    "region",
    "for_each",
    "count",
    "provider",
    "depends_on",
    "source",
    "default",
    "type",
    "description",
    "sensitive",
    "value",
]
TF_NESTED = [
    "image_scanning_configuration",
    "encryption_configuration",
    "image_tag_mutability_exclusion_filter",
    "replication_configuration",
    "rule",
    "destination",
    "repository_filter",
    "statement",
    "principals",
    "condition",
    "lifecycle",
    "dynamic",
    "content",
    "validation",
    "catalog_data",
]
TF_FUNCTIONS = [
    "jsonencode",
    "jsondecode",
    "yamlencode",
    "merge",
    "concat",
    "lookup",
    "format",
    "formatlist",
    "join",
    "split",
    "lower",
    "upper",
    "replace",
    "try",
    "can",
    "coalesce",
    "coalescelist",
    "element",
    "length",
    "tostring",
    "tonumber",
    "tolist",
    "toset",
    "tomap",
    "file",
    "templatefile",
    "fileexists",
    "abspath",
    "base64encode",
    "base64decode",
    "cidrsubnet",
    "flatten",
    "keys",
    "values",
    "zipmap",
    "range",
    "contains",
    "distinct",
    "startswith",
    "regex",
    "regexall",
    "sha256",
    "timestamp",
    "uuid",
    "one",
    "alltrue",
    "anytrue",
    "min",
    "max",
    "substr",
    "trimspace",
    "nonsuch",
    "provider::aws::arn_parse",
]

# Fragments that matter to one parser or another, spliced into inputs by the `splice` mutation.
TOKENS = [
    "${",
    "}",
    "{",
    "[",
    "]",
    "(",
    ")",
    '"',
    "'",
    "\\",
    ":",
    ",",
    "=",
    "=>",
    "...",
    "?",
    "%{",
    "%{ if true }",
    "%{ endif }",
    "%{ for x in [1] }${x}%{ endfor }",
    "$${",
    "<<EOF\n",
    "\nEOF\n",
    "<<-EOT\n  x\n  EOT\n",
    "/*",
    "*/",
    "# c\n",
    "// c\n",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "- ",
    "---\n",
    "...\n",
    "? ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!Ref ",
    "!Sub ",
    "!GetAtt ",
    "!If ",
    "!Unknown ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!int ",
    "!!float ",
    "!!python/object/apply:os.system [touch PWNED]",
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "|\n",
    ">-\n",
    "@",
    "`",
    "\x00",
    "\ufeff",
    "\u2028",
    "\u202e",
    "\ud800",
    "1e999",
    "-0",
    "NaN",
    "Infinity",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "9" * 40,
    "9" * 4400,  # longer than Python's default int-from-string limit
    "1.5e-400",
    "\\u0000",
    "\\ud800",
    "\\uDFFF\\uD800",
    "null",
    "true",
    "yes",
    "~",
    "AWS::ECR::Repository",
    '"Type": "AWS::ECR::Repository"',
    "Resources:\n",
    '"format_version": "1.2"',
    "aws_ecr_repository",
    "ecr:*",
    '"rulePriority": 1',
    "arn:aws:iam::*:root",
    "../../../../etc/passwd",
    "file:///etc/passwd",
    "https://example.com/t.yaml",
]


# -- plain data --------------------------------------------------------------------------------


def odd_text(max_size: int = 20) -> st.SearchStrategy[str]:
    return st.text(alphabet=st.characters(codec=None) | st.sampled_from(ODD_CHARS), max_size=max_size)


def some_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NAMES + ["MUTABLE", "IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION", "AES256", "KMS", "KMS_DSSE"]),
        st.sampled_from(ECR_ACTIONS + GLOBS + CONDITION_KEYS),
        st.sampled_from(["${AWS::AccountId}", "${Env}-repo", "${var.x}", "${!Literal}", "${AWS::NoValue}", "${"]),
        st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
        odd_text(),
    )


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    some_text(),
)

KEYS = CFN_PROPERTIES + [
    "Version",
    "Statement",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "Condition",
    "Sid",
    "rules",
    "rulePriority",
    "selection",
    "action",
    "Type",
    "Properties",
    "Resources",
    "Ref",
    "Fn::Sub",
    "Fn::If",
    "Fn::GetAtt",
    "Condition",
    "Metadata",
    "values",
    "address",
    "resources",
    "planned_values",
    "resource_changes",
    "format_version",
    "artifacts",
]


def json_values(max_leaves: int = 20) -> st.SearchStrategy:
    keys = st.sampled_from(KEYS) | some_text()
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=max_leaves,
    )


def _one_or_list(strategy):
    return strategy | st.lists(strategy, max_size=3)


def _condition():
    return st.dictionaries(
        st.sampled_from(CONDITION_OPERATORS),
        st.dictionaries(st.sampled_from(CONDITION_KEYS), _one_or_list(some_text()), max_size=2),
        max_size=2,
    )


def _statement():
    return st.fixed_dictionaries(
        {},
        optional={
            "Sid": some_text(),
            "Effect": st.sampled_from(["Allow", "Deny", "allow", "Maybe"]),
            "Principal": st.sampled_from(PRINCIPALS),
            "NotPrincipal": st.sampled_from(PRINCIPALS),
            "Action": _one_or_list(st.sampled_from(ECR_ACTIONS)),
            "NotAction": _one_or_list(st.sampled_from(ECR_ACTIONS)),
            "Resource": _one_or_list(st.sampled_from(["*", "arn:aws:ecr:us-east-1:123456789012:repository/*", ""])),
            "Condition": _condition(),
        },
    )


def iam_policies() -> st.SearchStrategy[dict]:
    statements = st.lists(_statement(), max_size=4) | _statement() | json_values(5)
    return st.fixed_dictionaries(
        {"Statement": statements},
        optional={"Version": st.sampled_from(["2012-10-17", "2008-10-17", "2025"]), "Id": some_text()},
    )


def _lifecycle_rule():
    number = st.integers(min_value=-5, max_value=10**6) | st.sampled_from([0, 2**63, 1.5, "3", None, True])
    selection = st.fixed_dictionaries(
        {},
        optional={
            "tagStatus": st.sampled_from(TAG_STATUS),
            "tagPrefixList": st.lists(st.sampled_from(GLOBS), max_size=3),
            "tagPatternList": st.lists(st.sampled_from(GLOBS), max_size=3),
            "countType": st.sampled_from(COUNT_TYPES),
            "countUnit": st.sampled_from(["days", "hours", None]),
            "countNumber": number,
        },
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "rulePriority": number,
            "description": some_text(),
            "selection": selection,
            "action": st.fixed_dictionaries(
                {},
                optional={
                    "type": st.sampled_from(["expire", "transition", "keep"]),
                    "targetStorageClass": st.just("archive"),
                },
            ),
        },
    )


def lifecycle_policies() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({"rules": st.lists(_lifecycle_rule(), max_size=5) | json_values(5)})


def _intrinsic(inner):
    ref = st.sampled_from(["Env", "AWS::AccountId", "AWS::Region", "AWS::NoValue", "Repo", "Missing", "Cond"])
    return st.one_of(
        st.builds(lambda r: {"Ref": r}, ref),
        st.builds(lambda s: {"Fn::Sub": s}, some_text()),
        st.builds(
            lambda s, m: {"Fn::Sub": [s, m]}, some_text(), st.dictionaries(st.sampled_from(NAMES), inner, max_size=2)
        ),
        st.builds(
            lambda a, b: {"Fn::GetAtt": [a, b]},
            st.sampled_from(["Repo", "Missing", "Key"]),
            st.sampled_from(["Arn", "x"]),
        ),
        st.builds(lambda s: {"Fn::GetAtt": s}, st.sampled_from(["Repo.Arn", "Repo", ".", ""])),
        st.builds(lambda c, a, b: {"Fn::If": [c, a, b]}, st.sampled_from(["IsProd", "Loop", "Nope"]), inner, inner),
        st.builds(
            lambda d, items: {"Fn::Join": [d, items]}, st.sampled_from(["", ",", ":"]), st.lists(inner, max_size=3)
        ),
        st.builds(lambda i, items: {"Fn::Select": [i, items]}, st.integers(-2, 5), st.lists(inner, max_size=3) | inner),
        st.builds(lambda d, s: {"Fn::Split": [d, s]}, st.sampled_from([",", ""]), inner),
        st.builds(lambda s: {"Fn::ImportValue": s}, inner),
        st.builds(lambda a, b, c: {"Fn::FindInMap": [a, b, c]}, st.sampled_from(["M", "X"]), inner, inner),
        st.builds(lambda a, b: {"Fn::Equals": [a, b]}, inner, inner),
        st.builds(lambda c: {"Condition": c}, st.sampled_from(["IsProd", "Loop"])),
        st.builds(lambda x: {"Fn::Base64": x}, inner),
        st.builds(lambda x: {"Fn::Transform": x}, inner),
        st.builds(lambda x: {"Fn::GetAZs": x}, inner),
        st.builds(lambda x: {"Fn::Cidr": x}, inner),
        st.builds(lambda x: {"Fn::Length": x}, inner),
        st.builds(lambda x: {"Fn::ToJsonString": x}, inner),
        st.builds(lambda x: {"Fn::Bogus": x}, inner),
        st.builds(lambda x: {"Ref": x}, inner),  # a malformed Ref
    )


def cfn_values(max_leaves: int = 12) -> st.SearchStrategy:
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            _intrinsic(inner),
            st.lists(inner, max_size=3),
            st.dictionaries(st.sampled_from(CFN_PROPERTIES) | some_text(), inner, max_size=3),
        ),
        max_leaves=max_leaves,
    )


def _cfn_property_value():
    return st.one_of(
        cfn_values(),
        iam_policies(),
        lifecycle_policies().map(lambda p: {"LifecyclePolicyText": json.dumps(p), "RegistryId": "123456789012"}),
        lifecycle_policies().map(json.dumps),
        iam_policies().map(json.dumps),
        st.sampled_from(
            ["MUTABLE", "IMMUTABLE", "KMS", "AES256", "Image", "Zip", "Interface", "Gateway", "./child.yaml"]
        ),
    )


def cfn_templates() -> st.SearchStrategy[dict]:
    resource = st.fixed_dictionaries(
        {"Type": st.sampled_from(CFN_ECR_TYPES)},
        optional={
            "Properties": st.dictionaries(st.sampled_from(CFN_PROPERTIES), _cfn_property_value(), max_size=6)
            | json_values(4),
            "Condition": st.sampled_from(["IsProd", "Loop", "Nope"]),
            "DependsOn": st.sampled_from(["Repo", ["Repo", "Missing"]]),
            "DeletionPolicy": st.sampled_from(["Retain", "Delete"]),
            "Metadata": st.fixed_dictionaries({"aws:cdk:path": st.sampled_from(["Stack/Repo/Resource", ""])}),
        },
    )
    parameter = st.fixed_dictionaries(
        {
            "Type": st.sampled_from(
                ["String", "Number", "CommaDelimitedList", "List<String>", "AWS::SSM::Parameter::Value<String>"]
            )
        },
        optional={"Default": scalars, "AllowedValues": st.lists(scalars, max_size=3)},
    )
    conditions = st.fixed_dictionaries(
        {},
        optional={
            "IsProd": st.builds(lambda v: {"Fn::Equals": [{"Ref": "Env"}, v]}, scalars),
            "Loop": st.just({"Condition": "Loop"}),  # refers to itself
            "Nope": cfn_values(4),
        },
    )
    return st.fixed_dictionaries(
        {
            "Resources": st.dictionaries(
                st.sampled_from(["Repo", "Key", "Policy", "Fn", "Stack", "Vpc", "Ep", "Role", "r"]),
                resource,
                max_size=5,
            )
        },
        optional={
            "AWSTemplateFormatVersion": st.sampled_from(["2010-09-09", "2010-09-10", 20100909]),
            "Parameters": st.dictionaries(st.sampled_from(["Env", "Repo", "Key", "List"]), parameter, max_size=3),
            "Conditions": conditions,
            "Mappings": st.just({"M": {"a": {"b": "c"}}}),
            "Transform": st.sampled_from(["AWS::Serverless-2016-10-31", "AWS::LanguageExtensions", ["AWS::Include"]]),
            "Outputs": st.dictionaries(
                st.sampled_from(["O"]), st.fixed_dictionaries({"Value": cfn_values(3)}), max_size=1
            ),
        },
    )


def _plan_resource(address_modules: bool):
    values = st.dictionaries(st.sampled_from(TF_ATTRS + TF_NESTED), _tf_plan_value(), max_size=6)
    return st.fixed_dictionaries(
        {
            "address": st.sampled_from(
                [
                    "aws_ecr_repository.r",
                    'module.m["k"].aws_ecr_repository.this[0]',
                    "aws_ecr_repository_policy.p",
                    "x",
                    "",
                ]
            ),
            "type": st.sampled_from(TF_TYPES),
            "name": st.sampled_from(NAMES),
        },
        optional={
            "mode": st.sampled_from(["managed", "data"]),
            "values": values,
            "index": st.integers(0, 3) | some_text(),
        },
    )


def _tf_plan_value():
    return st.one_of(
        scalars,
        iam_policies().map(json.dumps),
        lifecycle_policies().map(json.dumps),
        st.lists(st.dictionaries(st.sampled_from(TF_ATTRS), scalars, max_size=3), max_size=2),
        json_values(4),
    )


def plans() -> st.SearchStrategy[dict]:
    resources = st.lists(_plan_resource(False), max_size=4)
    module = st.fixed_dictionaries({"resources": resources}, optional={"address": st.just("module.m")})
    change = st.fixed_dictionaries(
        {
            "address": st.sampled_from(["aws_ecr_repository.r", "module.m.aws_ecr_repository.this", "z"]),
            "type": st.sampled_from(TF_TYPES),
            "change": st.fixed_dictionaries(
                {"actions": st.lists(st.sampled_from(["create", "update", "delete", "no-op", "read"]), max_size=2)},
                optional={
                    "before": json_values(4),
                    "after": st.dictionaries(st.sampled_from(TF_ATTRS + TF_NESTED), _tf_plan_value(), max_size=5),
                    "after_unknown": st.dictionaries(st.sampled_from(TF_ATTRS), st.booleans(), max_size=3),
                },
            ),
        }
    )
    return st.fixed_dictionaries(
        {"format_version": st.sampled_from(["1.2", "0.1", "9"])},
        optional={
            "terraform_version": st.just("1.9.0"),
            "planned_values": st.fixed_dictionaries(
                {
                    "root_module": st.fixed_dictionaries(
                        {}, optional={"resources": resources, "child_modules": st.lists(module, max_size=2)}
                    )
                }
            )
            | json_values(3),
            "resource_changes": st.lists(change, max_size=4),
            "configuration": json_values(6),
            "variables": st.dictionaries(
                st.sampled_from(["x", "m"]), st.fixed_dictionaries({"value": scalars}), max_size=2
            ),
        },
    )


def raw_documents() -> st.SearchStrategy[dict]:
    """Standalone JSON documents of the kinds ecrlint recognises, and AWS CLI outputs."""
    repo = st.fixed_dictionaries(
        {},
        optional={
            "repositoryName": some_text(),
            "repositoryArn": st.just("arn:aws:ecr:us-east-1:123456789012:repository/x"),
            "imageTagMutability": st.sampled_from(["MUTABLE", "IMMUTABLE", "x"]),
            "imageScanningConfiguration": st.fixed_dictionaries({"scanOnPush": scalars}),
            "encryptionConfiguration": st.fixed_dictionaries({"encryptionType": st.sampled_from(["AES256", "KMS", 1])}),
        },
    )
    return st.one_of(
        iam_policies(),
        lifecycle_policies(),
        st.builds(lambda r: {"repositories": r}, st.lists(repo, max_size=3)),
        st.builds(
            lambda p: {"registryId": "123456789012", "lifecyclePolicyText": p},
            lifecycle_policies().map(json.dumps) | scalars,
        ),
        st.builds(
            lambda p: {"registryId": "123456789012", "policyText": p, "repositoryName": "x"},
            iam_policies().map(json.dumps) | scalars,
        ),
        st.builds(lambda p: {"registryId": "123456789012", "policyText": p}, iam_policies().map(json.dumps)),
        st.builds(lambda r: {"replicationConfiguration": {"rules": r}}, st.lists(json_values(4), max_size=3)),
        st.builds(
            lambda r: {"rules": r},
            st.lists(
                st.fixed_dictionaries(
                    {
                        "destinations": st.lists(
                            st.fixed_dictionaries({"region": some_text(), "registryId": some_text()}), max_size=4
                        )
                    }
                ),
                max_size=3,
            ),
        ),
        st.builds(lambda r: {"scanType": "ENHANCED", "rules": r}, st.lists(json_values(4), max_size=2)),
    )


# -- serialisation -----------------------------------------------------------------------------


def _num(value) -> str:
    if isinstance(value, float) and value != value:
        return "NaN"
    return json.dumps(value)


def dump_json(value, draw) -> str:
    """JSON text, sometimes with a duplicated key, odd spacing or a non-standard number."""
    indent = draw(st.sampled_from([None, 0, 1, 2, "\t"]))
    duplicate = draw(st.integers(0, 9)) == 0
    weird_number = draw(st.sampled_from([None, None, None, "1e999", "-0", "NaN", "9" * 4400, "0x10", "01"]))
    state = {"duplicated": False, "weird": False}
    nl = "" if indent is None else "\n"
    pad = "" if indent is None else (indent if isinstance(indent, str) else " " * indent)

    def out(v, depth):
        inner = pad * (depth + 1)
        if isinstance(v, dict):
            items = list(v.items())
            if duplicate and items and not state["duplicated"]:
                state["duplicated"] = True
                items.append(items[0][:1] + (draw(json_values(3)),))
            if not items:
                return "{}"
            body = ("," + nl).join(f"{inner}{json.dumps(str(k))}: {out(x, depth + 1)}" for k, x in items)
            return "{" + nl + body + nl + pad * depth + "}"
        if isinstance(v, list):
            if not v:
                return "[]"
            body = ("," + nl).join(inner + out(x, depth + 1) for x in v)
            return "[" + nl + body + nl + pad * depth + "]"
        if isinstance(v, (int, float)) and not isinstance(v, bool) and weird_number and not state["weird"]:
            state["weird"] = True
            return weird_number
        if isinstance(v, float):
            return _num(v)
        return json.dumps(v, ensure_ascii=draw(st.booleans()))

    return out(value, 0)


@dataclass(frozen=True)
class _Tagged:
    tag: str
    value: object


SHORT_FORMS = {
    "Ref": "!Ref",
    "Condition": "!Condition",
    **{
        f"Fn::{n}": f"!{n}"
        for n in (
            "Sub",
            "GetAtt",
            "Join",
            "If",
            "Select",
            "Split",
            "ImportValue",
            "FindInMap",
            "Base64",
            "Equals",
            "GetAZs",
            "Cidr",
            "Transform",
        )
    },
}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper, data: _Tagged):
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


_Dumper.add_representer(_Tagged, _represent_tagged)


def _short_forms(value, use: bool, pool: list):
    """Intrinsics as `!Tag` nodes; some subtrees shared, so the dumper writes anchors and aliases."""
    if isinstance(value, dict):
        if use and len(value) == 1:
            ((key, inner),) = value.items()
            if key in SHORT_FORMS:
                return _Tagged(SHORT_FORMS[key], _short_forms(inner, use, pool))
        out = {k: _short_forms(v, use, pool) for k, v in value.items()}
        if pool and len(out) > 1 and len(pool) % 3 == 0:
            out[next(iter(out))] = pool[0]  # the same object twice: an anchor and an alias
        pool.append(out)
        return out
    if isinstance(value, list):
        out = [_short_forms(v, use, pool) for v in value]
        pool.append(out)
        return out
    return value


def dump_yaml(value, draw) -> str:
    short = draw(st.booleans())
    data = _short_forms(value, short, [])
    style = draw(st.sampled_from([None, False, True]))
    try:
        text = yaml.dump(
            data,
            Dumper=_Dumper,
            default_flow_style=style,
            allow_unicode=draw(st.booleans()),
            sort_keys=False,
            width=draw(st.sampled_from([80, 20, 10_000])),
        )
    except yaml.YAMLError:
        text = json.dumps(value, default=str)
    if draw(st.integers(0, 4)) == 0:  # a merge key and an alias in hand-written YAML
        text = "x-defaults: &defaults\n  ImageTagMutability: MUTABLE\n  ScanOnPush: false\n" + text
        text = text.replace("Properties:\n", "Properties:\n      <<: *defaults\n", 1)
    return text


def serialise(value, draw, yaml_ok: bool = True) -> tuple[str, str]:
    """(text, extension) of a generated document."""
    if yaml_ok and draw(st.booleans()):
        return dump_yaml(value, draw), draw(st.sampled_from([".yaml", ".yml", ".template"]))
    return dump_json(value, draw), ".json"


# -- Terraform ---------------------------------------------------------------------------------


def _hcl_string(draw, depth: int) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 6))
        if kind == 0 and depth > 0:
            parts.append("${" + _expr(draw, depth - 1) + "}")
        elif kind == 1:
            parts.append("%{ if " + _expr(draw, 0) + " }a%{ else }b%{ endif }")
        elif kind == 2:
            parts.append(
                draw(st.sampled_from(["$${x}", "%%{x}", "\\n", "\\t", '\\"', "\\\\", "\\u00e9", "\\U0001F600", "\\q"]))
            )
        else:
            raw = draw(some_text())
            parts.append(
                raw.replace("\\", "\\\\")
                .replace('"', '\\"')
                .replace("\n", "\\n")
                .replace("${", "$${")
                .replace("%{", "%%{")
            )
    return '"' + "".join(parts) + '"'


def _sep(draw) -> str:
    choice = draw(st.integers(0, 12))
    if choice == 0:
        return " /* c */ "
    if choice == 1:
        return "/**/"
    return " "


def _heredoc(draw, depth: int) -> str:
    tag = draw(st.sampled_from(["EOF", "EOT", "POLICY", "JSON"]))
    indent = draw(st.booleans())
    body_kind = draw(st.integers(0, 2))
    if body_kind == 0:
        body = json.dumps(draw(iam_policies() | lifecycle_policies()), indent=2)
    elif body_kind == 1:
        body = "value ${" + _expr(draw, max(depth - 1, 0)) + "} and %{ if true }x%{ endif }"
    else:
        body = draw(odd_text(40)).replace("\r", "")
    lines = body.split("\n")
    if indent:
        return "<<-" + tag + "\n" + "\n".join("    " + line for line in lines) + "\n  " + tag + "\n"
    return "<<" + tag + "\n" + "\n".join(lines) + "\n" + tag + "\n"


def _expr(draw, depth: int) -> str:
    kind = draw(st.integers(0, 14 if depth > 0 else 4))
    if kind == 0:
        return draw(st.sampled_from(["true", "false", "null", "0", "1", "-1", "1.5", "1e3", "0x10", "9" * 30]))
    if kind == 1 or kind == 2:
        return _hcl_string(draw, depth)
    if kind == 3:
        return draw(
            st.sampled_from(
                [
                    "var.x",
                    "var.m",
                    "local.name",
                    "local.policy",
                    "each.key",
                    "each.value",
                    "count.index",
                    "path.module",
                    "terraform.workspace",
                    "aws_ecr_repository.r.name",
                    "aws_ecr_repository.r[0].arn",
                    'aws_ecr_repository.r["k"].arn',
                    "aws_ecr_repository.r.*.arn",
                    "aws_ecr_repository.r[*].arn",
                    "data.aws_iam_policy_document.p.json",
                    "data.aws_caller_identity.current.account_id",
                    "module.m.repository_url",
                    "self.name",
                    "nosuch.thing",
                ]
            )
        )
    if kind == 4:
        return _hcl_string(draw, 0)
    if kind == 5:
        fn = draw(st.sampled_from(TF_FUNCTIONS))
        args = [_expr(draw, depth - 1) for _ in range(draw(st.integers(0, 3)))]
        expand = "..." if args and draw(st.integers(0, 8)) == 0 else ""
        return f"{fn}({', '.join(args)}{expand})"
    if kind == 6:
        return f"{_expr(draw, depth - 1)} ?{_sep(draw)}{_expr(draw, depth - 1)} : {_expr(draw, depth - 1)}"
    if kind == 7:
        op = draw(st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||"]))
        return f"{_expr(draw, depth - 1)} {op}{_sep(draw)}{_expr(draw, depth - 1)}"
    if kind == 8:
        return draw(st.sampled_from(["!", "-"])) + _expr(draw, depth - 1)
    if kind == 9:
        items = [_expr(draw, depth - 1) for _ in range(draw(st.integers(0, 3)))]
        return "[" + ", ".join(items) + draw(st.sampled_from(["", ","])) + "]"
    if kind == 10:
        items = []
        for _ in range(draw(st.integers(0, 3))):
            key = draw(
                st.sampled_from(["name", '"Effect"', "Action", '"ecr:x"', "(var.k)", "rules", "Statement", "Principal"])
            )
            items.append(f"{key}{draw(st.sampled_from([' = ', ': ']))}{_expr(draw, depth - 1)}")
        return "{" + draw(st.sampled_from([", ", "\n"])).join(items) + "}"
    if kind == 11:
        if draw(st.booleans()):
            return f"[for x in {_expr(draw, depth - 1)} : {_expr(draw, depth - 1)} if {_expr(draw, 0)}]"
        return f"{{for k, v in {_expr(draw, depth - 1)} : k => {_expr(draw, depth - 1)}{draw(st.sampled_from(['', '...']))}}}"
    if kind == 12:
        return _heredoc(draw, depth)
    if kind == 13:
        data = draw(iam_policies() | lifecycle_policies())
        return "jsonencode(" + hcl_of(data) + ")"
    return "(" + _expr(draw, depth - 1) + ")"


def hcl_of(value) -> str:
    """A Python value written as an HCL expression."""
    if isinstance(value, dict):
        return "{\n" + "\n".join(f"{json.dumps(str(k))} = {hcl_of(v)}" for k, v in value.items()) + "\n}"
    if isinstance(value, list):
        return "[" + ", ".join(hcl_of(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return "0"
    return json.dumps(value)


def _body(draw, depth: int, indent: str) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(0, 5))):
        if depth > 0 and draw(st.integers(0, 3)) == 0:
            name = draw(st.sampled_from(TF_NESTED))
            label = ' "statement"' if name == "dynamic" else ""
            lines.append(f"{indent}{name}{label} {{")
            lines += _body(draw, depth - 1, indent + "  ")
            lines.append(f"{indent}}}")
        else:
            attr = draw(st.sampled_from(TF_ATTRS) | st.from_regex(r"[a-z_][a-z0-9_-]{0,6}", fullmatch=True))
            comment = draw(st.sampled_from(["", "", "", " # trailing", " // trailing", " /* x */"]))
            lines.append(f"{indent}{attr}{_sep(draw)}={_sep(draw)}{_expr(draw, 3)}{comment}")
    return lines


@st.composite
def terraform_files(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 9))
        if kind <= 3:
            header = f'resource "{draw(st.sampled_from(TF_TYPES))}" "{draw(st.sampled_from(NAMES))}"'
        elif kind == 4:
            header = f'data "{draw(st.sampled_from(["aws_iam_policy_document", "aws_caller_identity", "aws_ecr_repository", "aws_region"]))}" "{draw(st.sampled_from(NAMES))}"'
        elif kind == 5:
            header = f'variable "{draw(st.sampled_from(["x", "m", "name", "policy"]))}"'
        elif kind == 6:
            header = "locals"
        elif kind == 7:
            header = f'module "{draw(st.sampled_from(["m", "n"]))}"'
        elif kind == 8:
            header = draw(
                st.sampled_from(['provider "aws"', "terraform", 'output "o"', "moved", "import", 'check "c"'])
            )
        else:
            header = draw(
                st.sampled_from(["resource", 'resource "aws_ecr_repository"', "resource x y", '"quoted" "x"'])
            )
        comment = draw(st.sampled_from(["", "# c\n", "// c\n", "/* multi\nline */\n"]))
        body = _body(draw, 2, "  ")
        if header.startswith("module"):
            body.insert(
                0, f'  source = "{draw(st.sampled_from(["./mod", "../x", "../../..", "git::https://x", "/abs"]))}"'
            )
        blocks.append(comment + header + _sep(draw) + "{\n" + "\n".join(body) + "\n}\n")
    return "\n".join(blocks)


@st.composite
def tfvars_files(draw) -> str:
    return (
        "\n".join(
            f"{draw(st.sampled_from(['x', 'm', 'name', 'policy', 'y']))} = {_expr(draw, 2)}"
            for _ in range(draw(st.integers(0, 4)))
        )
        + "\n"
    )


def _tf_json_doc():
    block = st.dictionaries(
        st.sampled_from(TF_ATTRS),
        st.one_of(scalars, st.just("${var.x}"), json_values(4), iam_policies().map(json.dumps)),
        max_size=5,
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "resource": st.dictionaries(
                st.sampled_from(TF_TYPES),
                st.dictionaries(st.sampled_from(NAMES), block | st.lists(block, max_size=2), max_size=2),
                max_size=3,
            ),
            "variable": st.dictionaries(
                st.sampled_from(["x", "m"]), st.fixed_dictionaries({}, optional={"default": scalars}), max_size=2
            ),
            "locals": st.dictionaries(st.sampled_from(["name", "policy"]), scalars | json_values(3), max_size=2),
            "data": json_values(4),
            "module": st.dictionaries(
                st.sampled_from(["m"]),
                st.fixed_dictionaries({"source": st.sampled_from(["./mod", "../.."])}),
                max_size=1,
            ),
        },
    )


# -- whole inputs ------------------------------------------------------------------------------


@st.composite
def generated_trees(draw) -> dict[str, bytes]:
    """A small tree of 1-4 files of mixed kinds, as `relative path -> bytes`."""
    files: dict[str, str] = {}
    for index in range(draw(st.integers(1, 4))):
        kind = draw(
            st.sampled_from(
                ["tf", "tf", "tfvars", "tfjson", "cfn", "cfn", "plan", "iam", "lifecycle", "raw", "cdk", "json"]
            )
        )
        folder = draw(st.sampled_from(["", "mod/", "a/b/"]))
        if kind == "tf":
            files[f"{folder}main{index}.tf"] = draw(terraform_files())
        elif kind == "tfvars":
            files[f"{folder}{draw(st.sampled_from(['terraform.tfvars', 'x.auto.tfvars']))}"] = draw(tfvars_files())
        elif kind == "tfjson":
            files[f"{folder}main{index}.tf.json"] = dump_json(draw(_tf_json_doc()), draw)
        elif kind == "cfn":
            text, ext = serialise(draw(cfn_templates()), draw)
            files[f"{folder}template{index}{ext}"] = text
            if draw(st.booleans()):  # a nested stack's local template
                text, _ = serialise(draw(cfn_templates()), draw)
                files[f"{folder}child.yaml"] = text
        elif kind == "plan":
            files[f"{folder}plan{index}.json"] = dump_json(draw(plans()), draw)
        elif kind == "iam":
            name = draw(st.sampled_from(["policy", "repository-policy", "registry-policy", "identity"]))
            files[f"{folder}{name}{index}.json"] = dump_json(draw(iam_policies()), draw)
        elif kind == "lifecycle":
            files[f"{folder}lifecycle-policy{index}.json"] = dump_json(draw(lifecycle_policies()), draw)
        elif kind == "raw":
            files[f"{folder}raw{index}.json"] = dump_json(draw(raw_documents()), draw)
        elif kind == "cdk":
            files.update(draw(cdk_assemblies(folder + "cdk.out/")))
        else:
            text, ext = serialise(draw(json_values()), draw)
            files[f"{folder}other{index}{ext}"] = text
    return {path: text.encode("utf-8", "surrogatepass") for path, text in files.items()}


@st.composite
def cdk_assemblies(draw, prefix: str) -> dict[str, str]:
    template_file = draw(
        st.sampled_from(
            [
                "Stack.template.json",
                "../Stack.template.json",
                "../../../etc/passwd",
                "nested/Stack.template.json",
                "missing.json",
                "",
            ]
        )
    )
    artifacts = {
        "Stack": {
            "type": draw(
                st.sampled_from(["aws:cloudformation:stack", "cdk:asset-manifest", "cdk:cloud-assembly", "x"])
            ),
            "properties": {
                "templateFile": template_file,
                "directoryName": draw(st.sampled_from(["nested", ".", "..", "/"])),
            },
            "metadata": {"/Stack/Repo/Resource": [{"type": "aws:cdk:logicalId", "data": "Repo"}]},
        },
        "Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}},
    }
    if draw(st.booleans()):
        artifacts["Self"] = {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}}  # refers to itself
    files = {prefix + "manifest.json": json.dumps({"version": "36.0.0", "artifacts": artifacts})}
    files[prefix + "Stack.template.json"] = dump_json(draw(cfn_templates()), draw)
    if draw(st.booleans()):
        files[prefix + "nested/manifest.json"] = json.dumps(
            {
                "version": "36.0.0",
                "artifacts": {"N": {"type": "cdk:cloud-assembly", "properties": {"directoryName": ".."}}},
            }
        )
    return files


# -- seeds: the repository's own inputs --------------------------------------------------------


def _seed_files() -> list[tuple[str, bytes]]:
    found = []
    for top in ("examples", "rules"):
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                if kind_of(name) is None or name == "findings.snap.json" or os.path.getsize(path) > 64_000:
                    continue
                with open(path, "rb") as handle:
                    found.append((os.path.relpath(path, ROOT).replace(os.sep, "/"), handle.read()))
    return found


SEEDS = _seed_files()


def seed_trees() -> st.SearchStrategy[dict[str, bytes]]:
    """One of the repository's example or fixture files, alone under its own name."""
    return st.sampled_from(SEEDS).map(lambda item: {os.path.basename(item[0]): item[1]})


# -- mutations ---------------------------------------------------------------------------------

HUGE = 2_000_000 if LONG else 200_000
DEPTHS = [50, 199, 200, 201, 400, 1000, 3000] + ([20_000] if LONG else [])


def _nest(kind: str, depth: int) -> bytes:
    if kind == "json-list":
        return b"[" * depth + b"1" + b"]" * depth
    if kind == "json-object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    if kind == "yaml-block":
        return "".join("  " * i + "a:\n" for i in range(min(depth, 1500))).encode()
    if kind == "yaml-seq":
        return "".join("  " * i + "- \n" for i in range(min(depth, 1500))).encode()
    if kind == "hcl-tuple":
        return b"x = " + b"[" * depth + b"]" * depth + b"\n"
    if kind == "hcl-paren":
        return b"locals {\n  x = " + b"(" * depth + b"1" + b")" * depth + b"\n}\n"
    if kind == "hcl-call":
        return b"locals {\n  x = " + b"max(" * depth + b"1" + b")" * depth + b"\n}\n"
    if kind == "hcl-object":
        return b"locals {\n  x = " + b"{a = " * depth + b"1" + b"}" * depth + b"\n}\n"
    if kind == "hcl-block":
        return b"a {\n" * depth + b"}\n" * depth
    if kind == "hcl-interp":
        return b'locals {\n  x = "' + b'${"' * depth + b"x" + b'"}' * depth + b'"\n}\n'
    if kind == "hcl-unary":
        return b"locals {\n  x = " + b"!" * depth + b"true\n}\n"
    if kind == "hcl-conditional":
        return b"locals {\n  x = " + b"true ? " * depth + b"1" + b" : 2" * depth + b"\n}\n"
    raise ValueError(kind)


NEST_KINDS = [
    "json-list",
    "json-object",
    "yaml-block",
    "yaml-seq",
    "hcl-tuple",
    "hcl-paren",
    "hcl-call",
    "hcl-object",
    "hcl-block",
    "hcl-interp",
    "hcl-unary",
    "hcl-conditional",
]


def mutation() -> st.SearchStrategy[tuple]:
    where = st.floats(min_value=0, max_value=1)
    return st.one_of(
        st.tuples(st.just("truncate"), where),
        st.tuples(st.just("flip"), where, st.integers(0, 7)),
        st.tuples(st.just("byte"), where, st.binary(min_size=1, max_size=4)),
        st.tuples(st.just("delete"), where, st.integers(1, 64)),
        st.tuples(st.just("repeat"), where, st.integers(1, 200), st.integers(2, 50)),
        st.tuples(st.just("splice"), where, st.sampled_from(TOKENS)),
        st.tuples(st.just("text"), where, odd_text(8)),
        st.tuples(st.just("nest"), where, st.sampled_from(NEST_KINDS), st.sampled_from(DEPTHS)),
        st.tuples(st.just("huge"), where, st.sampled_from(["A", "é", "\\", '"', "${", "\n", " ", "\u2028"])),
        st.tuples(st.just("crlf")),
        st.tuples(st.just("cr")),
        st.tuples(st.just("tabs")),
        st.tuples(
            st.just("bom"), st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"])
        ),
        st.tuples(st.just("encode"), st.sampled_from(["utf-16", "utf-16-be", "latin-1", "cp1252", "utf-32"])),
        st.tuples(st.just("empty")),
        st.tuples(st.just("lines"), st.sampled_from(["shuffle-pair", "dedent", "indent", "double"]), where),
    )


def apply(data: bytes, step: tuple) -> bytes:
    op = step[0]
    at = int(step[1] * len(data)) if len(step) > 1 and isinstance(step[1], float) else 0
    if op == "truncate":
        return data[:at]
    if op == "flip":
        if not data:
            return data
        at = min(at, len(data) - 1)
        return data[:at] + bytes([data[at] ^ (1 << step[2])]) + data[at + 1 :]
    if op == "byte":
        return data[:at] + step[2] + data[at:]
    if op == "delete":
        return data[:at] + data[at + step[2] :]
    if op == "repeat":
        chunk = data[at : at + step[2]]
        return data[:at] + chunk * step[3] + data[at:]
    if op == "splice":
        return data[:at] + step[2].encode("utf-8", "surrogatepass") + data[at:]
    if op == "text":
        return data[:at] + step[2].encode("utf-8", "surrogatepass") + data[at:]
    if op == "nest":
        return data[:at] + _nest(step[2], step[3]) + data[at:]
    if op == "huge":
        return data[:at] + (step[2] * (HUGE // len(step[2].encode()))).encode() + data[at:]
    if op == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if op == "cr":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
    if op == "tabs":
        return data.replace(b"  ", b"\t")
    if op == "bom":
        return step[1] + data
    if op == "encode":
        text = data.decode("utf-8", "replace")
        return text.encode(step[1], "replace")
    if op == "empty":
        return b""
    if op == "lines":
        lines = data.split(b"\n")
        i = int(step[2] * max(len(lines) - 1, 0))
        if step[1] == "shuffle-pair" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif step[1] == "dedent" and lines:
            lines[i] = lines[i].lstrip()
        elif step[1] == "indent" and lines:
            lines[i] = b"   " + lines[i]
        elif step[1] == "double" and lines:
            lines.insert(i, lines[i])
        return b"\n".join(lines)
    raise ValueError(op)


@st.composite
def mutated(draw, trees: st.SearchStrategy[dict[str, bytes]], max_steps: int = 4) -> dict[str, bytes]:
    """A tree from `trees` with one of its files changed by 1..max_steps mutations."""
    files = dict(draw(trees))
    target = draw(st.sampled_from(sorted(files)))
    data = files[target]
    for step in draw(st.lists(mutation(), min_size=1, max_size=max_steps)):
        data = apply(data, step)
        if len(data) > 4 * HUGE:
            data = data[: 4 * HUGE]
    files[target] = data
    return files
