from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.datastores import SearchDomain


def check(domain: SearchDomain) -> Outcome:
    tls = domain.node_to_node_encryption
    if tls.unknown:
        return Undecided("whether node-to-node encryption is on is not known", tls.span)
    if tls.value is True:
        return PASS
    if tls.explicit:
        return Fail(f"Search domain {domain.address} turns node-to-node encryption off", tls,
                    attribute="node_to_node_encryption.enabled")
    return Fail(f"Search domain {domain.address} does not encrypt traffic between its nodes "
                "(off by default)", tls.span)


RULE = Rule(
    id="DAT014",
    name="OpenSearchDomainNodeToNodeEncryptionOff",
    title="OpenSearch domain does not encrypt traffic between its nodes",
    severity=Severity.MEDIUM,
    severity_reason="Documents and queries travel unencrypted between the domain's nodes inside the VPC.",
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
        "Encrypting data in transit is the customer's duty. Within a domain, nodes exchange "
        "documents and search results over the network; OpenSearch Service wraps that traffic "
        "in TLS only when node_to_node_encryption (NodeToNodeEncryptionOptions) is enabled, "
        "which the API, CloudFormation and Terraform leave off. It is required for fine-grained "
        "access control. The customer must enable it (HTTPS for clients is a separate setting, "
        "domain_endpoint_options.enforce_https)."
    ),
    remediation="Enable node_to_node_encryption (NodeToNodeEncryptionOptions.Enabled) on the domain.",
    terraform_fix="""\
resource "aws_opensearch_domain" "search" {
  domain_name    = "search"
  engine_version = "OpenSearch_2.13"

  node_to_node_encryption {
    enabled = true
  }
}""",
    cloudformation_fix="""\
SearchDomain:
  Type: AWS::OpenSearchService::Domain
  Properties:
    EngineVersion: OpenSearch_2.13
    NodeToNodeEncryptionOptions:
      Enabled: true""",
    references=(
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html",
    ),
    security_severity=5.0,
    tags=("opensearch", "elasticsearch", "encryption", "tls"),
)
