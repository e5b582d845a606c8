# terraform-aws-modules/ecs/aws: each entry of `services` is a service with its task definition.

variable "create" { default = true }
variable "services" { default = {} }

resource "aws_ecs_task_definition" "this" {
  for_each = var.create ? { for k, v in var.services : k => v if try(v.create_task_definition, true) } : {}

  family                   = try(each.value.family, each.key)
  requires_compatibilities = try(each.value.requires_compatibilities, ["FARGATE"])
  execution_role_arn       = try(each.value.create_task_exec_iam_role, true) ? aws_iam_role.task_exec[each.key].arn : try(each.value.task_exec_iam_role_arn, null)
  task_role_arn            = try(each.value.tasks_iam_role_arn, null)
  container_definitions = jsonencode([
    for name, container in try(each.value.container_definitions, {}) : merge({ name = name }, container)
  ])
}

resource "aws_iam_role" "task_exec" {
  for_each = var.create ? { for k, v in var.services : k => v if try(v.create_task_exec_iam_role, true) } : {}

  name = "${each.key}-task-exec"
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
  for_each = var.create ? { for k, v in var.services : k => v if try(v.create_task_exec_iam_role, true) && try(v.create_task_exec_policy, true) } : {}

  name = "${each.key}-task-exec"
  role = aws_iam_role.task_exec[each.key].id
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
