# Extra repository policy statements passed to terraform-aws-modules/ecr/aws: the statement is
# the model's, reported at the call.
# expect: ECR201
module "public_images" {
  source  = "terraform-aws-modules/ecr/aws"
  version = "~> 2.1"

  repository_name             = "public-images"
  repository_read_access_arns = ["arn:aws:iam::111122223333:root"]
  create_lifecycle_policy     = false
  repository_policy_statements = {
    everyone = {
      sid     = "Everyone"
      actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      principals = [{ type = "AWS", identifiers = ["*"] }]
    }
  }
}
