# Two named partner accounts and a third principal from a variable with no value: the threshold may
# or may not be reached, so the rule reports undecided (pinned in the snapshot), not a finding.
variable "third_partner" {
  type = string
}

resource "aws_ecr_repository_policy" "app" {
  repository = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Partners"
        Effect    = "Allow"
        Principal = { AWS = ["111111111111", "222222222222", var.third_partner] }
        Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }
    ]
  })
}
