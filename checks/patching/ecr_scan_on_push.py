from __future__ import annotations

from scanner.resources import Format
from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.lifecycle import ImageRepository


def check(repo: ImageRepository) -> Outcome:
    registry = repo.registry_scanning
    if registry is not None and registry.value is True:
        return PASS
    scan = repo.scan_on_push
    if scan.unknown:
        return Undecided("whether images are scanned on push is not known", scan.span)
    if scan.value is True:
        return PASS
    if registry is not None and registry.unknown:
        return Undecided("whether the registry's scanning rules cover this repository is not known",
                         registry.span)
    if scan.explicit:
        name = ("ImageScanningConfiguration.ScanOnPush" if repo.format is Format.CLOUDFORMATION
                else "scan_on_push")
        return Fail(f"ECR repository {repo.address} does not scan images on push "
                    f"({name} is false)", scan, attribute="scan_on_push")
    return Fail(f"ECR repository {repo.address} does not scan images on push (off by default, "
                "and no registry scanning rule covers it)", repo.span, attribute="scan_on_push")


RULE = Rule(
    id="PAT004",
    name="EcrImagesNotScannedOnPush",
    title="ECR repository does not scan images for vulnerabilities on push",
    severity=Severity.LOW,
    severity_reason=(
        "Scanning finds known vulnerabilities in images before they run; it does not fix them, "
        "and images can still be scanned by hand or by another tool."
    ),
    domain=Domain.PATCHING,
    view=ImageRepository,
    check=check,
    resource_types=(
        "aws_ecr_repository",
        "aws_ecr_registry_scanning_configuration",
        "AWS::ECR::Repository",
        "AWS::ECR::RegistryScanningConfiguration",
    ),
    rationale=(
        "AWS secures the registry; the software inside the customer's images, and keeping it "
        "patched, is the customer's duty. Scanning each image when it is pushed lists the known "
        "vulnerabilities (CVEs) of its operating system packages (basic scanning) or also of its "
        "language packages (Amazon Inspector enhanced scanning), so that vulnerable images are "
        "rebuilt before they are deployed. Scan on push is off unless the repository turns it on. "
        "A registry scanning configuration in the same configuration (account level, and AWS's "
        "recommended place for it) whose scan-on-push or continuous rule matches the repository's "
        "name also passes."
    ),
    remediation=(
        "Turn on scan_on_push (ImageScanningConfiguration.ScanOnPush) for the repository, or "
        "declare a registry scanning configuration whose rule scans matching repositories on "
        "push or continuously; then act on the findings."
    ),
    terraform_fix="""\
resource "aws_ecr_repository" "app" {
  name = "app"
  image_scanning_configuration {
    scan_on_push = true
  }
}

# or, for every repository of the registry:
resource "aws_ecr_registry_scanning_configuration" "all" {
  scan_type = "ENHANCED"
  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}""",
    cloudformation_fix="""\
AppRepository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: app
    ImageScanningConfiguration:
      ScanOnPush: true""",
    references=(
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic-enabling.html",
    ),
    security_severity=3.0,
    tags=("ecr", "containers", "vulnerability-scanning"),
)
