"""CloudFormation templates into model objects."""

from __future__ import annotations

import json

from ecrlint.model.objects import (
    CodeBuildProject,
    ConfigRule,
    EcsTaskDefinition,
    EksNodeGroup,
    IamPolicy,
    IamRole,
    LambdaFunction,
    OrganizationsPolicy,
    PublicRepository,
    PullThroughCacheRule,
    RegistryPolicy,
    RegistryScanningConfiguration,
    ReplicationConfiguration,
    Repository,
    RepositoryCreationTemplate,
    RouteTable,
    Vpc,
    VpcEndpoint,
)
from ecrlint.values import Branches, Provenance, Unknown

from .helpers import by_address, run, span_text

ALL_TYPES = """\
AWSTemplateFormatVersion: "2010-09-09"
Metadata:
  ecrlint:
    ignore: [{id: ECR107, reason: lifecycle managed elsewhere}]
Parameters:
  Stage:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  Never: !Equals [a, b]
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Metadata:
      aws:cdk:path: Stack/Repo/Resource
      ecrlint:
        ignore: [{id: ECR101, reason: test}]
    Properties:
      RepositoryName: app
      ImageTagMutability: IMMUTABLE_WITH_EXCLUSION
      ImageTagMutabilityExclusionFilters:
        - ImageTagMutabilityExclusionFilterType: WILDCARD
          ImageTagMutabilityExclusionFilterValue: latest
      ImageScanningConfiguration:
        ScanOnPush: "true"
      EncryptionConfiguration:
        EncryptionType: KMS
        KmsKey: !GetAtt Key.Arn
      EmptyOnDelete: !If [IsProd, !Ref AWS::NoValue, true]
      Tags:
        - Key: team
          Value: platform
      RepositoryPolicyText:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: ecr:BatchGetImage
      LifecyclePolicy:
        LifecyclePolicyText: |
          {"rules": [{"rulePriority": 1,
                      "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 5},
                      "action": {"type": "expire"}}]}
  Key:
    Type: AWS::KMS::Key
  Skipped:
    Type: AWS::ECR::Repository
    Condition: Never
  Template:
    Type: AWS::ECR::RepositoryCreationTemplate
    Properties:
      Prefix: prod
      AppliedFor: [REPLICATION, PULL_THROUGH_CACHE]
      ImageTagMutability: MUTABLE
      EncryptionConfiguration: {EncryptionType: AES256}
      LifecyclePolicy: '{"rules": []}'
      RepositoryPolicy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]}'
  RegistryPolicy:
    Type: AWS::ECR::RegistryPolicy
    Properties:
      PolicyText:
        Statement:
          - Effect: Allow
            Principal: {AWS: arn:aws:iam::222233334444:root}
            Action: [ecr:ReplicateImage, ecr:CreateRepository]
            Resource: "*"
  Replication:
    Type: AWS::ECR::ReplicationConfiguration
    Properties:
      ReplicationConfiguration:
        Rules:
          - Destinations:
              - {Region: us-west-2, RegistryId: "222233334444"}
            RepositoryFilters:
              - {Filter: prod, FilterType: PREFIX_MATCH}
  Scanning:
    Type: AWS::ECR::RegistryScanningConfiguration
    Properties:
      ScanType: ENHANCED
      Rules:
        - ScanFrequency: CONTINUOUS_SCAN
          RepositoryFilters: [{Filter: "*", FilterType: WILDCARD}]
  Cache:
    Type: AWS::ECR::PullThroughCacheRule
    Properties:
      EcrRepositoryPrefix: docker-hub
      UpstreamRegistryUrl: registry-1.docker.io
      UpstreamRegistry: docker-hub
      CredentialArn: arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/hub
  Public:
    Type: AWS::ECR::PublicRepository
    Properties:
      RepositoryName: tools
      RepositoryCatalogData:
        RepositoryDescription: internal tools
        AboutText: about
        UsageText: usage
      RepositoryPolicyText:
        Statement: [{Effect: Allow, Principal: "*", Action: "ecr-public:*"}]
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  RouteTable:
    Type: AWS::EC2::RouteTable
    Properties: {VpcId: !Ref Vpc}
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub "com.amazonaws.${AWS::Region}.s3"
      VpcEndpointType: Gateway
      RouteTableIds: [!Ref RouteTable]
  DkrEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Join ["", ["com.amazonaws.", !Ref "AWS::Region", ".ecr.dkr"]]
      VpcEndpointType: Interface
      PrivateDnsEnabled: "false"
      SubnetIds: [subnet-1]
  Function:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: fn
      PackageType: Image
      Role: !GetAtt Role.Arn
      Code: {ImageUri: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0}
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: web
      ExecutionRoleArn: !GetAtt Role.Arn
      TaskRoleArn: arn:aws:iam::111122223333:role/task
      RequiresCompatibilities: [FARGATE]
      ContainerDefinitions:
        - Name: web
          Image: nginx:latest
          RepositoryCredentials: {CredentialsParameter: arn:aws:secretsmanager:eu-west-1:111122223333:secret:x}
          Environment: [{Name: A, Value: b}]
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties: {ClusterName: c, NodeRole: !GetAtt Role.Arn, Subnets: [s]}
  Build:
    Type: AWS::CodeBuild::Project
    Properties:
      Name: build
      ServiceRole: !Ref Role
      TimeoutInMinutes: 60
      Environment: {Image: aws/codebuild/standard:7.0, Type: LINUX_CONTAINER, ComputeType: BUILD_GENERAL1_SMALL}
      Source: {Type: CODEPIPELINE, BuildSpec: "version: 0.2"}
      Artifacts: {Type: CODEPIPELINE}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: worker
      AssumeRolePolicyDocument:
        Statement: [{Effect: Allow, Principal: {Service: ecs-tasks.amazonaws.com}, Action: sts:AssumeRole}]
      ManagedPolicyArns: [arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]
      Policies:
        - PolicyName: pull
          PolicyDocument:
            Statement: [{Effect: Allow, Action: "ecr:*", Resource: "*"}]
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: push
      Roles: [!Ref Role]
      PolicyDocument: {Statement: [{Effect: Allow, Action: ecr:PutImage, Resource: "*"}]}
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: readers
      PolicyDocument: '{"Statement": [{"Effect": "Allow", "Action": "ecr:BatchGetImage", "Resource": "*"}]}'
  Config:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: ecr-immutable
      Source: {Owner: AWS, SourceIdentifier: ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED}
      Scope: {ComplianceResourceTypes: ["AWS::ECR::Repository"]}
  Scp:
    Type: AWS::Organizations::Policy
    Properties:
      Name: deny-mutable
      Type: SERVICE_CONTROL_POLICY
      Content:
        Statement: [{Effect: Deny, Action: ecr:PutImageTagMutability, Resource: "*"}]
"""


