provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

provider "aws" {
  alias  = "recovery"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::222233334444:role/terraform"
  }
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
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}

# The recovery registry lets an old build account replicate, not the source account 111122223333.
resource "aws_ecr_registry_policy" "recovery" {
  provider = aws.recovery
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationFromBuildAccount"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::333344445555:root" }
      Action    = ["ecr:ReplicateImage", "ecr:CreateRepository"]
      Resource  = "arn:aws:ecr:eu-west-1:222233334444:repository/*"
    }]
  })
}
