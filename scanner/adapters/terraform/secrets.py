"""aws_secretsmanager_secret and aws_secretsmanager_secret_rotation into Secret views."""

from __future__ import annotations

from scanner.adapters.terraform.common import Attachments, block, name_of, terraform_resources
from scanner.graph import ResourceGraph
from scanner.values import Field, Origin, Unknown
from scanner.views import ViewSet
from scanner.views.secrets import Secret


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    rotations = Attachments(graph, ["aws_secretsmanager_secret_rotation"], "secret_id")
    for res in terraform_resources(graph, "aws_secretsmanager_secret"):
        found, unresolved = rotations.of(res, name_of(res, "name"))
        inline = block(res.body, "rotation_rules")  # AWS provider < 5: rules on the secret itself
        if found:
            rotation: Field[bool] = Field(True, found[0].span.head())
        elif inline is not None and inline.value is not None:
            rotation = Field(True, inline.span, Origin.EXPLICIT, inline.provenance)
        elif unresolved:
            rotation = Field(Unknown("a rotation in this module names a secret that is not known"),
                             res.span.head())
        else:
            rotation = Field.default(False, res.span)
        views.add(Secret(res, rotation=rotation))
