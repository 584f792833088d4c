"""Every rule of the catalog, listed explicitly: importing a module registers nothing."""

from __future__ import annotations

from checks.data_protection import (
    ebs_encryption,
    kms_rotation,
    rds_encryption,
    s3_public_access_block,
    s3_versioning,
)
from checks.identity import wildcard_admin_policy
from checks.logging import (
    cloudtrail_log_validation,
    cloudtrail_multi_region,
    s3_access_logging,
    vpc_flow_logs,
)
from checks.network import rds_public, security_group_open_admin
from scanner.rules import Rule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            s3_public_access_block.RULE,
            s3_versioning.RULE,
            ebs_encryption.RULE,
            rds_encryption.RULE,
            kms_rotation.RULE,
            security_group_open_admin.RULE,
            rds_public.RULE,
            wildcard_admin_policy.RULE,
            s3_access_logging.RULE,
            cloudtrail_multi_region.RULE,
            cloudtrail_log_validation.RULE,
            vpc_flow_logs.RULE,
        ),
        key=lambda r: r.id,
    )
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
