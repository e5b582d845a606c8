"""ECR303: unit tests of the check (moved from tests/network/test_checks.py)."""

from __future__ import annotations

from tests.network.helpers import analyse, of_rule


def test_private_dns_branches_name_the_condition(tmp_path):
    template = """
    AWSTemplateFormatVersion: "2010-09-09"
    Parameters:
      Env: {Type: String}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Dkr:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: vpc-0123456789abcdef0
          ServiceName: !Sub "com.amazonaws.${AWS::Region}.ecr.dkr"
          VpcEndpointType: Interface
          PrivateDnsEnabled: !If [IsProd, true, !Ref "AWS::NoValue"]
    """
    findings, _, _ = analyse(tmp_path, {"stack.yaml": template})
    (finding,) = of_rule(findings, "ECR303")
    assert "when Env is not prod" in finding.message
