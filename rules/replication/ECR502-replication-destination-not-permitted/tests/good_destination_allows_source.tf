provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

provider "aws" {
  alias               = "recovery"
  region              = "eu-west-1"
  allowed_account_ids = ["222233334444"]
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

resource "aws_ecr_registry_policy" "recovery" {
  provider = aws.recovery
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationAccessCrossAccount"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = ["ecr:CreateRepository", "ecr:ReplicateImage"]
      Resource  = "arn:aws:ecr:eu-west-1:222233334444:repository/prod*"
    }]
  })
}
