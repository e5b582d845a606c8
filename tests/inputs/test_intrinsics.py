"""Static evaluation of CloudFormation intrinsic functions."""

from __future__ import annotations

from ecrlint.model.adapters.cfn_intrinsics import StackEnvironment, TemplateScope, is_absent, merge_conditions
from ecrlint.parse.yaml import parse_yaml_value
from ecrlint.source import Span
from ecrlint.values import Branches, Unknown, known

TEMPLATE = """\
Parameters:
  Env:
    Type: String
    Default: prod
  Stage:
    Type: String
  Subnets:
    Type: CommaDelimitedList
    Default: "subnet-1, subnet-2"
  ImageParam:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /images/app
  Port:
    Type: Number
    Default: 8080
Mappings:
  Regions:
    eu-west-1:
      Key: arn:aws:kms:eu-west-1:111122223333:key/abc
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsStageProd: !Equals [!Ref Stage, prod]
  Both: !And [!Condition IsProd, !Condition IsStageProd]
  Either: !Or [!Condition IsProd, !Condition IsStageProd]
  NotProd: !Not [!Condition IsProd]
  InIreland: !Equals [!Ref "AWS::Region", eu-west-1]
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub "${Env}/app"
  Key:
    Type: AWS::KMS::Key
  Unnamed:
    Type: AWS::ECR::Repository
"""


def scope(region=None, account=None, stack_name=None, parameters=None):
    value = parse_yaml_value(TEMPLATE, "t.yaml")
    here = Span.point("t.yaml", 1, 1)
    env = StackEnvironment(
        account_id=known(account, here) if account else None,
        region=known(region, here) if region else None,
        stack_name=known(stack_name, here) if stack_name else None,
        parameter_values=parameters or {},
    )
    return TemplateScope(value, "t.yaml", env)


def resolve(expression: str, **kw):
    return scope(**kw).resolve(parse_yaml_value(f"v: {expression}\n", "e.yaml").data["v"])


def test_ref_parameter_default_and_override():
    value = resolve("!Ref Env")
    assert value.data == "prod"
    assert value.trace == ("parameter Env default",)
    assert value.span.path == "e.yaml"  # located at the use site
    overridden = resolve("!Ref Env", parameters={"Env": known("dev", Span.point("p.yaml", 1, 1))})
    assert overridden.data == "dev"
    assert resolve("!Ref Port").data == "8080"


def test_parameters_that_cannot_be_decided():
    no_default = resolve("!Ref Stage")
    assert isinstance(no_default.data, Unknown)
    assert no_default.data.symbolic == "${Stage}"
    assert "no default" in no_default.data.reason
    ssm = resolve("!Ref ImageParam")
    assert isinstance(ssm.data, Unknown) and "SSM" in ssm.data.reason


def test_list_parameter():
    assert resolve("!Ref Subnets").plain() == ["subnet-1", "subnet-2"]
    assert resolve("!Select [1, !Ref Subnets]").data == "subnet-2"


def test_pseudo_parameters():
    region = resolve("!Ref AWS::Region")
    assert isinstance(region.data, Unknown) and region.data.symbolic == "${AWS::Region}"
    assert resolve("!Ref AWS::Region", region="eu-west-1").data == "eu-west-1"
    assert resolve("!Ref AWS::Partition").data == "aws"
    assert resolve("!Ref AWS::Partition", region="cn-north-1").data == "aws-cn"
    assert resolve("!Ref AWS::URLSuffix", region="cn-north-1").data == "amazonaws.com.cn"
    assert isinstance(resolve("!Ref AWS::URLSuffix").data, Unknown)
    assert isinstance(resolve("!Ref AWS::AccountId").data, Unknown)
    assert resolve("!Ref AWS::AccountId", account="111122223333").data == "111122223333"
    assert resolve("!Ref AWS::StackName", stack_name="Orders").data == "Orders"
    assert resolve("!Ref AWS::NoValue") is None


