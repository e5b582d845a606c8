# Config reports mutable repositories, but nothing stops anyone from creating one.
resource "aws_config_config_rule" "ecr_tag_immutability" {
  name = "ecr-private-tag-immutability-enabled"

  source {
    owner = "AWS"
    # expect: ECR701
    source_identifier = "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
  }
}