def test_every_resource_type(tmp_path):
    result = run(tmp_path, {"all.cfn.yaml": ALL_TYPES})
    assert not result.diagnostics
    objects = by_address(result)
    kinds = {address: type(obj) for address, obj in objects.items()}
    assert kinds == {
        "Resources.Repo": Repository,
        "Resources.Template": RepositoryCreationTemplate,
        "Resources.RegistryPolicy": RegistryPolicy,
        "Resources.Replication": ReplicationConfiguration,
        "Resources.Scanning": RegistryScanningConfiguration,
        "Resources.Cache": PullThroughCacheRule,
        "Resources.Public": PublicRepository,
        "Resources.Vpc": Vpc,
        "Resources.RouteTable": RouteTable,
        "Resources.S3Endpoint": VpcEndpoint,
        "Resources.DkrEndpoint": VpcEndpoint,
        "Resources.Function": LambdaFunction,
        "Resources.Task": EcsTaskDefinition,
        "Resources.Nodes": EksNodeGroup,
        "Resources.Build": CodeBuildProject,
        "Resources.Role": IamRole,
        "Resources.Policy": IamPolicy,
        "Resources.Managed": IamPolicy,
        "Resources.Config": ConfigRule,
        "Resources.Scp": OrganizationsPolicy,
    }
    for obj in objects.values():
        assert obj.source_format == "cloudformation"
        assert obj.span.path == "all.cfn.yaml"


