from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, RuleOption, Severity, Undecided
from scanner.views.lifecycle import FunctionRuntime

# When each Lambda-managed runtime was (or is scheduled to be) deprecated: from then on AWS no
# longer applies security patches to it. Source: the "Supported runtimes" and "Deprecated
# runtimes" tables of https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
# (runtime deprecation policy), cross-checked against the runtime lifecycle data that cfn-lint
# 1.58.0 ships. remit never fetches the page: the table is data in the package, complete up to
# TABLE_AS_OF, with the announced future dates too, so that the `as_of` option can look ahead.
# A runtime missing here is not judged. Update both together.
TABLE_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
TABLE_AS_OF = "2026-11-29"
DEPRECATED_ON: dict[str, str] = {
    "nodejs": "2016-10-31",
    "nodejs4.3": "2020-03-06",
    "nodejs4.3-edge": "2019-04-30",
    "nodejs6.10": "2019-08-12",
    "nodejs8.10": "2020-03-06",
    "nodejs10.x": "2021-07-30",
    "nodejs12.x": "2023-03-31",
    "nodejs14.x": "2023-12-04",
    "nodejs16.x": "2024-06-12",
    "nodejs18.x": "2025-09-01",
    "nodejs20.x": "2026-04-30",
    "nodejs22.x": "2027-04-30",
    "nodejs24.x": "2028-04-30",
    "python2.7": "2021-07-15",
    "python3.6": "2022-07-18",
    "python3.7": "2023-12-04",
    "python3.8": "2024-10-14",
    "python3.9": "2025-12-15",
    "python3.10": "2026-10-31",
    "python3.11": "2027-06-30",
    "python3.12": "2028-10-31",
    "python3.13": "2029-06-30",
    "python3.14": "2029-06-30",
    "ruby2.5": "2021-07-30",
    "ruby2.7": "2023-12-07",
    "ruby3.2": "2026-03-31",
    "ruby3.3": "2027-03-31",
    "ruby3.4": "2028-03-31",
    "ruby4.0": "2029-03-31",
    "java8": "2024-01-08",
    "java8.al2": "2027-06-30",
    "java11": "2027-06-30",
    "java17": "2027-06-30",
    "java21": "2029-06-30",
    "java25": "2029-06-30",
    "go1.x": "2024-01-08",
    "provided": "2024-01-08",
    "provided.al2": "2026-07-31",
    "provided.al2023": "2029-06-30",
    "dotnetcore1.0": "2019-07-30",
    "dotnetcore2.0": "2019-05-30",
    "dotnetcore2.1": "2022-01-05",
    "dotnetcore3.1": "2023-04-03",
    "dotnet6": "2024-12-20",
    "dotnet8": "2026-11-10",
    "dotnet9": "2026-11-10",
    "dotnet10": "2028-11-14",
}


def _as_of(settings: Mapping[str, Any]) -> dt.date:
    text = str(settings.get("as_of") or TABLE_AS_OF)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"PAT002 option as_of must be a date like 2026-01-31, not {text!r}") from None


def check(function: FunctionRuntime, settings: Mapping[str, Any]) -> Outcome:
    runtime = function.runtime
    if runtime.unknown:
        return Undecided("the function's runtime is not known", runtime.span)
    if not runtime.value:
        if function.runtime_may_be_global:
            return Undecided("a SAM function without Runtime in a template without the SAM "
                             "transform: its runtime would come from Globals, which only the "
                             "transform applies", function.span)
        return PASS
    name = str(runtime.value).strip().lower()
    deprecated = DEPRECATED_ON.get(name)
    if deprecated is None:
        return PASS
    as_of = _as_of(settings)
    if dt.date.fromisoformat(deprecated) > as_of:
        return PASS
    return Fail(f"Lambda function {function.address} uses runtime {runtime.value}, deprecated on "
                f"{deprecated}: AWS no longer applies security patches to it", runtime,
                attribute="runtime")


RULE = Rule(
    id="PAT002",
    name="LambdaRuntimeDeprecated",
    title="Lambda function uses a runtime past its deprecation date",
    severity=Severity.MEDIUM,
    severity_reason=(
        "A deprecated runtime no longer receives security patches, and AWS later blocks updates "
        "to functions that use it."
    ),
    domain=Domain.PATCHING,
    view=FunctionRuntime,
    check=check,
    resource_types=("aws_lambda_function", "AWS::Lambda::Function", "AWS::Serverless::Function"),
    rationale=(
        "AWS patches Lambda's managed runtimes until they are deprecated; moving functions to a "
        "supported runtime before then is the customer's duty, because Lambda cannot change the "
        "language version of a function for its owner. The rule compares the function's runtime "
        "with a table of deprecation dates from the AWS Lambda runtimes page, kept in remit "
        f"and dated {TABLE_AS_OF}. To keep results deterministic it judges as of that date, not "
        "today's: a scan gives the same findings tomorrow. Set the `as_of` option to a later date "
        "to also flag runtimes whose announced deprecation has passed since (a remit upgrade "
        "refreshes the table). Container image functions bring their own runtime and are not "
        "judged. SAM functions are judged after the SAM transform, with a Runtime from the "
        "template's Globals applied and reported on its line there; only in a template that "
        "lacks the transform (which CloudFormation refuses) is a SAM function without Runtime "
        "left undecided."
    ),
    remediation=(
        "Move the function to a supported runtime of the same language (for example nodejs24.x, "
        "python3.14), test it, and deploy; for Go and custom runtimes use provided.al2023."
    ),
    terraform_fix="""\
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  filename      = "worker.zip"
  handler       = "app.handler"
  runtime       = "python3.14"
}""",
    cloudformation_fix="""\
Worker:
  Type: AWS::Lambda::Function
  Properties:
    Role: !GetAtt WorkerRole.Arn
    Handler: app.handler
    Runtime: python3.14
    Code:
      S3Bucket: artifacts
      S3Key: worker.zip""",
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html",
    ),
    security_severity=6.0,
    tags=("lambda", "runtime", "patching"),
    options=(
        RuleOption("as_of", "", "judge deprecation as of this date (YYYY-MM-DD); empty means the "
                   f"date of remit's runtime table ({TABLE_AS_OF})"),
    ),
)
