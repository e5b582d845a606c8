# terraform-aws-modules/ecs/aws services: container images by tag.
module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 5.0"

  services = {
    web = {
      container_definitions = {
        web = {
          # expect: ECR604
          image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web:latest"
        }
      }
    }
  }
}

module "api" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.11.0"

  name = "api"
  container_definitions = {
    api = {
      # expect: ECR604
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:latest"
    }
  }
}
