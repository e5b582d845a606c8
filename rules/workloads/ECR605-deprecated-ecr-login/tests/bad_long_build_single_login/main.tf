resource "aws_codebuild_project" "model" {
  name          = "model-training-image"
  service_role  = "arn:aws:iam::111122223333:role/model-build"
  build_timeout = 1440

  artifacts {
    type = "NO_ARTIFACTS"
  }

  environment {
    compute_type    = "BUILD_GENERAL1_2XLARGE"
    image           = "aws/codebuild/standard:7.0"
    type            = "LINUX_CONTAINER"
    privileged_mode = true
  }

  source {
    type      = "GITHUB"
    location  = "https://github.com/example/model.git"
    buildspec = "ci/buildspec.yml"
  }
}
