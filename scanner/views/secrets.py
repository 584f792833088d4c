"""Secrets Manager secrets."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class Secret(View):
    """A Secrets Manager secret.

    `rotation` is true when automatic rotation is configured for it (a rotation resource that
    names it, or the legacy inline rotation rules), false when nothing configures it, Unknown
    when a rotation resource of the same module or template names a secret that cannot be known.
    """

    rotation: Field[bool]
