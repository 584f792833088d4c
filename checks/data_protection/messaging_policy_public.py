from __future__ import annotations

from collections.abc import Iterator

from checks.policy_conditions import public_statements
from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.resource_policies import MessagingPolicy

KINDS = {
    "sqs": ("SQS queue policy", "queue"),
    "sns": ("SNS topic policy", "topic"),
    "opensearch": ("OpenSearch domain access policy", "domain"),
    "elasticsearch": ("Elasticsearch domain access policy", "domain"),
}


def check(policy: MessagingPolicy) -> Iterator[Outcome]:
    kind, noun = KINDS.get(policy.service, ("Policy", "resource"))
    outcomes = list(public_statements(policy, kind, noun))
    if policy.in_vpc is None or policy.fine_grained is None or not any(isinstance(o, Fail) for o in outcomes):
        yield from outcomes
        return
    # A domain: an open policy is a normal setup when a VPC or fine-grained access control
    # decides who gets in.
    guards = (policy.in_vpc, policy.fine_grained)
    if any(g.value is True for g in guards):
        yield PASS
        return
    unknown = next((g for g in guards if g.unknown), None)
    if unknown is not None:
        yield Undecided(f"the policy is open; whether the domain is in a VPC or uses fine-grained "
                        f"access control is not known: {unknown.value.reason}", unknown.span)
        return
    yield from outcomes


RULE = Rule(
    id="DAT019",
    name="ServicePolicyAllowsAnyPrincipal",
    title='SQS queue, SNS topic or OpenSearch domain policy allows any principal ("*") without a restricting condition',
    severity=Severity.HIGH,
    severity_reason=(
        "Any AWS account can do what the statement allows: read and delete queued messages, "
        "publish forged messages to every subscriber, subscribe its own endpoint to a topic, "
        "change the policy itself, or read, write and delete a search domain's indexes."
    ),
    domain=Domain.DATA_PROTECTION,
    view=MessagingPolicy,
    check=check,
    resource_types=(
        "aws_sqs_queue", "aws_sqs_queue_policy", "aws_sns_topic", "aws_sns_topic_policy",
        "AWS::SQS::QueuePolicy", "AWS::SQS::QueueInlinePolicy", "AWS::SNS::TopicPolicy",
        "AWS::SNS::TopicInlinePolicy", "aws_opensearch_domain", "aws_opensearch_domain_policy",
        "aws_elasticsearch_domain", "aws_elasticsearch_domain_policy", "AWS::OpenSearchService::Domain",
        "AWS::Elasticsearch::Domain",
    ),
    rationale=(
        "Amazon SQS and Amazon SNS keep queues and topics private to their account by default; "
        "who else may use them is the customer's duty, written in the queue or topic policy. An "
        'Allow statement whose Principal is "*" (or {"AWS": "*"}), or an Allow with '
        "NotPrincipal, applies to every AWS account unless a condition pins it to something the "
        "owner can name: a fixed aws:SourceArn or aws:SourceAccount (the pattern AWS documents "
        "for an SNS topic or an S3 bucket that sends to a queue), aws:SourceOwner (the default "
        "topic policy), aws:PrincipalOrgID, aws:PrincipalAccount, aws:SourceVpce, aws:SourceVpc "
        "or aws:SourceIp, with a matching operator. Conditions on how a request is made, such as "
        "aws:SecureTransport, do not say who, and do not count; nor does a wildcard in the "
        "account part of an ARN. A grant to an AWS service principal (sns.amazonaws.com, "
        "events.amazonaws.com) is not \"*\" and is not reported. The customer must name the "
        "accounts, roles or services that use the queue or topic, or keep \"*\" only with a "
        "restricting condition. "
        "A condition value known only at deployment (the stack's own account id from "
        "AWS::AccountId or aws_caller_identity) still names one value under StringEquals "
        "and StringEqualsIgnoreCase, which compare literally, and counts; under StringLike, "
        "ArnLike, ArnEquals and IpAddress, which take wildcards and ranges, it counts only "
        "when its written part already pins it, and is undecided otherwise. "
        "OpenSearch Service (and Elasticsearch) domain access policies are judged the same way, "
        "with what AWS documents as other layers in front of them: a domain placed in a VPC "
        "(VPC options with subnets) is reachable only from inside the VPC, where security groups "
        "decide who connects, and AWS describes open access policies on VPC domains as a normal "
        "setup; fine-grained access control (enabled, anonymous access off) authenticates every "
        "request itself, and AWS recommends an access policy that does not require signed "
        "requests with it. An open policy on such a domain passes; on a public domain without "
        "fine-grained access control anyone on the internet can read, write and delete its "
        "indexes and is reported; when the domain's placement is not known (a separate policy "
        "resource whose domain is not in the scanned code) the rule is undecided."
    ),
    remediation=(
        'Replace "*" with the principals that need access, or add an aws:SourceArn, '
        "aws:SourceAccount or aws:PrincipalOrgID condition to the statement. For an OpenSearch "
        "domain, name IAM principals or restrict aws:SourceIp, place the domain in a VPC, or "
        "turn on fine-grained access control."
    ),
    terraform_fix="""\
resource "aws_sqs_queue_policy" "orders" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.orders.arn
      Condition = {
        ArnEquals = { "aws:SourceArn" = aws_sns_topic.orders.arn }
      }
    }]
  })
}""",
    cloudformation_fix="""\
OrdersQueuePolicy:
  Type: AWS::SQS::QueuePolicy
  Properties:
    Queues:
      - !Ref OrdersQueue
    PolicyDocument:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal:
            Service: sns.amazonaws.com
          Action: sqs:SendMessage
          Resource: !GetAtt OrdersQueue.Arn
          Condition:
            ArnEquals:
              aws:SourceArn: !Ref OrdersTopic""",
    references=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html",
        "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html",
        "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html",
    ),
    security_severity=8.2,
    tags=("sqs", "sns", "opensearch", "policy", "public"),
)
