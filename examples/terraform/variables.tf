variable "admin_cidr" {
  description = "Who may reach the bastion over SSH."
  type        = string
  default     = "0.0.0.0/0" # narrowed in terraform.tfvars
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "buckets" {
  type    = set(string)
  default = ["assets", "reports"]
}
