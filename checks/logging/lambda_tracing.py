from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.tracing import FunctionTracing


def check(function: FunctionTracing) -> Outcome:
    mode = function.mode
    if mode.unknown:
        return Undecided("the function's tracing mode is not known", mode.span)
    if str(mode.value).strip().lower() == "active":
        return PASS
    how = f"sets {function.attribute} to {mode.value}" if mode.explicit else "leaves tracing off (PassThrough)"
    return Fail(f"Lambda function {function.address} {how}: its invocations are not traced with AWS X-Ray",
                mode, attribute="tracing")


RULE = Rule(
    id="LOG018",
    name="LambdaTracingDisabled",
    title="Lambda function does not trace its invocations with AWS X-Ray",
    severity=Severity.LOW,
    severity_reason="Without traces, the path of a request through functions and the services they "
                    "call cannot be reconstructed when investigating an incident; nothing is exposed.",
    domain=Domain.LOGGING,
    view=FunctionTracing,
    check=check,
    resource_types=("aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function"),
    rationale=(
        "Recording what runs in its own functions is the customer's duty: Lambda writes a log "
        "stream per execution environment, but which upstream request led to which invocation "
        "and which downstream calls it made is recorded only when active tracing is on. The "
        "mode is PassThrough by default (a trace is kept only when the caller already sampled "
        "the request). Active tracing samples requests itself and sends segments to AWS X-Ray; "
        "the function's role needs the X-Ray write permissions (AWSXRayDaemonWriteAccess). "
        "Teams that trace with another system (OpenTelemetry to a third party) can disable "
        "this rule in their settings."
    ),
    remediation="Set the function's tracing mode to Active.",
    terraform_fix="""\
resource "aws_lambda_function" "worker" {
  # ...
  tracing_config {
    mode = "Active"
  }
}""",
    cloudformation_fix="""\
Worker:
  Type: AWS::Lambda::Function
  Properties:
    # ...
    TracingConfig:
      Mode: Active
# SAM: Tracing: Active on the function, or in Globals.Function""",
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-tracingconfig.html",
    ),
    security_severity=2.0,
    tags=("lambda", "logging", "tracing"),
)
