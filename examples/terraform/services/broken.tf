# This file has a syntax error on purpose: ecrlint reports it (ECR900) and goes on.
resource "aws_ecr_repository" "broken" {
  name = "broken"
  image_tag_mutability = 
}
