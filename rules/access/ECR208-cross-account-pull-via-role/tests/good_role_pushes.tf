resource "aws_iam_role" "partner_ci" {
  name = "partner-ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::222233334444:role/ci" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "partner_ci" {
  name = "push"
  role = aws_iam_role.partner_ci.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:PutImage", "ecr:InitiateLayerUpload"]
      Resource = "*"
    }]
  })
}
