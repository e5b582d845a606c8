resource "aws_ecr_repository" "app" {
  name = "app"
  # expect: ECR101
  image_tag_mutability = "MUTABLE_WITH_EXCLUSION"
  image_tag_mutability_exclusion_filter {
    filter      = "release-*"
    filter_type = "WILDCARD"
  }
}