def test_sub_both_forms():
    assert resolve('!Sub "${Env}-${!Literal}"').data == "prod-${Literal}"
    both = resolve('!Sub ["${Name}.${AWS::Region}", {Name: !Ref Env}]', region="us-east-1")
    assert both.data == "prod.us-east-1"
    partial = resolve('!Sub "com.amazonaws.${AWS::Region}.ecr.dkr"')
    assert isinstance(partial.data, Unknown)
    assert partial.data.symbolic == "com.amazonaws.${AWS::Region}.ecr.dkr"
    long_form = scope().resolve(parse_yaml_value('v: {"Fn::Sub": "${Env}"}', "e.yaml").data["v"])
    assert long_form.data == "prod"


def test_join_select_split():
    assert resolve('!Join ["-", [a, !Ref Env, c]]').data == "a-prod-c"
    joined = resolve('!Join ["", ["com.amazonaws.", !Ref "AWS::Region", ".s3"]]')
    assert joined.data.symbolic == "com.amazonaws.${AWS::Region}.s3"
    assert resolve('!Select [2, !Split [":", "arn:aws:ecr:eu-west-1"]]').data == "ecr"
    assert isinstance(resolve("!Select [5, [a]]").data, Unknown)
    assert isinstance(resolve('!Select [0, !GetAZs ""]').data, Unknown)


def test_resource_references():
    named = resolve("!Ref Repo")
    assert named.data == "prod/app" and named.ref == "Resources.Repo"
    unnamed = resolve("!Ref Unnamed")
    assert isinstance(unnamed.data, Unknown) and unnamed.ref == "Resources.Unnamed"
    key = resolve("!GetAtt Key.Arn")
    assert isinstance(key.data, Unknown)
    assert key.data.symbolic == "${Key.Arn}" and key.ref == "Resources.Key"
    arn = resolve("!GetAtt Repo.Arn", region="eu-west-1", account="111122223333")
    assert arn.data == "arn:aws:ecr:eu-west-1:111122223333:repository/prod/app"
    assert arn.ref == "Resources.Repo"
    uri = resolve("!GetAtt [Repo, RepositoryUri]")
    assert uri.data.symbolic == "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/prod/app"
    in_sub = resolve('!Sub "${Key.Arn}/x"')
    assert in_sub.data.symbolic == "${Key.Arn}/x" and in_sub.ref == "Resources.Key"


def test_conditions_decided_from_known_inputs():
    s = scope()
    assert s.condition("IsProd") is True
    assert s.condition("IsStageProd") is None
    assert s.condition("Both") is None
    assert s.condition("Either") is True
    assert s.condition("NotProd") is False
    assert s.condition("InIreland") is None
    assert scope(region="eu-west-1").condition("InIreland") is True
    decided = resolve("!If [IsProd, IMMUTABLE, MUTABLE]")
    assert decided.data == "IMMUTABLE"
    assert "condition IsProd is true" in decided.trace


def test_undecided_condition_gives_branches():
    value = resolve("!If [IsStageProd, IMMUTABLE, MUTABLE]")
    assert isinstance(value.data, Branches)
    assert [(b.condition, b.value.data) for b in value.data.options] == [
        ("condition IsStageProd is true", "IMMUTABLE"),
        ("condition IsStageProd is false", "MUTABLE"),
    ]
    removed = resolve("!If [IsStageProd, true, !Ref AWS::NoValue]")
    assert is_absent(removed.data.options[1].value)
    nested = resolve("!If [IsStageProd, a, !If [InIreland, b, c]]")
    assert [b.condition for b in nested.data.options] == [
        "condition IsStageProd is true",
        "condition IsStageProd is false and condition InIreland is true",
        "condition IsStageProd is false and condition InIreland is false",
    ]


def test_branches_combine_through_functions():
    value = resolve('!Sub ["${X}-repo", {X: !If [IsStageProd, prod, dev]}]')
    assert [(b.condition, b.value.data) for b in value.data.options] == [
        ("condition IsStageProd is true", "prod-repo"),
        ("condition IsStageProd is false", "dev-repo"),
    ]
    same = resolve('!Join ["", [!If [IsStageProd, a, b], !If [IsStageProd, c, d]]]')
    assert sorted(b.value.data for b in same.data.options) == ["ac", "bd"]  # contradictions dropped
    assert merge_conditions("condition A is true", "condition A is false") is None


