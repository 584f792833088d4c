from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Origin, Unknown
from scanner.views.web import Distribution


def check(dist: Distribution) -> Outcome:
    logs = dist.access_logging
    if logs is None:
        return PASS  # not read for this distribution
    if isinstance(logs.value, Unknown):
        return Undecided(f"whether access logs are delivered is not known: {logs.value.reason}", logs.span)
    if logs.value is True:
        return PASS
    if logs.origin is Origin.EXPLICIT:
        return Fail(f"CloudFront distribution {dist.address} names no S3 bucket domain "
                    "(BUCKET.s3.amazonaws.com) to write its access logs to", logs, attribute="logging_config.bucket")
    return Fail(f"CloudFront distribution {dist.address} does not record standard access logs",
                logs, attribute="logging_config")


RULE = Rule(
    id="LOG012",
    name="CloudFrontAccessLogsDisabled",
    title="CloudFront distribution does not record standard access logs",
    severity=Severity.MEDIUM,
    severity_reason="The requests viewers made (who fetched what, from where, with which result) "
                    "cannot be reviewed after an incident, nor abuse of the distribution detected.",
    domain=Domain.LOGGING,
    view=Distribution,
    check=check,
    resource_types=(
        "aws_cloudfront_distribution", "aws_cloudwatch_log_delivery_source",
        "aws_cloudwatch_log_delivery", "AWS::CloudFront::Distribution",
        "AWS::Logs::DeliverySource", "AWS::Logs::Delivery",
    ),
    rationale=(
        "Keeping an audit trail of the requests its applications serve is the customer's duty; "
        "CloudFront records them only when asked, and its standard logs are off by default. "
        "Two configurations count: legacy standard logging to an S3 bucket (logging_config, "
        "DistributionConfig.Logging), and standard logging v2 (since November 2024), a "
        "CloudWatch Logs delivery source of log type ACCESS_LOGS whose resource is the "
        "distribution, with a delivery that takes it to CloudWatch Logs, S3 or Data Firehose. "
        "A delivery source without a delivery sends nothing and does not count. Real-time logs "
        "sample or filter by configuration and are not judged here. The legacy configuration "
        "must name the log bucket by its domain (BUCKET.s3.amazonaws.com); a written name of "
        "another form is reported on that value. Security Hub control CloudFront.5 asks for "
        "the same."
    ),
    remediation="Add a logging_config block (DistributionConfig.Logging) naming the log bucket, "
                "or an ACCESS_LOGS delivery source and delivery for the distribution.",
    terraform_fix="""\
resource "aws_cloudfront_distribution" "site" {
  # ...
  logging_config {
    bucket          = aws_s3_bucket.cdn_logs.bucket_domain_name
    prefix          = "site/"
    include_cookies = false
  }
}""",
    cloudformation_fix="""\
SiteDistribution:
  Type: AWS::CloudFront::Distribution
  Properties:
    DistributionConfig:
      # ...
      Logging:
        Bucket: !GetAtt CdnLogsBucket.DomainName
        Prefix: site/
        IncludeCookies: false""",
    references=(
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/AccessLogs.html",
        "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logging.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudfront-controls.html",
    ),
    security_severity=4.5,
    tags=("cloudfront", "logging"),
)
