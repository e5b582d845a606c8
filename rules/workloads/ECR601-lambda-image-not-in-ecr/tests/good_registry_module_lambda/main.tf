# An image from a private repository in the function's Region.
provider "aws" {
  region = "eu-west-1"
}

module "worker" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "~> 7.0"

  function_name = "worker"
  package_type  = "Image"
  image_uri     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/worker:1.4.2"
}
