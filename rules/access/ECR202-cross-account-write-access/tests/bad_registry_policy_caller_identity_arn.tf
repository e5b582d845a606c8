# The Resource ARN is built from the deploying account and Region: the policy stays readable, and
# the grant of every ECR action to two other accounts is found.
data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

resource "aws_ecr_registry_policy" "this" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      # expect: ECR202
      {
        Sid       = "Partners"
        Effect    = "Allow"
        Principal = { AWS = ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] }
        Action    = ["ecr:*"]
        Resource  = ["arn:${data.aws_partition.current.partition}:ecr:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:repository/*"]
      }
    ]
  })
}
