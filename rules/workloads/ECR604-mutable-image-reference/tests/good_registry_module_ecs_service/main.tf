# Images pinned by digest.
module "ecs" {
  source  = "terraform-aws-modules/ecs/aws"
  version = "~> 5.0"

  services = {
    web = {
      container_definitions = {
        web = {
          image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
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
      image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
    }
  }
}