def test_repository_fields(tmp_path):
    result = run(tmp_path, {"all.cfn.yaml": ALL_TYPES})
    repo = by_address(result)["Resources.Repo"]
    assert repo.resource_type == "AWS::ECR::Repository"
    assert repo.construct_path == "Stack/Repo/Resource"
    assert repo.name.data == "app"
    assert repo.image_tag_mutability.data == "IMMUTABLE_WITH_EXCLUSION"
    assert repo.image_tag_mutability_exclusion_filters.plain() == ["latest"]
    assert repo.scan_on_push.data is True  # "true" text read as a boolean
    assert repo.encryption_type.data == "KMS"
    assert isinstance(repo.kms_key.data, Unknown) and repo.kms_key.ref == "Resources.Key"
    assert repo.tags.plain() == {"team": "platform"}
    assert repo.inline_policy.statements[0].principal == {"*": [repo.inline_policy.statements[0].principal["*"][0]]}
    assert repo.inline_lifecycle_policy.plain()["rules"][0]["rulePriority"] == 1
    # the lifecycle JSON in a literal block keeps exact positions
    priority = repo.inline_lifecycle_policy.data["rules"].data[0].data["rulePriority"]
    assert span_text(ALL_TYPES, priority.span) == "1"
    assert priority.span.start_line == 41
    # EmptyOnDelete is removed in one branch: that branch takes the AWS default
    options = repo.force_delete.data
    assert isinstance(options, Branches)
    assert [(o.condition, o.value.data, o.value.provenance) for o in options.options] == [
        ("Stage is prod", False, Provenance.DEFAULT),
        ("Stage is not prod", True, Provenance.EXPLICIT),
    ]
    # the resource span runs from the logical id to the end of its definition
    assert repo.span.start_line == 12 and repo.span.start_col == 3
    assert repo.extra["metadata"].plain()["ecrlint"]["ignore"][0]["id"] == "ECR101"
    assert result.file_facts["all.cfn.yaml"]["metadata"].plain()["ecrlint"]["ignore"][0]["id"] == "ECR107"
    assert "Resources.Skipped" not in by_address(result)  # condition Never is false


