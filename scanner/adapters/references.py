"""Values that stand for another resource's attribute: known to exist, not known in value.

`kms_key_id = aws_kms_key.logs.arn` or `KmsKeyId: !GetAtt LogKey.Arn` is not known before
deployment, but it certainly names a key. An adapter marks such an Unknown with the graph
ids of the resources it stands for (`Unknown.refs`), so a rule can tell "set to something
created or read in this configuration" from "not known at all" (a variable without value).
"""

from __future__ import annotations

from typing import TypeVar

from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Unknown

T = TypeVar("T")


def with_refs(graph: ResourceGraph, res: Resource, attribute: str, fld: Field[T]) -> Field[T]:
    """`fld`, its Unknown value naming the resources `res` references through `attribute`."""
    if not isinstance(fld.value, Unknown) or fld.value.refs:
        return fld
    targets = graph.targets(res, attribute)
    if not targets:
        return fld
    value = Unknown(fld.value.reason, tuple(t.id for t in targets))
    return Field(value, fld.span, fld.origin, fld.provenance)

