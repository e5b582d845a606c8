provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# Every workload account gets its own copy of every image.
# ECR503 points at the rule below, which has no repository_filter.
resource "aws_ecr_replication_configuration" "fan_out" {
  replication_configuration {
    # expect: ECR503
    rule {
      destination {
        region      = "us-east-1"
        registry_id = "222233334444"
      }
      destination {
        region      = "us-east-1"
        registry_id = "333344445555"
      }
      destination {
        region      = "us-east-1"
        registry_id = "444455556666"
      }
      destination {
        region      = "eu-west-1"
        registry_id = "555566667777"
      }
    }
  }
}
