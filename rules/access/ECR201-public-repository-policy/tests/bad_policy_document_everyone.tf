data "aws_iam_policy_document" "public" {
  # expect: ECR201
  statement {
    sid     = "PushAndPull"
    effect  = "Allow"
    actions = ["ecr:*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    # A network condition does not say who the caller is.
    condition {
      test     = "IpAddress"
      variable = "aws:SourceIp"
      values   = ["203.0.113.0/24"]
    }
  }
}

resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy     = data.aws_iam_policy_document.public.json
}
