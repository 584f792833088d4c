"""Format-independent facts about data stores that adapters of both formats need."""

from __future__ import annotations

from scanner.values import Field, Unknown


def aurora_always_encrypted(engine: Field[str], mode: Field[str]) -> Field[bool]:
    """Whether AWS encrypts an RDS DB cluster whatever its StorageEncrypted says.

    Aurora encrypts every cluster created since 18 February 2026 (with an AWS owned key
    unless one is named), and Aurora Serverless v1 always did. Multi-AZ DB clusters of
    the MySQL and PostgreSQL engines are not covered by that change.
    """
    if not mode.unknown and isinstance(mode.value, str) and mode.value.lower() == "serverless":
        return Field(True, mode.span, mode.origin, mode.provenance)
    if engine.unknown or not isinstance(engine.value, str):
        return Field(Unknown("the engine is not known, and Aurora clusters are always encrypted"),
                     engine.span, engine.origin, engine.provenance)
    return Field(engine.value.lower().startswith("aurora"), engine.span, engine.origin, engine.provenance)


def aurora_instance(engine: Field[str]) -> Field[bool]:
    """True for an instance of an Aurora cluster: its storage is the cluster's, which Aurora
    encrypts (see `aurora_always_encrypted`) and which is judged on its own."""
    aurora = isinstance(engine.value, str) and engine.value.lower().startswith("aurora")
    return Field(aurora, engine.span, engine.origin, engine.provenance)
