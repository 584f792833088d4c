"""Relational databases."""

from __future__ import annotations

from dataclasses import dataclass

from scanner.values import Field
from scanner.views.base import View


@dataclass
class DatabaseInstance(View):
    engine: Field[str]
    storage_encrypted: Field[bool]
    publicly_accessible: Field[bool]
    # Storage encryption is decided elsewhere: by the Aurora cluster the instance
    # belongs to, or by the source of a read replica or snapshot restore.
    encryption_inherited: bool
