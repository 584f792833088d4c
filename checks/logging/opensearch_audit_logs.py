from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import SearchDomain


def check(domain: SearchDomain) -> Outcome:
    audit = domain.audit_logs
    if audit is None:
        return PASS  # not read for this domain
    if audit.unknown:
        return Undecided("whether audit logs are published is not known", audit.span)
    if audit.value is True:
        return PASS
    if audit.explicit:
        return Fail(f"Search domain {domain.address} turns audit log publishing off", audit,
                    attribute="log_publishing_options.AUDIT_LOGS.enabled")
    return Fail(f"Search domain {domain.address} does not publish audit logs", audit.span,
                attribute="log_publishing_options.AUDIT_LOGS")


RULE = Rule(
    id="LOG013",
    name="OpenSearchAuditLogsNotPublished",
    title="OpenSearch domain does not publish audit logs",
    severity=Severity.MEDIUM,
    severity_reason="Sign-in failures, permission denials and changes to indices and security "
                    "settings leave no trail to investigate.",
    domain=Domain.LOGGING,
    view=SearchDomain,
    check=check,
    resource_types=(
        "aws_opensearch_domain",
        "aws_elasticsearch_domain",
        "AWS::OpenSearchService::Domain",
        "AWS::Elasticsearch::Domain",
    ),
    rationale=(
        "Keeping an audit trail of who does what with its data is the customer's duty. "
        "OpenSearch Service records users' authentication, access to indices and changes to "
        "security settings in audit logs only when the domain publishes them to CloudWatch "
        "Logs: a log_publishing_options block of log_type AUDIT_LOGS (enabled, the provider's "
        "default) in Terraform, LogPublishingOptions.AUDIT_LOGS with Enabled true in "
        "CloudFormation (Enabled defaults to false there). Nothing is published by default. "
        "Audit logs need fine-grained access control (advanced security options) on the "
        "domain; slow logs and application logs do not replace them. Security Hub control "
        "Opensearch.5 asks for the same."
    ),
    remediation="Enable fine-grained access control and publish AUDIT_LOGS to a CloudWatch Logs "
                "log group whose resource policy lets OpenSearch Service write to it.",
    terraform_fix="""\
resource "aws_opensearch_domain" "search" {
  # ...
  advanced_security_options {
    enabled                        = true
    internal_user_database_enabled = false
    master_user_options {
      master_user_arn = aws_iam_role.search_admin.arn
    }
  }

  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search_audit.arn
  }
}""",
    cloudformation_fix="""\
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    # ...
    AdvancedSecurityOptions:
      Enabled: true
      MasterUserOptions:
        MasterUserARN: !GetAtt SearchAdminRole.Arn
    LogPublishingOptions:
      AUDIT_LOGS:
        CloudWatchLogsLogGroupArn: !GetAtt SearchAuditLogGroup.Arn
        Enabled: true""",
    references=(
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html",
    ),
    security_severity=4.5,
    tags=("opensearch", "elasticsearch", "logging", "audit"),
)
