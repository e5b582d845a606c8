resource "aws_config_config_rule" "ecr_tag_immutability" {
  name = "ecr-private-tag-immutability-enabled"

  source {
    owner = "AWS"
    source_identifier = "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
  }
}