def test_other_types_fields(tmp_path):
    o = by_address(run(tmp_path, {"all.cfn.yaml": ALL_TYPES}))
    template = o["Resources.Template"]
    assert template.prefix.data == "prod" and template.applied_for.plain() == ["REPLICATION", "PULL_THROUGH_CACHE"]
    assert template.lifecycle_policy.plain() == {"rules": []}
    assert template.repository_policy.statements[0].action[0].data == "ecr:*"
    assert o["Resources.RegistryPolicy"].document.statements[0].principal["AWS"][0].data.endswith(":root")
    assert o["Resources.Replication"].rules.plain() == [
        {
            "destinations": [{"region": "us-west-2", "registry_id": "222233334444"}],
            "repository_filters": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}],
        }
    ]
    scanning = o["Resources.Scanning"]
    assert scanning.scan_type.data == "ENHANCED"
    assert scanning.rules.plain() == [
        {"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": [{"filter": "*", "filter_type": "WILDCARD"}]}
    ]
    cache = o["Resources.Cache"]
    assert cache.ecr_repository_prefix.data == "docker-hub" and cache.extra["upstream_registry"].data == "docker-hub"
    public = o["Resources.Public"]
    assert (public.name.data, public.description.data, public.about_text.data) == ("tools", "internal tools", "about")
    assert public.inline_policy.statements[0].action[0].data == "ecr-public:*"
    assert o["Resources.RouteTable"].vpc.ref == "Resources.Vpc"
    s3 = o["Resources.S3Endpoint"]
    assert s3.service_name.data.symbolic == "com.amazonaws.${AWS::Region}.s3"
    assert s3.route_table_ids.data[0].ref == "Resources.RouteTable"
    dkr = o["Resources.DkrEndpoint"]
    assert dkr.private_dns_enabled.data is False and dkr.vpc_endpoint_type.data == "Interface"
    fn = o["Resources.Function"]
    assert (fn.package_type.data, fn.image_uri.data) == (
        "Image",
        "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0",
    )
    assert fn.role.ref == "Resources.Role"
    task = o["Resources.Task"]
    container = task.container_definitions.plain()[0]
    assert container["name"] == "web" and container["image"] == "nginx:latest"
    assert container["repositoryCredentials"] == {
        "credentialsParameter": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x"
    }
    assert container["environment"] == [{"name": "A", "value": "b"}]
    assert task.execution_role.ref == "Resources.Role" and task.requires_compatibilities.plain() == ["FARGATE"]
    assert o["Resources.Nodes"].node_role.ref == "Resources.Role"
    build = o["Resources.Build"]
    assert build.service_role.data == "worker"  # Ref of a role is its name
    assert (build.image.data, build.timeout_minutes.data, build.buildspec.data) == (
        "aws/codebuild/standard:7.0",
        60,
        "version: 0.2",
    )
    role = o["Resources.Role"]
    assert role.name.data == "worker"
    assert role.assume_role_policy.statements[0].principal["Service"][0].data == "ecs-tasks.amazonaws.com"
    assert role.inline_policies[0].statements[0].action[0].data == "ecr:*"
    assert role.managed_policy_arns.plain()[0].endswith("AmazonECSTaskExecutionRolePolicy")
    policy = o["Resources.Policy"]
    assert policy.name.data == "push" and policy.attached_to.plain() == ["worker"]
    assert policy.attached_to.data[0].ref == "Resources.Role"
    assert o["Resources.Managed"].document.statements[0].action[0].data == "ecr:BatchGetImage"
    config = o["Resources.Config"]
    assert config.source_identifier.data == "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
    assert config.resource_types.plain() == ["AWS::ECR::Repository"]
    scp = o["Resources.Scp"]
    assert scp.policy_type.data == "SERVICE_CONTROL_POLICY" and scp.document.statements[0].effect.data == "Deny"


def test_json_template_spans_and_account_option(tmp_path):
    template = {
        "Resources": {
            "Repo": {
                "Type": "AWS::ECR::Repository",
                "Properties": {
                    "RepositoryName": {"Fn::Sub": "${AWS::AccountId}-images"},
                    "LifecyclePolicy": {"LifecyclePolicyText": json.dumps({"rules": []})},
                },
            }
        }
    }
    text = json.dumps(template, indent=2)
    result = run(tmp_path, {"t.template": text}, account_id="111122223333")
    repo = by_address(result)["Resources.Repo"]
    assert span_text(text, repo.span).startswith('"Repo": {')
    assert repo.name.data == "111122223333-images"
    assert repo.account_id.data == "111122223333" and repo.account_id.span == repo.span
    assert repo.inline_lifecycle_policy.plain() == {"rules": []}
    assert repo.inline_lifecycle_policy.span.start_line == 10


def test_lifecycle_text_that_is_not_json_stays_text(tmp_path):
    text = "Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties:\n      LifecyclePolicy:\n        LifecyclePolicyText: 'not {json'\n"
    repo = by_address(run(tmp_path, {"t.yaml": text}))["Resources.R"]
    assert repo.inline_lifecycle_policy.data == "not {json"


def test_sam_function_with_globals(tmp_path):
    text = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    PackageType: Image
    Timeout: 30
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      ImageUri: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/fn:latest
"""
    fn = by_address(run(tmp_path, {"template.yaml": text}))["Resources.Fn"]
    assert isinstance(fn, LambdaFunction)
    assert fn.package_type.data == "Image"
    assert fn.image_uri.data.endswith("/fn:latest")


def test_nested_stack_followed_with_parameters(tmp_path):
    parent = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Images:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./nested/images.yaml
      Parameters:
        Mutability: MUTABLE
  Remote:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://s3.amazonaws.com/bucket/remote.yaml
"""
    child = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Mutability:
    Type: String
    Default: IMMUTABLE
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !Ref Mutability
"""
    result = run(tmp_path, {"parent.yaml": parent, "nested/images.yaml": child})
    repos = by_address(result, Repository)
    assert list(repos) == ["Images/Resources.Repo"]  # read once, through the parent
    repo = repos["Images/Resources.Repo"]
    assert repo.image_tag_mutability.data == "MUTABLE"
    assert repo.image_tag_mutability.trace == ("parameter Mutability as passed to the stack",)
    assert repo.span.path == "nested/images.yaml"


def test_nested_stack_outside_roots_is_not_read(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("Resources:\n  R:\n    Type: AWS::ECR::Repository\n")
    parent = (
        "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ../outside.yaml\n"
    )
    result = run(tmp_path / "root", {"parent.yaml": parent})
    assert not result.objects and not result.diagnostics


def test_cdk_bootstrap_repository_is_marked(tmp_path):
    text = """\
