resource "aws_s3_bucket" "data" {
  for_each = var.buckets
  bucket   = "example-${each.key}-${var.environment}"
}

resource "aws_s3_bucket_public_access_block" "data" {
  for_each                = aws_s3_bucket.data
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data" {
  for_each = var.buckets
  bucket   = aws_s3_bucket.data[each.key].id
  versioning_configuration {
    status = each.key == "assets" ? "Enabled" : "Suspended"
  }
}

resource "aws_db_instance" "orders" {
  identifier          = "orders-${var.environment}"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  publicly_accessible = var.environment != "prod"
}

resource "aws_kms_key" "orders" {
  description         = "orders data"
  enable_key_rotation = true
}
