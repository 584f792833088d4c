from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.values import Unknown
from scanner.views.secrets import Secret


def check(secret: Secret) -> Outcome:
    rotation = secret.rotation
    if isinstance(rotation.value, Unknown):
        return Undecided(rotation.value.reason, rotation.span)
    if rotation.value is True:
        return PASS
    return Fail(f"Secrets Manager secret {secret.address} has no automatic rotation configured",
                rotation, attribute="rotation")


RULE = Rule(
    id="DAT017",
    name="SecretWithoutRotation",
    title="Secrets Manager secret is not rotated automatically",
    severity=Severity.MEDIUM,
    severity_reason="A leaked secret stays valid until someone changes it by hand; rotation "
                    "bounds how long a copy in a log, a laptop or a former employee's notes works.",
    domain=Domain.DATA_PROTECTION,
    view=Secret,
    check=check,
    resource_types=(
        "aws_secretsmanager_secret", "aws_secretsmanager_secret_rotation",
        "AWS::SecretsManager::Secret", "AWS::SecretsManager::RotationSchedule",
    ),
    rationale=(
        "AWS stores and encrypts the secret; changing the credential it holds is the customer's "
        "duty. Secrets Manager rotates a secret only when a rotation is configured for it: an "
        "aws_secretsmanager_secret_rotation (or, with AWS provider versions before 5, the "
        "secret's own rotation_rules) in Terraform, an AWS::SecretsManager::RotationSchedule in "
        "CloudFormation, linked by its secret_id / SecretId. A secret without one keeps the same "
        "value until someone changes it (Security Hub control SecretsManager.1). Secrets that "
        "another service manages and rotates itself, such as an RDS master password with "
        "manage_master_user_password (ManageMasterUserPassword), are not secret resources of the "
        "template and are not judged. A rotation whose secret cannot be known leaves the "
        "secrets of that module or template undecided."
    ),
    remediation="Add a rotation for the secret: a rotation Lambda function (or a hosted rotation "
                "for database credentials) and a schedule.",
    terraform_fix="""\
resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = aws_lambda_function.rotate_db.arn

  rotation_rules {
    automatically_after_days = 30
  }
}""",
    cloudformation_fix="""\
# HostedRotationLambda needs, at the template's top level:
#   Transform: AWS::SecretsManager-2024-09-16
DbSecretRotation:
  Type: AWS::SecretsManager::RotationSchedule
  Properties:
    SecretId: !Ref DbSecret
    HostedRotationLambda:
      RotationType: PostgreSQLSingleUser
    RotationRules:
      AutomaticallyAfterDays: 30""",
    references=(
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-rotationschedule.html",
    ),
    security_severity=4.3,
    tags=("secretsmanager", "rotation"),
)
