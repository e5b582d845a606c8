# Workloads and pipelines that use ECR images, and the registry replication behind them.
# Each of ECR501-ECR504 and ECR601-ECR606 fires once on this folder (with buildspec.yml and Dockerfile).

provider "aws" {
  region              = "us-east-1"
  allowed_account_ids = ["111122223333"]
}

provider "aws" {
  alias  = "recovery"
  region = "eu-west-1"
  assume_role {
    role_arn = "arn:aws:iam::222233334444:role/terraform"
  }
}

# -- image supply --------------------------------------------------------------------------------

# ECR501: four other accounts each get a full copy of every image.
# ECR503: the rule has no repository filter.
# ECR502: the recovery account's registry policy does not let this account replicate.
resource "aws_ecr_replication_configuration" "images" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "222233334444"
      }
      destination {
        region      = "us-east-1"
        registry_id = "333344445555"
      }
      destination {
        region      = "us-east-1"
        registry_id = "444455556666"
      }
      destination {
        region      = "us-east-1"
        registry_id = "555566667777"
      }
    }
  }
}

resource "aws_ecr_registry_policy" "recovery" {
  provider = aws.recovery
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReplicationFromOldBuildAccount"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:root" }
      Action    = ["ecr:ReplicateImage", "ecr:CreateRepository"]
      Resource  = "arn:aws:ecr:eu-west-1:222233334444:repository/*"
    }]
  })
}

# -- Lambda ----------------------------------------------------------------------------------------

resource "aws_iam_role" "thumbnailer" {
  name = "thumbnailer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# ECR601 and ECR504: Lambda cannot run an image from Docker Hub.
resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = aws_iam_role.thumbnailer.arn
  package_type  = "Image"
  image_uri     = "docker.io/acme/thumbnailer:2.3.1"
}

# -- ECS -------------------------------------------------------------------------------------------

resource "aws_iam_role" "orders_execution" {
  name = "orders-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "orders_execution_logs" {
  name = "logs"
  role = aws_iam_role.orders_execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:us-east-1:111122223333:log-group:/ecs/orders:*"
    }]
  })
}

# ECR602: the execution role can write logs but cannot pull the image.
resource "aws_ecs_task_definition" "orders" {
  family                   = "orders"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = aws_iam_role.orders_execution.arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders/api:1.8.0"
    essential = true
  }])
}

# ECR603: ECS container instances that install the CodeDeploy agent; the deployment below is ECS blue/green.
resource "aws_launch_template" "orders_instances" {
  name_prefix   = "orders-ecs-"
  image_id      = "ami-0c1a2b3c4d5e6f708"
  instance_type = "m6i.large"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=orders >> /etc/ecs/ecs.config
    yum install -y ruby wget
    wget -O /tmp/install https://aws-codedeploy-us-east-1.s3.us-east-1.amazonaws.com/latest/install
    chmod +x /tmp/install && /tmp/install auto
  EOT
  )
}

resource "aws_codedeploy_app" "orders" {
  name             = "orders"
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "orders" {
  app_name              = aws_codedeploy_app.orders.name
  deployment_group_name = "orders"
  service_role_arn      = "arn:aws:iam::111122223333:role/codedeploy-ecs"
  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }
  ecs_service {
    cluster_name = "orders"
    service_name = "orders-api"
  }
}

# -- CodeBuild -------------------------------------------------------------------------------------

resource "aws_iam_role" "images_build" {
  name = "orders-images-build"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "codebuild.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "images_build" {
  name = "build"
  role = aws_iam_role.images_build.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
        Resource = "*"
      }
    ]
  })
}

# ECR606 (the role can pull but not push) and ECR605 (`aws ecr get-login`) are reported in buildspec.yml,
# which this project reads from its source.
resource "aws_codebuild_project" "images" {
  name         = "orders-images"
  service_role = aws_iam_role.images_build.arn

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_SMALL"
    image           = "aws/codebuild/standard:7.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = true

    environment_variable {
      name  = "REPOSITORY_URI"
      value = "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders/api"
    }
  }

  source {
    type = "CODEPIPELINE"
  }
}
