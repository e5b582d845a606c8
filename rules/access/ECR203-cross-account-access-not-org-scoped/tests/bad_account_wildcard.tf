data "aws_iam_policy_document" "pull" {
  # expect: ECR203
  statement {
    sid     = "AnyAccountPull"
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::*:root"]
    }
  }
}

resource "aws_ecr_repository_policy" "base" {
  repository = "base-images"
  policy     = data.aws_iam_policy_document.pull.json
}
