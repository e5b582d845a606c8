provider "aws" {
  region = "eu-west-1"
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "orders-ecs-"
  image_id      = "ami-0c1a2b3c4d5e6f708"
  instance_type = "m6i.large"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=orders >> /etc/ecs/ecs.config
    yum install -y ruby wget
    cd /tmp
    # expect: ECR603
    wget https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install
    chmod +x ./install
    ./install auto
  EOT
  )
}

resource "aws_codedeploy_app" "orders" {
  name             = "orders"
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "orders" {
  app_name               = aws_codedeploy_app.orders.name
  deployment_group_name  = "orders"
  service_role_arn       = "arn:aws:iam::111122223333:role/codedeploy"
  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"
  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }
  ecs_service {
    cluster_name = "orders"
    service_name = "orders-api"
  }
}
