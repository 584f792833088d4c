"""Terraform resources into views: one module per service."""

from __future__ import annotations

from scanner.adapters.terraform import ec2, iam, kms, logging, rds, s3

SERVICES = (s3, ec2, rds, iam, logging, kms)
