from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.monitoring import ConfigRecorder

ALL = "ALL_SUPPORTED_RESOURCE_TYPES"


def check(recorder: ConfigRecorder) -> Outcome:
    strategy = recorder.recording_strategy
    if strategy.unknown:
        return Undecided("the recording strategy is not known", strategy.span)
    if strategy.value and strategy.value != ALL:
        return Fail(f"AWS Config recorder {recorder.address} records only some resource types "
                    f"({strategy.value})", strategy, attribute="recording_group.recording_strategy")
    everything = recorder.all_supported
    if everything.unknown:
        return Undecided("whether all resource types are recorded is not known", everything.span)
    if everything.value is True:
        return PASS
    if everything.explicit:
        return Fail(f"AWS Config recorder {recorder.address} does not record all supported "
                    "resource types", everything, attribute="recording_group.all_supported")
    return Fail(f"AWS Config recorder {recorder.address} has a recording group that does not set "
                "AllSupported: only the listed resource types are recorded", everything.span)


RULE = Rule(
    id="LOG011",
    name="ConfigRecorderNotRecordingAllResources",
    title="AWS Config recorder does not record all supported resource types",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Resources of types left out have no configuration history: a change that opened them "
        "up cannot be found or dated."
    ),
    domain=Domain.LOGGING,
    view=ConfigRecorder,
    check=check,
    resource_types=("aws_config_configuration_recorder", "AWS::Config::ConfigurationRecorder"),
    rationale=(
        "Keeping the configuration history of the account is the customer's duty: AWS Config "
        "records how each resource was configured over time, and only for the resource types its "
        "recorder is told to record. A recorder without a recording group records every supported "
        "resource type (the Terraform provider also defaults all_supported to true); a recording "
        "group that lists types, excludes types (recording strategy INCLUSION_BY_RESOURCE_TYPES or "
        "EXCLUSION_BY_RESOURCE_TYPES) or sets all_supported to false leaves resources unrecorded. "
        "In CloudFormation, a RecordingGroup that does not set AllSupported records only its "
        "listed types. Recording global resource types (IAM) in one region, which CIS also asks "
        "for, is not judged here. Whether a recorder exists in every region cannot be seen from "
        "one template and is not judged either."
    ),
    remediation=(
        "Record all supported resource types: drop the recording group, or set all_supported / "
        "AllSupported to true (recording strategy ALL_SUPPORTED_RESOURCE_TYPES)."
    ),
    terraform_fix="""\
resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = aws_iam_role.config.arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}""",
    cloudformation_fix="""\
ConfigRecorder:
  Type: AWS::Config::ConfigurationRecorder
  Properties:
    RoleARN: !GetAtt ConfigRole.Arn
    RecordingGroup:
      AllSupported: true
      IncludeGlobalResourceTypes: true""",
    references=(
        "https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.3",
    ),
    security_severity=5.0,
    tags=("config", "audit", "configuration-history"),
)
