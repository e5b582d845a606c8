# The whole policy is read from a file outside the analysed set: nothing in it can be decided, so
# the rule reports undecided (pinned in the snapshot) instead of skipping it.
variable "policy_json" {
  type = string
}

resource "aws_ecr_repository_policy" "functions" {
  repository = "functions"
  policy     = var.policy_json
}
