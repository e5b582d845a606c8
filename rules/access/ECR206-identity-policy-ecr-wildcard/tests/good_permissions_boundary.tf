# A managed policy used only as a permissions boundary: it caps what the role's own policies may
# grant, and grants nothing itself, so its ecr:* on "*" gives nobody any access.
resource "aws_iam_policy" "boundary" {
  name = "developer-boundary"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "EcrCeiling", Effect = "Allow", Action = "ecr:*", Resource = "*" },
      { Sid = "LogsCeiling", Effect = "Allow", Action = "logs:*", Resource = "*" }
    ]
  })
}

resource "aws_iam_role" "developer" {
  name                 = "developer"
  permissions_boundary = aws_iam_policy.boundary.arn
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "developer_pull" {
  role = aws_iam_role.developer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource = "arn:aws:ecr:eu-west-1:111122223333:repository/app" }]
  })
}