Parameters:
  Qualifier: {Type: String, Default: hnb659fds}
Resources:
  ContainerAssetsRepository:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub cdk-${Qualifier}-container-assets-${AWS::AccountId}-${AWS::Region}
  AppRepo:
    Type: AWS::ECR::Repository
"""
    repos = by_address(run(tmp_path, {"bootstrap.yaml": text}))
    assert repos["Resources.ContainerAssetsRepository"].is_cdk_bootstrap
    assert not repos["Resources.AppRepo"].is_cdk_bootstrap


def test_resources_not_a_mapping_is_reported(tmp_path):
    result = run(tmp_path, {"t.yaml": 'AWSTemplateFormatVersion: "2010-09-09"\nResources: [a]\n'})
    assert [d.message for d in result.diagnostics] == ["CloudFormation template: Resources is not a mapping"]
    assert result.diagnostics[0].span.start_line == 2


SCENARIOS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, staging, prod]
    Default: prod
  Owner:
    Type: String
    Default: platform
  Tier:
    Type: String
    Default: gold
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
  IsGold: !Equals [gold, !Ref Tier]
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub "${Environment}/app"
      ImageTagMutability: !If [IsProd, IMMUTABLE, MUTABLE]
      EmptyOnDelete: !If [IsGold, !Ref AWS::NoValue, true]
      Tags: [{Key: owner, Value: !Ref Owner}]
  ProdOnly:
    Type: AWS::ECR::Repository
    Condition: IsProd
    Properties:
      RepositoryName: prod-only
      ImageTagMutability: !If [IsProd, IMMUTABLE, MUTABLE]
"""


def test_parameters_are_explored_over_the_values_they_can_take(tmp_path):
    result = run(tmp_path, {"t.yaml": SCENARIOS})
    repo = by_address(result)["Resources.Repo"]
    options = repo.image_tag_mutability.data
    assert [(o.condition, o.value.data) for o in options.options] == [
        ("Environment is dev or staging", "MUTABLE"),
        ("Environment is prod", "IMMUTABLE"),
    ]
    assert span_text(SCENARIOS, repo.image_tag_mutability.span) == "!If [IsProd, IMMUTABLE, MUTABLE]"
    assert [(o.condition, o.value.data) for o in repo.name.data.options] == [
        ("Environment is dev", "dev/app"),
        ("Environment is staging", "staging/app"),
        ("Environment is prod", "prod/app"),
    ]
    # without AllowedValues: the default and anything else (the removed branch takes the AWS default)
    assert [(o.condition, o.value.data, o.value.provenance) for o in repo.force_delete.data.options] == [
        ("Tier is gold", False, Provenance.DEFAULT),
        ("Tier is not gold", True, Provenance.EXPLICIT),
    ]
    # a parameter no condition compares keeps its default
    assert repo.tags.plain() == {"owner": "platform"}
    # a resource that exists only in some deployments is read in those only
    prod_only = by_address(result)["Resources.ProdOnly"]
    assert prod_only.image_tag_mutability.data == "IMMUTABLE"


def test_resource_whose_condition_no_deployment_satisfies_is_left_out(tmp_path):
    template = SCENARIOS.replace("Condition: IsProd", "Condition: Never").replace(
        "Conditions:\n", "Conditions:\n  Never: !And [!Condition IsProd, !Equals [!Ref Environment, dev]]\n"
    )
    assert "Resources.ProdOnly" not in by_address(run(tmp_path, {"t.yaml": template}))


