# a valid file: nothing to report
variable "x" {
  default = 1
}
