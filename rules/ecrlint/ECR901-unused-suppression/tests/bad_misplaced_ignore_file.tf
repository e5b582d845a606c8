resource "aws_ecr_repository" "app" {
  name = "app"
}

# expect: ECR901
# ecrlint:ignore-file ECR101 -- too late: file-wide ignores belong at the top
