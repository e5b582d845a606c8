provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["111122223333"]
}

resource "aws_ecr_repository" "api" {
  name                 = "orders/api"
  image_tag_mutability = "IMMUTABLE"
}

resource "aws_iam_role" "execution" {
  name = "orders-api-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

# Only what the awslogs driver needs: nothing to pull the image with.
resource "aws_iam_role_policy" "logs" {
  name = "logs"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      Resource = "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/orders-api:*"
    }]
  })
}

resource "aws_ecs_task_definition" "api" {
  family                   = "orders-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  # expect: ECR602
  execution_role_arn = aws_iam_role.execution.arn
  container_definitions = jsonencode([{
    name      = "api"
    image     = "${aws_ecr_repository.api.repository_url}:1.8.0"
    essential = true
    logConfiguration = {
      logDriver = "awslogs"
      options   = { "awslogs-group" = "/ecs/orders-api", "awslogs-region" = "eu-west-1", "awslogs-stream-prefix" = "api" }
    }
  }])
}
