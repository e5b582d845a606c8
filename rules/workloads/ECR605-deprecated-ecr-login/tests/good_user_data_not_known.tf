# The user data comes from a variable without a default: ecrlint cannot read the script, so it
# reports nothing and says so (an undecided record) instead of passing it by in silence.
variable "user_data" {
  type = string
}

resource "aws_launch_template" "builders" {
  name      = "builders"
  image_id  = "ami-0123456789abcdef0"
  user_data = var.user_data
}
