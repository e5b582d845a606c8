variable "ci_account_id" {
  default = "222233334444"
}

resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}

data "aws_iam_policy_document" "ci_push" {
  # expect: ECR202
  statement {
    sid    = "CiPush"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:PutImage",
    ]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.ci_account_id}:role/ci-deployer"]
    }
  }
}

resource "aws_ecr_repository_policy" "app" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.ci_push.json
}
