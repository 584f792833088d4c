"""S3 buckets, with the settings that may live in separate resources gathered in."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.source import Span
from scanner.values import Field
from scanner.views.base import View


@dataclass
class PublicAccessBlock:
    """The four settings of an S3 public access block, bucket- or account-level."""

    block_public_acls: Field[bool]
    block_public_policy: Field[bool]
    ignore_public_acls: Field[bool]
    restrict_public_buckets: Field[bool]
    span: Span
    owner: str  # address of the resource that holds it

    def settings(self) -> dict[str, Field[bool]]:
        return {
            "block_public_acls": self.block_public_acls,
            "block_public_policy": self.block_public_policy,
            "ignore_public_acls": self.ignore_public_acls,
            "restrict_public_buckets": self.restrict_public_buckets,
        }


@dataclass
class DetachedAccessBlock(View):
    """A public access block judged on its own: a bucket-level block whose bucket is not in the
    scanned configuration (named by a variable, or created elsewhere), or the account-level
    block."""

    block: PublicAccessBlock


@dataclass
class Bucket(View):
    name: Field[str]
    # None: no bucket-level block anywhere; a Field of Unknown-valued settings when
    # a block exists whose target bucket cannot be resolved.
    public_access_block: PublicAccessBlock | None
    account_public_access_block: PublicAccessBlock | None
    logging_enabled: Field[bool]
    versioning_enabled: Field[bool]
    encryption_algorithm: Field[str]  # "AES256", "aws:kms", "aws:kms:dsse"; default AES256
    is_log_target: bool  # other buckets deliver their access logs here
