resource "aws_ecr_repository" "app" {
  #checkov:skip=CKV_AWS_999:checkov-only check, nothing for ecrlint to map
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}
