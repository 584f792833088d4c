"""S3 buckets with the bucket policies that govern them, for the rules on how a bucket may be
reached (plain HTTP or TLS)."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.values import Unknown
from scanner.views.base import View
from scanner.views.datastores import BucketPolicy


@dataclass
class BucketTransport(View):
    """An S3 bucket and every bucket policy found for it (inline or separate).

    `unresolved` is set when a bucket policy of the same module or template names a bucket
    that cannot be known: it may govern this one.
    """

    policies: list[BucketPolicy] = field(default_factory=list)
    unresolved: Unknown | None = None
