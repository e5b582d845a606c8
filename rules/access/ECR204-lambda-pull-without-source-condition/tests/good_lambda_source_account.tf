variable "function_account" {
  default = "123456789012"
}

data "aws_iam_policy_document" "lambda_pull" {
  statement {
    sid     = "LambdaPull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [var.function_account]
    }
  }
}

resource "aws_ecr_repository_policy" "functions" {
  repository = "functions"
  policy     = data.aws_iam_policy_document.lambda_pull.json
}
