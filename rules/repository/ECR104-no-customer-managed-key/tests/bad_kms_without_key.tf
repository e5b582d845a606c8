resource "aws_ecr_repository" "app" {
  name = "app"
  encryption_configuration {
    # expect: ECR104
    encryption_type = "KMS"
  }
}
