# The SCP protects lifecycle policies, not tag immutability or scanning.
resource "aws_organizations_policy" "ecr_guardrails" {
  name = "ecr-guardrails"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "KeepLifecyclePolicies"
      Effect   = "Deny"
      Action   = ["ecr:DeleteLifecyclePolicy"]
      Resource = "*"
    }]
  })
}

resource "aws_config_config_rule" "ecr_lifecycle" {
  name = "ecr-private-lifecycle-policy-configured"
  source {
    owner             = "AWS"
    source_identifier = "ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED"
  }
}

resource "aws_config_config_rule" "ecr_scanning" {
  name = "ecr-private-image-scanning-enabled"
  source {
    owner = "AWS"
    # expect: ECR701
    source_identifier = "ECR_PRIVATE_IMAGE_SCANNING_ENABLED"
  }
}
