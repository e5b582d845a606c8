# An EC2 (Server) deployment group: the agent on its instances is what CodeDeploy needs.
resource "aws_launch_template" "web" {
  name_prefix = "web-"
  image_id    = "ami-0c1a2b3c4d5e6f708"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    yum install -y ruby wget
    wget https://aws-codedeploy-eu-west-1.s3.eu-west-1.amazonaws.com/latest/install
    chmod +x ./install && ./install auto
  EOT
  )
}

resource "aws_codedeploy_app" "web" {
  name             = "web"
  compute_platform = "Server"
}

resource "aws_codedeploy_deployment_group" "web" {
  app_name              = aws_codedeploy_app.web.name
  deployment_group_name = "web"
  service_role_arn      = "arn:aws:iam::111122223333:role/codedeploy"
  autoscaling_groups    = ["web"]
}

resource "aws_codedeploy_app" "api" {
  name             = "api"
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "api" {
  app_name              = aws_codedeploy_app.api.name
  deployment_group_name = "api"
  service_role_arn      = "arn:aws:iam::111122223333:role/codedeploy"
  ecs_service {
    cluster_name = "api"
    service_name = "api"
  }
}
