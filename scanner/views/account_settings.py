"""Settings that apply to a whole account and region rather than to one resource."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class EbsEncryptionByDefault(View):
    """Whether every new EBS volume and snapshot copy in the account and region is encrypted."""

    enabled: Field[bool]
