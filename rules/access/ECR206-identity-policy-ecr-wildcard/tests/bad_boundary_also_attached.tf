# The same policy is a permissions boundary and also attached: attached, its ecr:* on "*" grants.
resource "aws_iam_policy" "boundary" {
  name = "developer-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: ECR206
      { Sid = "EcrCeiling", Effect = "Allow", Action = "ecr:*", Resource = "*" }
    ]
  })
}

resource "aws_iam_role" "developer" {
  name                 = "developer"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy   = "{}"
}

resource "aws_iam_role_policy_attachment" "developer" {
  role       = aws_iam_role.developer.name
  policy_arn = aws_iam_policy.boundary.arn
}
