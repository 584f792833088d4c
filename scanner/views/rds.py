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


@dataclass
class DatabaseStorage(View):
    """Where an RDS database keeps its data: a DB instance, or a DB cluster (Aurora or Multi-AZ).

    Instances get a `DatabaseInstance` view as well; this one serves the storage rules,
    which judge instances and clusters alike.
    """

    kind: str  # "instance" or "cluster"
    engine: Field[str]
    storage_encrypted: Field[bool]
    # Decided elsewhere: by the Aurora cluster an instance belongs to, or by the source of
    # a read replica, snapshot restore or point-in-time restore.
    encryption_inherited: bool
    # AWS encrypts it whatever the setting says (Aurora clusters created since 18 February
    # 2026, Aurora Serverless v1); Unknown when the engine is not known.
    always_encrypted: Field[bool]
    # The service, for messages: "RDS", or "Neptune" and "DocumentDB", whose clusters keep
    # their storage the way Aurora does and have the same StorageEncrypted switch.
    service: str = "RDS"
