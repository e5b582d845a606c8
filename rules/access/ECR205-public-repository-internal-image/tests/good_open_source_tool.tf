resource "aws_ecrpublic_repository" "cli" {
  repository_name = "acme/cli"

  catalog_data {
    description       = "Command line client for the public Acme API"
    about_text        = "Open source under the Apache License 2.0. International character sets supported."
    usage_text        = "docker run public.ecr.aws/acme/cli:1.0 --help"
    operating_systems = ["Linux"]
    architectures     = ["x86-64", "ARM 64"]
  }
}
