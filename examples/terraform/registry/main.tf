# Registry-wide settings for the platform account.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "prod/*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_repository" "base_images" {
  name                 = "platform/base-images"
  image_tag_mutability = "MUTABLE"
  force_delete         = true
}
