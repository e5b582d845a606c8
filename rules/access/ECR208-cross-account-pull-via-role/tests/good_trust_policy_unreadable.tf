# A role whose permissions are ECR reads only, trusted by a policy read from a variable with no value:
# whether other accounts may assume it cannot be told, so the rule reports undecided (pinned in the
# snapshot), not a finding and not silence.
variable "trust_policy" {
  type = string
}

resource "aws_iam_role" "image_reader" {
  name               = "image-reader"
  assume_role_policy = var.trust_policy
  inline_policy {
    name = "pull"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource = "*" }]
    })
  }
}
