# terraform-aws-modules/ecs/aws//modules/service: the task definition and task execution role.

variable "create" { default = true }
variable "create_task_definition" { default = true }
variable "name" { default = null }
variable "family" { default = null }
variable "container_definitions" { default = {} }
variable "requires_compatibilities" { default = ["FARGATE"] }
variable "create_task_exec_iam_role" { default = true }
variable "task_exec_iam_role_arn" { default = null }
variable "create_task_exec_policy" { default = true }
variable "tasks_iam_role_arn" { default = null }

locals {
  task_definition = var.create && var.create_task_definition
  exec_role       = local.task_definition && var.create_task_exec_iam_role
}

resource "aws_ecs_task_definition" "this" {
  count = local.task_definition ? 1 : 0

  family                   = var.family == null ? var.name : var.family
  requires_compatibilities = var.requires_compatibilities
  execution_role_arn       = var.create_task_exec_iam_role ? aws_iam_role.task_exec[0].arn : var.task_exec_iam_role_arn
  task_role_arn            = var.tasks_iam_role_arn
  container_definitions = jsonencode([
    for name, container in var.container_definitions : merge({ name = name }, container)
  ])
}

resource "aws_iam_role" "task_exec" {
  count = local.exec_role ? 1 : 0

  name = "${var.name}-task-exec"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "task_exec" {
  count = local.exec_role && var.create_task_exec_policy ? 1 : 0

  name = "${var.name}-task-exec"
  role = aws_iam_role.task_exec[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "Logs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "*"
      },
      {
        Sid      = "ECR"
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
        Resource = "*"
      },
    ]
  })
}
