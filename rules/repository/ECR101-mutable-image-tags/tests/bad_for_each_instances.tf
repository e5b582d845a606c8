# Three repositories from one for_each, all mutable: one finding at the source line, naming the
# three instances.
resource "aws_ecr_repository" "service" {
  for_each = toset(["orders", "billing", "search"])
  name     = each.key
  # expect: ECR101
  image_tag_mutability = "MUTABLE"
}
