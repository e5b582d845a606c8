provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_iam_role" "build" {
  name = "orders-build"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  inline_policy {
    name = "push"
    policy = jsonencode({
      Version = "2012-10-17"
      Statement = [
        { Effect = "Allow", Action = "ecr:GetAuthorizationToken", Resource = "*" },
        {
          Effect = "Allow"
          Action = [
            "ecr:BatchCheckLayerAvailability",
            "ecr:InitiateLayerUpload",
            "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload",
            "ecr:PutImage",
          ]
          Resource = "arn:aws:ecr:eu-west-1:111122223333:repository/orders/*"
        }
      ]
    })
  }
}

resource "aws_codebuild_project" "images" {
  name         = "orders-images"
  service_role = aws_iam_role.build.arn

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
      env:
        variables:
          REPOSITORY_URI: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders/api
      phases:
        build:
          commands:
            - aws ecr get-login-password | docker login --username AWS --password-stdin $REPOSITORY_URI
            - docker build -t $REPOSITORY_URI:$CODEBUILD_BUILD_NUMBER .
            - docker push $REPOSITORY_URI:$CODEBUILD_BUILD_NUMBER
    YAML
  }
}
