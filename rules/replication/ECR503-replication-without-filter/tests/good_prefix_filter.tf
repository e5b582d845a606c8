resource "aws_ecr_replication_configuration" "dr" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "999988887777"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
      repository_filter {
        filter      = "platform/"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
