# An IAM deny on the same setting also prevents it.
data "aws_iam_policy_document" "no_lifecycle_removal" {
  statement {
    effect    = "Deny"
    actions   = ["ecr:DeleteLifecyclePolicy"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "no_lifecycle_removal" {
  name   = "no-ecr-lifecycle-removal"
  policy = data.aws_iam_policy_document.no_lifecycle_removal.json
}

resource "aws_config_config_rule" "ecr_lifecycle" {
  name = "ecr-private-lifecycle-policy-configured"
  source {
    owner             = "AWS"
    source_identifier = "ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED"
  }
}
