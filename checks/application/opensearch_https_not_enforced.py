from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import SearchDomain


def check(domain: SearchDomain) -> Outcome:
    https = domain.enforce_https
    if https is None:
        return PASS
    if https.unknown:
        return Undecided("whether the domain requires HTTPS is not known", https.span)
    if https.value is True:
        return PASS
    if https.explicit:
        return Fail(f"Search domain {domain.address} accepts plain HTTP (enforce HTTPS is off)",
                    https, attribute="domain_endpoint_options.enforce_https")
    return Fail(f"Search domain {domain.address} accepts plain HTTP (HTTPS is not required "
                "unless domain endpoint options ask for it)", https.span,
                attribute="domain_endpoint_options.enforce_https")


RULE = Rule(
    id="APP006",
    name="OpenSearchHttpsNotEnforced",
    title="OpenSearch domain accepts plain HTTP",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Queries, documents and credentials sent to the domain endpoint over HTTP can be read "
        "and changed on the network path, inside a VPC too."
    ),
    domain=Domain.APPLICATION,
    view=SearchDomain,
    check=check,
    resource_types=(
        "aws_opensearch_domain",
        "aws_elasticsearch_domain",
        "AWS::OpenSearchService::Domain",
        "AWS::Elasticsearch::Domain",
    ),
    rationale=(
        "Encrypting data in transit to the search endpoint is the customer's duty: an "
        "OpenSearch Service (or Elasticsearch Service) domain answers plain HTTP unless its "
        "domain endpoint options require HTTPS. A domain created without domain endpoint "
        "options (domain_endpoint_options / DomainEndpointOptions) gets the service's default, "
        "which does not require HTTPS; in Terraform, a domain_endpoint_options block that leaves "
        "enforce_https out gets the provider's default, true. The TLS versions the HTTPS "
        "endpoint accepts are APP002's business."
    ),
    remediation=(
        "Set enforce_https / EnforceHTTPS to true in the domain endpoint options, with the TLS "
        "security policy Policy-Min-TLS-1-2-PFS-2023-10."
    ),
    terraform_fix="""\
resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.13"

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"
  }
}""",
    cloudformation_fix="""\
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.13
    DomainEndpointOptions:
      EnforceHTTPS: true
      TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10""",
    references=(
        "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-8",
    ),
    security_severity=5.5,
    tags=("opensearch", "elasticsearch", "tls", "encryption-in-transit"),
)
