# The same Config rule in two roots of an account whose id is not written: one registry as far as the
# analysis can tell, so one finding, at the first of them, naming both.
resource "aws_config_config_rule" "ecr_tag_immutability" {
  name = "ecr-private-tag-immutability-enabled"

  source {
    owner = "AWS"
    # expect: ECR701
    source_identifier = "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED"
  }
}
