# The SCP prevents what the Config rule detects; only the platform role may create repositories.
resource "aws_organizations_policy" "ecr_tag_immutability" {
  name = "ecr-tag-immutability"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "DenyMutableTags"
      Effect   = "Deny"
      Action   = ["ecr:PutImageTagMutability", "ecr:CreateRepository"]
      Resource = "*"
      Condition = {
        ArnNotLike = { "aws:PrincipalArn" = "arn:aws:iam::*:role/platform-ecr-admin" }
      }
    }]
  })
}

resource "aws_config_config_rule" "ecr_tag_immutability" {
  name = "ecr-private-tag-immutability-enabled"
  source {
    owner             = "AWS"
    source_identifier = "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
  }
}