def test_any_other_value_is_unknown_where_it_is_used(tmp_path):
    template = """\
Parameters:
  Suffix: {Type: String}
Conditions:
  IsBeta: !Equals [!Ref Suffix, beta]
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      RepositoryName: !Sub "app-${Suffix}"
      ImageTagMutability: !If [IsBeta, MUTABLE, IMMUTABLE]
"""
    repo = by_address(run(tmp_path, {"t.yaml": template}))["Resources.Repo"]
    beta, other = repo.name.data.options
    assert (beta.condition, beta.value.data) == ("Suffix is beta", "app-beta")
    assert other.condition == "Suffix is not beta"
    assert isinstance(other.value.data, Unknown) and other.value.data.symbolic == "app-${Suffix}"
    assert "other than beta" in other.value.data.reason


def test_too_many_combinations_leave_conditions_undecided(tmp_path):
    names = [f"P{i}" for i in range(7)]  # 2**7 = 128 combinations > 64
    parameters = "".join(f"  {n}: {{Type: String, AllowedValues: [a, b]}}\n" for n in names)
    conditions = "".join(f"  C{n}: !Equals [!Ref {n}, a]\n" for n in names)
    all_of = ", ".join(f"!Condition C{n}" for n in names[:-1])
    template = f"""\
Parameters:
{parameters}Conditions:
{conditions}  All: !And [{all_of}]
  Last: !And [!Condition All, !Condition C{names[-1]}]
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageTagMutability: !If [Last, MUTABLE, IMMUTABLE]
"""
    repo = by_address(run(tmp_path, {"t.yaml": template}))["Resources.Repo"]
    assert [o.condition for o in repo.image_tag_mutability.data.options] == [
        "condition Last is true",
        "condition Last is false",
    ]


def _run_with_parameters(tmp_path, files, parameters):
    import os

    from ecrlint.model.adapters import AdapterContext
    from ecrlint.model.adapters.structured import build
    from ecrlint.options import Options

    from .helpers import source_files, write

    root = write(tmp_path, files)
    ctx = AdapterContext(options=Options(cfn_parameters=tuple(parameters.items())), roots=[os.path.realpath(root)])
    return build(source_files(root), ctx)


def test_parameters_file_and_samconfig_pin_values(tmp_path):
    samconfig = '[default.deploy.parameters]\nparameter_overrides = "Environment=staging Tier=\\"silver plus\\""\n'
    files = {"app/template.yaml": SCENARIOS, "app/samconfig.toml": samconfig, "other/t.yaml": SCENARIOS}
    result = _run_with_parameters(tmp_path, files, {"Environment": "dev"})
    objects = by_address(result)
    # the command line wins over samconfig.toml; samconfig.toml pins only the template beside it
    pinned = [o for o in result.objects if o.address == "Resources.Repo" and o.span.path == "app/template.yaml"][0]
    assert pinned.image_tag_mutability.data == "MUTABLE"
    assert pinned.name.data == "dev/app" and "parameter Environment as passed to the stack" in pinned.name.trace
    assert pinned.force_delete.data is True  # Tier "silver plus" from samconfig.toml
    other = [o for o in result.objects if o.address == "Resources.Repo" and o.span.path == "other/t.yaml"][0]
    assert isinstance(other.force_delete.data, Branches)
    assert "Resources.ProdOnly" not in objects  # Environment is dev in both templates
    assert not result.diagnostics


def test_unreadable_samconfig_is_reported(tmp_path):
    result = _run_with_parameters(tmp_path, {"template.yaml": SCENARIOS, "samconfig.toml": "[default\n"}, {})
    (diagnostic,) = result.diagnostics
    assert diagnostic.span.path == "samconfig.toml" and "samconfig.toml" in diagnostic.message


