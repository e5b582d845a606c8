# terraform-aws-modules/lambda/aws with a container image.
module "worker" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "worker"
  package_type  = "Image"
  # expect: ECR601
  image_uri = "docker.io/library/python:3.12"
}
