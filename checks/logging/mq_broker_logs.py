from __future__ import annotations

from collections.abc import Iterator

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Field
from scanner.views.brokers import MessageBroker


def _judge(broker: MessageBroker, setting: Field[bool], kind: str, attribute: str) -> Iterator[Outcome]:
    if setting.unknown:
        yield Undecided(f"whether {kind} logs are published is not known", setting.span)
    elif setting.value is not True:
        how = "turns off" if setting.explicit else "does not publish"
        yield Fail(f"Amazon MQ broker {broker.address} {how} its {kind} logs", setting, attribute=attribute)


def check(broker: MessageBroker) -> Iterator[Outcome]:
    outcomes = list(_judge(broker, broker.general_logs, "general", "logs.general"))
    engine = broker.engine_type
    if engine.unknown:
        outcomes.append(Undecided("the broker engine is not known: audit logs exist for ActiveMQ only",
                                  engine.span))
    elif str(engine.value).strip().lower() != "rabbitmq":
        outcomes.extend(_judge(broker, broker.audit_logs, "audit", "logs.audit"))
    yield from outcomes or [PASS]


RULE = Rule(
    id="LOG015",
    name="MqBrokerLogsDisabled",
    title="Amazon MQ broker does not publish its general and audit logs",
    severity=Severity.MEDIUM,
    severity_reason="Connections, authentication failures and management actions on the broker "
                    "leave no record to investigate an incident with.",
    domain=Domain.LOGGING,
    view=MessageBroker,
    check=check,
    resource_types=("aws_mq_broker", "AWS::AmazonMQ::Broker"),
    rationale=(
        "Keeping the logs of the services it runs is the customer's duty. Amazon MQ publishes a "
        "broker's logs to CloudWatch Logs only when asked: general logs (connections, errors) "
        "for ActiveMQ and RabbitMQ, and audit logs (management actions through JMX and the web "
        "console, with the user who made them) for ActiveMQ. Both are off by default "
        "(logs.general / logs.audit, Logs.General / Logs.Audit). Each missing or disabled log "
        "is reported on its own; audit logs are not asked of RabbitMQ brokers, which do not "
        "support them, and stay undecided when the engine is not known."
    ),
    remediation="Set logs { general = true, audit = true } (Logs: General: true, Audit: true; "
                "General only for RabbitMQ).",
    terraform_fix="""\
resource "aws_mq_broker" "orders" {
  # ...
  engine_type = "ActiveMQ"

  logs {
    general = true
    audit   = true
  }
}""",
    cloudformation_fix="""\
OrdersBroker:
  Type: AWS::AmazonMQ::Broker
  Properties:
    # ...
    EngineType: ActiveMQ
    Logs:
      General: true
      Audit: true""",
    references=(
        "https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-logging-monitoring-cloudwatch.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-amazonmq-broker-logslist.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html",
    ),
    security_severity=4.0,
    tags=("mq", "logging", "audit"),
)