def test_parameters_file_formats():
    import pytest

    from ecrlint.model.adapters.cfn_parameters import ParametersError, parse_parameters

    cli = '[{"ParameterKey": "Env", "ParameterValue": "prod"}, {"ParameterKey": "Old", "UsePreviousValue": true}]'
    assert parse_parameters(cli, "p.json") == {"Env": "prod"}
    assert parse_parameters('{"Parameters": {"Env": "dev", "Port": 80}}', "p.json") == {"Env": "dev", "Port": "80"}
    for bad in ("{", '{"Env": "x"}', '[{"ParameterValue": "x"}]', '[{"ParameterKey": "A"}]'):
        with pytest.raises(ParametersError, match="p.json"):
            parse_parameters(bad, "p.json")


def test_arns_of_the_stack_account_leave_identity_policies_decided(tmp_path):
    from ..pipeline import run_pipeline

    template = """\
Resources:
  Repo:
    Type: AWS::ECR::Repository
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: ecr:PutImage
            Resource:
              - !Sub arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*
              - !GetAtt Repo.Arn
"""
    path = tmp_path / "t.yaml"
    path.write_text(template)
    findings, undecided, _ = run_pipeline(str(path), cwd=str(tmp_path), select=["ECR206"])
    assert not findings and not undecided
    # other placeholders still stand for any account and Region: every repository, perhaps
    path.write_text(
        template.replace("${AWS::Region}:${AWS::AccountId}", "${Where}:${Partner}").replace("Resources:", PARTNER)
    )
    findings, undecided, _ = run_pipeline(str(path), cwd=str(tmp_path), select=["ECR206"])
    assert not findings and [u.reason for _, u in undecided] == [
        "statement #1 allows ECR write actions; its resources or conditions are undecided"
    ]


PARTNER = "Parameters:\n  Partner: {Type: String}\n  Where: {Type: String}\nResources:"


def test_parameters_option_on_the_command_line(tmp_path, capsys):
    from ecrlint.cli import main

    template = tmp_path / "t.yaml"
    template.write_text(SCENARIOS)
    prod = tmp_path / "prod.json"
    prod.write_text('[{"ParameterKey": "Environment", "ParameterValue": "prod"}]')
    common = ["check", str(template), "--select", "ECR101", "--no-cache", "--format", "json"]
    assert main([*common, "--parameters", str(prod)]) == 0
    assert main(common) == 1
    assert "when Environment is dev or staging" in capsys.readouterr().out
    prod.write_text('{"Environment": "prod"}')
    assert main([*common, "--parameters", str(prod)]) == 2
    assert "prod.json" in capsys.readouterr().err


def test_parameter_that_selects_a_mapping_entry_is_explored_over_its_keys(tmp_path):
    template = """\
Parameters:
  Size: {Type: String, Default: small}
  Tier: {Type: String, Default: gold}
Mappings:
  BySize: {small: {Scan: "true"}, large: {Scan: "false"}}
  ByRegion: {eu-west-1: {gold: IMMUTABLE, bronze: MUTABLE}, us-east-1: {silver: MUTABLE}}
Resources:
  Repo:
    Type: AWS::ECR::Repository
    Properties:
      ImageScanningConfiguration:
        ScanOnPush: !FindInMap [BySize, !Ref Size, Scan, {DefaultValue: "true"}]
      ImageTagMutability: !FindInMap [ByRegion, eu-west-1, !Ref Tier]
      RepositoryName: !FindInMap [ByRegion, !Ref "AWS::Region", !Ref Tier]
"""
    repo = by_address(run(tmp_path, {"t.yaml": template}))["Resources.Repo"]
    # a DefaultValue lets any other value deploy too
    scan = {o.condition: o.value.data for o in repo.scan_on_push.data.options}
    assert scan == {"Size is not large": True, "Size is large": False}
    # only the mapping's keys deploy (no "any other value"); silver is a key under us-east-1 only
    gold, bronze, silver = repo.image_tag_mutability.data.options
    assert [(o.condition, o.value.data) for o in (gold, bronze)] == [
        ("Tier is gold", "IMMUTABLE"),
        ("Tier is bronze", "MUTABLE"),
    ]
    assert (
        silver.condition == "Tier is silver" and "does not exist: ByRegion/eu-west-1/silver" in silver.value.data.reason
    )
    # under an undecided first key, the lookup stays undecided whatever Tier is
    assert "Fn::FindInMap key is undecided" in repo.name.data.reason
