"""KMS keys."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class Key(View):
    rotation_enabled: Field[bool]
    key_spec: Field[str]  # SYMMETRIC_DEFAULT unless set; only symmetric keys can rotate
    key_usage: Field[str]
    # Where the key material lives: AWS_KMS (the default), EXTERNAL (imported), AWS_CLOUDHSM or
    # EXTERNAL_KEY_STORE (custom key stores). KMS rotates only AWS_KMS keys.
    origin: Field[str] | None = None
