# The service principal comes from a variable with no value: it may be lambda.amazonaws.com, so the
# rule reports undecided (pinned in the snapshot), not a finding.
variable "puller_service" {
  type = string
}

resource "aws_ecr_repository_policy" "functions" {
  repository = "functions"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "ServicePull"
        Effect    = "Allow"
        Principal = { Service = var.puller_service }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }
    ]
  })
}
