resource "aws_codebuild_project" "images" {
  name         = "orders-images"
  service_role = "arn:aws:iam::111122223333:role/orders-build"

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/standard:7.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = true
  }

  source {
    type      = "NO_SOURCE"
    buildspec = <<-YAML
      version: 0.2
      phases:
        pre_build:
          commands:
            # expect: ECR605
            - eval $(aws --region eu-west-1 ecr get-login --no-include-email)
        build:
          commands:
            - docker build -t 111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders/api:$CODEBUILD_BUILD_NUMBER .
    YAML
  }
}
