provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

# Every workload account gets its own copy of every image.
# expect: ECR501
resource "aws_ecr_replication_configuration" "fan_out" {
  replication_configuration {
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
