admin_cidr  = "10.20.0.0/16"
environment = "prod"
