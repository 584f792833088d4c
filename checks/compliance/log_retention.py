from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.views.lifecycle import LogGroupRetention


def check(group: LogGroupRetention, settings: Mapping[str, Any]) -> Outcome:
    minimum = int(settings["min_days"])
    days = group.days
    if days.unknown:
        return Undecided("the log group's retention is not known", days.span)
    if not isinstance(days.value, int) or days.value <= 0 or days.value >= minimum:
        return PASS  # 0 or not set: events never expire
    return Fail(f"Log group {group.address} keeps events for {days.value} day"
                f"{'s' if days.value != 1 else ''}; at least {minimum} days are required",
                days, attribute="retention")


RULE = Rule(
    id="CMP002",
    name="LogGroupRetentionTooShort",
    title="CloudWatch log group deletes events sooner than the required retention",
    severity=Severity.LOW,
    severity_reason=(
        "Logs deleted too early leave no record for an investigation or an audit; it does not "
        "expose anything by itself."
    ),
    domain=Domain.COMPLIANCE,
    view=LogGroupRetention,
    check=check,
    resource_types=("aws_cloudwatch_log_group", "AWS::Logs::LogGroup"),
    rationale=(
        "CloudWatch Logs stores what it is sent; how long logs are kept, to meet investigation, "
        "audit and regulatory requirements, is the customer's duty. A log group without a "
        "retention setting (or retention_in_days = 0) keeps its events forever, which meets any "
        "minimum and is not reported; a shorter retention than the `min_days` option (default "
        "365, the one year that many frameworks ask for) is."
    ),
    remediation=(
        "Set retention_in_days (RetentionInDays) to a supported value of at least the required "
        "days (for example 365, 400, 545, 731 or more), or leave it unset to never expire."
    ),
    terraform_fix="""\
resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/web"
  retention_in_days = 365
}""",
    cloudformation_fix="""\
AppLogGroup:
  Type: AWS::Logs::LogGroup
  Properties:
    LogGroupName: /app/web
    RetentionInDays: 365""",
    references=(
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
        "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    ),
    security_severity=3.0,
    tags=("cloudwatch", "logs", "retention"),
    options=(RuleOption("min_days", 365, "the fewest days a log group must keep its events"),),
)
