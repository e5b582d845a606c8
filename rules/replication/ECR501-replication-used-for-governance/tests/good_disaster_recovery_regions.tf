provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# Copies for other Regions of the same account, and one backup account: not a fan-out.
resource "aws_ecr_replication_configuration" "dr" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "111122223333"
      }
      destination {
        region      = "eu-west-1"
        registry_id = "111122223333"
      }
      destination {
        region      = "us-west-2"
        registry_id = "999988887777"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
