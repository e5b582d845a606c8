# ecrlint:ignore mutable-image-tags -- legacy repository, tags are overwritten by design
resource "aws_ecr_repository" "app" {
  name = "app"
}
