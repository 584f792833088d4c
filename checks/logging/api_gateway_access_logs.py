from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.web import ApiStage


def check(stage: ApiStage) -> Outcome:
    destination = stage.access_log_destination
    if isinstance(destination.value, Unknown):
        if destination.names_something:
            return PASS  # a log group or stream of this configuration
        return Undecided("the access log destination is not known", destination.span)
    if destination.value.strip():
        return PASS
    kind = "REST API" if stage.api_kind == "rest" else "HTTP or WebSocket API"
    if destination.explicit:
        return Fail(f"API Gateway {kind} stage {stage.address} has an empty access log destination",
                    destination, attribute="access_log_settings.destination_arn")
    return Fail(f"API Gateway {kind} stage {stage.address} does not record access logs", stage.span)


RULE = Rule(
    id="LOG008",
    name="ApiGatewayStageAccessLoggingDisabled",
    title="API Gateway stage does not record access logs",
    severity=Severity.MEDIUM,
    severity_reason=(
        "Without access logs, who called the API, from where and with what result cannot be "
        "established after abuse or a breach."
    ),
    domain=Domain.LOGGING,
    view=ApiStage,
    check=check,
    resource_types=(
        "aws_api_gateway_stage",
        "aws_apigatewayv2_stage",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGatewayV2::Stage",
    ),
    rationale=(
        "Keeping a record of who uses the application is the customer's duty. API Gateway writes "
        "one access log line per request (caller, source IP, route, status, latency) to a "
        "CloudWatch Logs log group or a Firehose stream only when the stage names a destination; "
        "no stage has one by default. This rule is about access logs; execution logs "
        "(logging_level, LoggingLevel) are a separate, debugging-oriented setting. A destination "
        "given as a reference to a log group of the configuration counts as set."
    ),
    remediation=(
        "Give the stage access log settings with a CloudWatch Logs log group (or Firehose stream) "
        "ARN and a log format; for REST APIs, the account's API Gateway CloudWatch role must be set."
    ),
    terraform_fix="""\
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" })
  }
}""",
    cloudformation_fix="""\
ProdStage:
  Type: AWS::ApiGateway::Stage
  Properties:
    RestApiId: !Ref Api
    DeploymentId: !Ref ApiDeployment
    StageName: prod
    AccessLogSetting:
      DestinationArn: !GetAtt ApiAccessLogs.Arn
      Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}'""",
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html",
    ),
    security_severity=4.5,
    tags=("api-gateway", "access-logs"),
)
