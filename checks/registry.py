"""Every rule of the catalog, listed explicitly: importing a module registers nothing."""

from __future__ import annotations

from checks.application import (
    cloudfront_viewer_http,
    http_listener_without_https_redirect,
    lambda_url_without_auth,
    opensearch_https_not_enforced,
    tls_below_1_2,
    web_acl_missing,
)
from checks.compliance import backup_retention, deletion_protection, log_retention
from checks.data_protection import (
    dynamodb_pitr,
    ebs_encryption,
    efs_encryption,
    elasticache_at_rest,
    elasticache_in_transit,
    kms_rotation,
    opensearch_at_rest,
    opensearch_node_to_node,
    rds_encryption,
    redshift_encryption,
    s3_bucket_policy_public,
    s3_public_access_block,
    s3_versioning,
    sns_encryption,
    sqs_encryption,
)
from checks.identity import (
    administrator_access_attached,
    kms_key_policy_public,
    privilege_escalation,
    role_trusts_everyone,
    user_direct_policies,
    weak_password_policy,
    wildcard_admin_policy,
)
from checks.logging import (
    api_gateway_access_logs,
    cloudtrail_kms_encryption,
    cloudtrail_log_validation,
    cloudtrail_logging_off,
    cloudtrail_multi_region,
    config_recorder_all_resources,
    eks_control_plane_logging,
    load_balancer_access_logs,
    log_group_kms,
    s3_access_logging,
    vpc_flow_logs,
)
from checks.network import (
    default_security_group,
    eks_public_endpoint,
    instance_public_ip,
    network_acl_open_admin,
    rds_public,
    security_group_open_admin,
    security_group_open_sensitive_ports,
    subnet_public_ip_on_launch,
)
from checks.patching import (
    automatic_minor_upgrades,
    ecr_scan_on_push,
    eks_version_support,
    lambda_deprecated_runtime,
)
from scanner.rules import Rule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            s3_public_access_block.RULE,
            s3_bucket_policy_public.RULE,
            opensearch_node_to_node.RULE,
            opensearch_at_rest.RULE,
            redshift_encryption.RULE,
            efs_encryption.RULE,
            elasticache_in_transit.RULE,
            elasticache_at_rest.RULE,
            dynamodb_pitr.RULE,
            sqs_encryption.RULE,
            sns_encryption.RULE,
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
            cloudtrail_kms_encryption.RULE,
            cloudtrail_logging_off.RULE,
            load_balancer_access_logs.RULE,
            api_gateway_access_logs.RULE,
            log_group_kms.RULE,
            eks_control_plane_logging.RULE,
            http_listener_without_https_redirect.RULE,
            tls_below_1_2.RULE,
            cloudfront_viewer_http.RULE,
            lambda_url_without_auth.RULE,
            web_acl_missing.RULE,
            opensearch_https_not_enforced.RULE,
            config_recorder_all_resources.RULE,
            default_security_group.RULE,
            automatic_minor_upgrades.RULE,
            lambda_deprecated_runtime.RULE,
            eks_version_support.RULE,
            ecr_scan_on_push.RULE,
            backup_retention.RULE,
            log_retention.RULE,
            deletion_protection.RULE,
            security_group_open_sensitive_ports.RULE,
            eks_public_endpoint.RULE,
            instance_public_ip.RULE,
            user_direct_policies.RULE,
            weak_password_policy.RULE,
            role_trusts_everyone.RULE,
            privilege_escalation.RULE,
            network_acl_open_admin.RULE,
            subnet_public_ip_on_launch.RULE,
            kms_key_policy_public.RULE,
            administrator_access_attached.RULE,
        ),
        key=lambda r: r.id,
    )
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
