provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecr_replication_configuration" "to_recovery" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "222233334444"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}

# The recovery account's registry policy for us-west-2: not the destination registry (eu-west-1).
resource "aws_ecr_registry_policy" "recovery_us_west_2" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::333344445555:root" }
      Action    = ["ecr:ReplicateImage", "ecr:CreateRepository"]
      Resource  = "arn:aws:ecr:us-west-2:222233334444:repository/*"
    }]
  })
}
