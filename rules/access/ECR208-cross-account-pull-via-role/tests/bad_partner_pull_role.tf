resource "aws_iam_role" "partner_pull" {
  name = "partner-image-pull"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: ECR208
      {
        Sid       = "PartnerAssumes"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::222233334444:root" }
        Action    = "sts:AssumeRole"
        Condition = { StringEquals = { "sts:ExternalId" = "partner-123" } }
      }
    ]
  })
}

resource "aws_iam_role_policy" "partner_pull" {
  name = "pull"
  role = aws_iam_role.partner_pull.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "ecr:GetAuthorizationToken"
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]
        Resource = "arn:aws:ecr:eu-west-1:111122223333:repository/shared/*"
      }
    ]
  })
}
