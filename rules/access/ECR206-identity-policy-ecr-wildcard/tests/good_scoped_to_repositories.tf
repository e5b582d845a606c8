resource "aws_ecr_repository" "app" {
  name                 = "team-a/app"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_iam_policy" "push" {
  name = "team-a-push"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Login"
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Sid    = "PushTeamA"
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
        ]
        Resource = "arn:aws:ecr:eu-west-1:111122223333:repository/team-a/*"
      }
    ]
  })
}
