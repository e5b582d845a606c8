# The container instances build the image themselves: "orders-api:1.4" is the local image the user
# data makes, not one pulled from Docker Hub.
resource "aws_launch_template" "ecs" {
  name_prefix = "ecs-"
  image_id    = "ami-0123456789abcdef0"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo ECS_CLUSTER=orders >> /etc/ecs/ecs.config
    git clone https://git.example.com/orders-api.git /opt/orders-api
    docker build -t orders-api:1.4 /opt/orders-api
  EOT
  )
}

resource "aws_ecs_task_definition" "orders" {
  family                   = "orders"
  requires_compatibilities = ["EC2"]
  container_definitions = jsonencode([
    { name = "api", image = "orders-api:1.4", memory = 512 }
  ])
}
