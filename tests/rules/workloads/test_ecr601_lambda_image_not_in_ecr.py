"""ECR601: unit tests of the check (moved from tests/workloads/test_checks.py)."""

from __future__ import annotations

from tests.workloads.helpers import PROVIDER, run


def _function(image: str, package: str = '"Image"') -> str:
    return f"""
resource "aws_lambda_function" "f" {{
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/f"
  package_type  = {package}
  image_uri     = "{image}"
}}
"""


def test_lambda_fips_endpoint(tmp_path):
    config = PROVIDER + _function("111122223333.dkr.ecr-fips.eu-west-1.amazonaws.com/app:1")
    found, _ = run(tmp_path, {"main.tf": config}, "ECR601")
    assert len(found) == 1 and "FIPS" in found[0].message


def test_lambda_region_unknown_is_undecided(tmp_path):
    found, unsure = run(
        tmp_path, {"main.tf": _function("111122223333.dkr.ecr.us-east-1.amazonaws.com/app:1")}, "ECR601"
    )
    assert found == [] and len(unsure) == 1


def test_lambda_package_type_unknown(tmp_path):
    config = 'variable "kind" {}\n' + _function("nginx:1", "var.kind")
    found, unsure = run(tmp_path, {"main.tf": config}, "ECR601")
    assert found == [] and unsure and "package type" in unsure[0].reason


def test_lambda_branches_name_the_condition(tmp_path):
    template = """
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Mirror: {Type: String}
Conditions:
  UseMirror: !Equals [!Ref Mirror, "yes"]
Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      PackageType: Image
      Role: arn:aws:iam::111122223333:role/f
      Code:
        ImageUri: !If
          - UseMirror
          - !Sub "${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/app:1"
          - docker.io/acme/app:1
"""
    found, _ = run(tmp_path, {"t.cfn.yaml": template}, "ECR601")
    assert len(found) == 1 and "when Mirror is not yes" in found[0].message
