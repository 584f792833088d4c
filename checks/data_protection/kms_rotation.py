from __future__ import annotations

from scanner.rules import PASS, Domain, Fail, Outcome, Rule, Severity, Undecided
from scanner.views.kms import Key


def check(key: Key) -> Outcome:
    spec, usage = key.key_spec, key.key_usage
    if spec.unknown or usage.unknown:
        return Undecided("key spec or usage is not known", key.span)
    if spec.value != "SYMMETRIC_DEFAULT" or usage.value != "ENCRYPT_DECRYPT":
        return PASS  # AWS rotates only symmetric encryption keys; nothing to ask of others
    origin = key.origin
    if origin is not None:
        if origin.unknown:
            return Undecided("where the key material lives (its origin or key store) is not known",
                             origin.span)
        if str(origin.value).upper() != "AWS_KMS":
            return PASS  # imported or custom-key-store material: KMS cannot rotate it
    rotation = key.rotation_enabled
    if rotation.unknown:
        return Undecided("rotation setting is not known", rotation.span)
    if rotation.value is True:
        return PASS
    if rotation.explicit:
        return Fail(f"KMS key {key.address} has automatic rotation disabled", rotation,
                    attribute="enable_key_rotation")
    return Fail(f"KMS key {key.address} does not enable automatic rotation (off by default)", rotation.span)


RULE = Rule(
    id="DAT005",
    name="KmsKeyRotationDisabled",
    title="KMS key is not rotated automatically",
    severity=Severity.MEDIUM,
    severity_reason="A key that never rotates widens what one leaked key version can decrypt.",
    domain=Domain.DATA_PROTECTION,
    view=Key,
    check=check,
    resource_types=("aws_kms_key", "AWS::KMS::Key"),
    rationale=(
        "Managing the lifecycle of customer-managed keys is the customer's duty. Automatic "
        "rotation creates new key material every year (or the period chosen) while old "
        "material still decrypts old data. Only symmetric encryption keys whose material KMS "
        "generated and keeps can rotate automatically; asymmetric and HMAC keys, keys with "
        "imported material (Origin EXTERNAL) and keys in custom key stores "
        "(custom_key_store_id) are not judged."
    ),
    remediation="Enable automatic key rotation on symmetric customer-managed keys.",
    terraform_fix="""\
resource "aws_kms_key" "data" {
  description         = "data at rest"
  enable_key_rotation = true
}""",
    cloudformation_fix="""\
DataKey:
  Type: AWS::KMS::Key
  Properties:
    EnableKeyRotation: true""",
    references=(
        "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        "CIS AWS Foundations Benchmark v3.0.0, 3.6",
    ),
    security_severity=4.0,
    tags=("kms", "encryption"),
)
