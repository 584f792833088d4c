"""CloudFormation resources into views: one module per service.

Each reads only CloudFormation resources of the graph (`Format.CLOUDFORMATION`),
so the Terraform adapters can fill the same `ViewSet`.
"""

from __future__ import annotations

from scanner.adapters.cloudformation import ec2, iam, kms, logging, rds, s3

SERVICES = (s3, ec2, rds, iam, logging, kms)