def test_values_from_elsewhere_are_unknown():
    imported = resolve("!ImportValue shared-key")
    assert isinstance(imported.data, Unknown) and "Fn::ImportValue" in imported.data.reason
    assert isinstance(resolve("!Cidr [10.0.0.0/16, 2, 8]").data, Unknown)
    assert isinstance(resolve("!Transform {Name: M}").data, Unknown)


def test_find_in_map():
    value = resolve('!FindInMap [Regions, !Ref "AWS::Region", Key]', region="eu-west-1")
    assert value.data == "arn:aws:kms:eu-west-1:111122223333:key/abc"
    assert isinstance(resolve('!FindInMap [Regions, !Ref "AWS::Region", Key]').data, Unknown)
    fallback = resolve("!FindInMap [Regions, us-east-1, Key, {DefaultValue: none}]")
    assert fallback.data == "none"


def test_no_value_removes_list_elements_and_keys():
    value = resolve("{a: !Ref AWS::NoValue, b: [x, !Ref AWS::NoValue]}")
    assert value.plain() == {"b": ["x"]}


def test_literal_values_are_returned_unchanged():
    literal = parse_yaml_value("v: {a: [1, 2]}\n", "e.yaml").data["v"]
    assert scope().resolve(literal) is literal


def test_sub_of_a_long_parameter_many_times_is_unknown_within_the_budget():
    long_default = "x" * 10_240
    template = f"Parameters:\n  P:\n    Type: String\n    Default: {long_default}\nResources: {{}}\n"
    s = TemplateScope(parse_yaml_value(template, "t.yaml"), "t.yaml", StackEnvironment())
    expression = parse_yaml_value('v: !Sub "' + "${P}" * 10_000 + '"\n', "e.yaml").data["v"]
    value = s.resolve(expression)
    assert isinstance(value.data, Unknown) and "evaluation budget" in value.data.reason
    # short texts are still built
    assert s.resolve(parse_yaml_value('v: !Sub "${P}-a"\n', "e.yaml").data["v"]).data == long_default + "-a"


def test_nested_join_through_aliases_stops_at_the_budget():
    lines = [
        "Parameters:",
        "  P: {Type: String, Default: " + "y" * 131_072 + "}",
        "Resources: {}",
        "Values:",
        "  - &a0 {'Fn::Join': ['', [{Ref: P}, {Ref: P}]]}",
    ]
    lines += [f"  - &a{i} {{'Fn::Join': ['', [*a{i - 1}, *a{i - 1}]]}}" for i in range(1, 12)]
    value = parse_yaml_value("\n".join(lines) + "\n", "t.yaml")
    s = TemplateScope(value, "t.yaml", StackEnvironment())
    result = s.resolve(value.data["Values"].data[-1])  # 1 GiB of text if it were built
    assert isinstance(result.data, Unknown) and "evaluation budget" in result.data.reason
    assert s.budget.left < 0 or len(str(result.data)) < 2_000_000


def test_budget_is_shared_by_every_evaluation_of_a_template():
    s = scope()
    assert s.resolve(parse_yaml_value("v: !Sub '${Env}/a'\n", "e.yaml").data["v"]).data == "prod/a"
    s.budget.left = 0
    again = s.resolve(parse_yaml_value("v: {a: {b: [1, 2, 3]}}\n", "e.yaml").data["v"])
    assert "evaluation budget" in (again.unknown_reason() or "")


def test_repository_arn_without_a_name_is_that_repository_in_the_stack_account():
    arn = resolve("!GetAtt Unnamed.Arn")
    assert isinstance(arn.data, Unknown) and arn.ref == "Resources.Unnamed"
    assert arn.data.symbolic == "arn:aws:ecr:${AWS::Region}:${AWS::AccountId}:repository/${Unnamed}"
    uri = resolve("!GetAtt Unnamed.RepositoryUri", region="eu-west-1", account="111122223333")
    assert uri.data.symbolic == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/${Unnamed}"
    assert "names Unnamed at deployment" in uri.data.reason
