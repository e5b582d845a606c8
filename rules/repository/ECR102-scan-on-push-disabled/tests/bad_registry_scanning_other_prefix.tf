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

# expect: ECR102
resource "aws_ecr_repository" "app" {
  name = "dev/app"
}
