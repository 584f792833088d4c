from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.web import FunctionUrl


def check(url: FunctionUrl) -> Outcome:
    auth = url.auth_type
    if auth.unknown:
        return Undecided("the function URL's authorization type is not known", auth.span)
    if auth.value == "AWS_IAM":
        return PASS
    if auth.value == "NONE":
        return Fail(f"Lambda function URL {url.address} lets anyone call the function without "
                    "authentication (authorization type NONE)", auth, attribute="authorization_type")
    return Undecided("the function URL names no known authorization type (it is required)",
                     auth.span)


RULE = Rule(
    id="APP004",
    name="LambdaFunctionUrlWithoutAuth",
    title="Lambda function URL does not authenticate its callers",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Anyone on the internet who learns the URL can invoke the function, run up its cost and "
        "reach whatever it can reach; a public webhook may need this, but then the function has "
        "to check each request itself."
    ),
    domain=Domain.APPLICATION,
    view=FunctionUrl,
    check=check,
    resource_types=("aws_lambda_function_url", "AWS::Lambda::Url"),
    rationale=(
        "Deciding who may call the application is the customer's duty. A function URL with "
        "authorization type NONE is a public HTTPS endpoint: Lambda authenticates no one, and "
        "only the function's resource-based policy (which must also allow the calls, for "
        "example through aws_lambda_permission / AWS::Lambda::Permission with "
        "FunctionUrlAuthType NONE) stands between the internet and the code. AWS_IAM makes "
        "callers sign their requests with IAM credentials. Some URLs are public on purpose "
        "(webhooks, callbacks from third parties): such a function must verify each request "
        "itself (a signature or a shared secret), and the finding can be suppressed where it is "
        "so, with the reason written beside it. The severity is medium rather than high for that "
        "reason."
    ),
    remediation=(
        "Set the authorization type to AWS_IAM and grant lambda:InvokeFunctionUrl to the "
        "callers that need it; for a public webhook, verify each request in the function and "
        "suppress the finding with the reason."
    ),
    terraform_fix="""\
resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "AWS_IAM"
}""",
    cloudformation_fix="""\
ApiUrl:
  Type: AWS::Lambda::Url
  Properties:
    TargetFunctionArn: !GetAtt ApiFunction.Arn
    AuthType: AWS_IAM""",
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html",
    ),
    security_severity=5.0,
    precision="high",
    tags=("lambda", "authentication"),
)
