resource "aws_ecr_registry_policy" "this" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ReplicationAccessCrossAccount"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::444455556666:root" }
        Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
        Resource  = ["arn:aws:ecr:us-west-2:111122223333:repository/prod-*"]
      }
    ]
  })
}
