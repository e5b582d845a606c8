provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecr_repository" "api" {
  name = "orders/api"
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = "arn:aws:iam::111122223333:role/ecsTaskExecutionRole"
  container_definitions = jsonencode([
    {
      name = "api"
      # expect: ECR604
      image = "${aws_ecr_repository.api.repository_url}:latest"
    },
    {
      name = "migrations"
      # expect: ECR604
      image = aws_ecr_repository.api.repository_url
    }
  ])
}
