data "aws_caller_identity" "current" {}

resource "aws_ecr_registry_policy" "this" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: ECR207
      {
        Sid       = "ReplicationAccessCrossAccount"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["ecr:ReplicateImage"]
        Resource  = ["arn:aws:ecr:us-west-2:${data.aws_caller_identity.current.account_id}:repository/*"]
      }
    ]
  })
}
