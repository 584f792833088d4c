from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import SearchDomain


def check(domain: SearchDomain) -> Outcome:
    encrypted = domain.encrypt_at_rest
    if encrypted.unknown:
        return Undecided("whether the domain is encrypted at rest is not known", encrypted.span)
    if encrypted.value is True:
        return PASS
    if encrypted.explicit:
        return Fail(f"Search domain {domain.address} turns encryption at rest off", encrypted,
                    attribute="encrypt_at_rest.enabled")
    return Fail(f"Search domain {domain.address} is not encrypted at rest (off by default)", encrypted.span)


RULE = Rule(
    id="DAT013",
    name="OpenSearchDomainNotEncryptedAtRest",
    title="OpenSearch domain is not encrypted at rest",
    severity=Severity.HIGH,
    severity_reason="Indexes, logs, swap files and automated snapshots of the domain are stored unencrypted.",
    domain=Domain.DATA_PROTECTION,
    view=SearchDomain,
    check=check,
    resource_types=(
        "aws_opensearch_domain",
        "aws_elasticsearch_domain",
        "AWS::OpenSearchService::Domain",
        "AWS::Elasticsearch::Domain",
    ),
    rationale=(
        "Encrypting data at rest is the customer's duty. OpenSearch Service (and the legacy "
        "Elasticsearch Service) encrypts a domain's indexes, logs, swap files and automated "
        "snapshots with KMS only when encrypt_at_rest (EncryptionAtRestOptions) is enabled: "
        "the console proposes it, but the API, CloudFormation and Terraform leave it off. It "
        "is also required for fine-grained access control. The customer must enable it, "
        "optionally with a customer managed KMS key."
    ),
    remediation="Enable encrypt_at_rest (EncryptionAtRestOptions.Enabled) on the domain.",
    terraform_fix="""\
resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.13"

  encrypt_at_rest {
    enabled = true
  }
}""",
    cloudformation_fix="""\
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.13
    EncryptionAtRestOptions:
      Enabled: true""",
    references=(
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
    ),
    security_severity=7.0,
    tags=("opensearch", "elasticsearch", "encryption"),
)
