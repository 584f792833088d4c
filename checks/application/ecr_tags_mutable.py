from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.lifecycle import ImageRepository

# Every tag is fixed once pushed, or every tag but those the exclusion filters name.
_IMMUTABLE = frozenset({"IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"})
# Every tag can be moved, or every tag but those the exclusion filters name.
_MUTABLE = frozenset({"MUTABLE", "MUTABLE_WITH_EXCLUSION"})


def check(repo: ImageRepository) -> Outcome:
    setting = repo.tag_mutability
    if setting is None:
        return PASS
    if setting.unknown:
        return Undecided("the repository's image tag mutability is not known", setting.span)
    value = str(setting.value)
    if value in _IMMUTABLE:
        return PASS
    if value not in _MUTABLE:
        return Undecided(f"{value} is not a known ECR image tag mutability setting", setting.span)
    if not setting.explicit:
        return Fail(f"ECR repository {repo.address} lets pushed image tags be overwritten "
                    "(tags are MUTABLE by default)", repo.span, attribute="image_tag_mutability")
    return Fail(f"ECR repository {repo.address} lets pushed image tags be overwritten "
                f"(image tag mutability {value})", setting, attribute="image_tag_mutability")


RULE = Rule(
    id="APP007",
    name="EcrImageTagsMutable",
    title="ECR repository lets image tags be overwritten",
    severity=Severity.LOW,
    severity_reason=(
        "Overwriting a tag takes push rights to the repository, and deployments that pin image "
        "digests are not affected; but whoever can push can then silently change what every "
        "deployment pulling that tag runs."
    ),
    domain=Domain.APPLICATION,
    view=ImageRepository,
    check=check,
    resource_types=("aws_ecr_repository", "AWS::ECR::Repository"),
    rationale=(
        "What runs in the customer's containers, and proving that it is what was built and "
        "reviewed, is the customer's duty. With mutable tags a push of a new image under an "
        "existing tag (v1.4.2, prod) replaces what that tag points to: the next deployment, "
        "scale-out or node replacement pulls a different image than the one that was tested, "
        "and an attacker holding push rights can swap an image without changing any "
        "deployment. ECR repositories are MUTABLE unless image_tag_mutability / "
        "ImageTagMutability says otherwise. IMMUTABLE passes; so does IMMUTABLE_WITH_EXCLUSION "
        "(tags are fixed except those the exclusion filters name, such as latest: a "
        "deliberate, bounded choice). MUTABLE_WITH_EXCLUSION fails: every tag the filters do "
        "not name can still be overwritten."
    ),
    remediation=(
        "Set the repository's image tag mutability to IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION "
        "with filters for the few moving tags that are meant to move), push each build under "
        "a new tag, and deploy by tag or, better, by digest."
    ),
    terraform_fix="""\
resource "aws_ecr_repository" "app" {
  name                 = "app"
  image_tag_mutability = "IMMUTABLE"
}""",
    cloudformation_fix="""\
AppRepository:
  Type: AWS::ECR::Repository
  Properties:
    RepositoryName: app
    ImageTagMutability: IMMUTABLE""",
    references=(
        "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
        "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html#ecr-2",
    ),
    security_severity=3.5,
    tags=("ecr", "containers", "supply-chain"),
)
