resource "aws_ecrpublic_repository" "scorer" {
  repository_name = "scorer"

  tags = {
    # expect: ECR205
    classification = "proprietary"
  }
}
