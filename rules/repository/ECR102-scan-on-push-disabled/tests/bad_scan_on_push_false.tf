resource "aws_ecr_repository" "app" {
  name = "app"
  image_scanning_configuration {
    # expect: ECR102
    scan_on_push = false
  }
}
