resource "aws_ecr_repository" "api" {
  name                 = "orders/api"
  image_tag_mutability = "IMMUTABLE"
}

variable "release" {
  type    = string
  default = "1.8.0"
}

resource "aws_ecs_task_definition" "api" {
  family = "orders-api"
  container_definitions = jsonencode([
    {
      name  = "api"
      image = "${aws_ecr_repository.api.repository_url}:${var.release}"
    },
    {
      name  = "envoy"
      image = "public.ecr.aws/appmesh/aws-appmesh-envoy@sha256:8d1e4bd5ba33a8e2a46e6cbd0b88eb2b0f24c4e8f69d2b7ee1c0b5f55cbbf7a1"
    }
  ])
}

resource "aws_lambda_function" "fn" {
  function_name = "orders-fn"
  role          = "arn:aws:iam::111122223333:role/orders-fn"
  package_type  = "Image"
  image_uri     = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/orders/fn:latest@sha256:8d1e4bd5ba33a8e2a46e6cbd0b88eb2b0f24c4e8f69d2b7ee1c0b5f55cbbf7a1"
}
