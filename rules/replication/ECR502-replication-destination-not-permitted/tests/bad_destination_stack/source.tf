provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecr_replication_configuration" "to_recovery" {
  replication_configuration {
    rule {
      # expect: ECR502
      destination {
        region      = "eu-west-1"
        registry_id = "222233334444"
      }
      repository_filter {
        filter      = "payments/"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
