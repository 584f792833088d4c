"""AWS::SecretsManager::Secret and AWS::SecretsManager::RotationSchedule into Secret views."""

from __future__ import annotations

from scanner.adapters.cloudformation.common import prop, resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Unknown
from scanner.views import ViewSet
from scanner.views.secrets import Secret

SECRET = "AWS::SecretsManager::Secret"
ROTATION = "AWS::SecretsManager::RotationSchedule"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    by_name: dict[tuple[str, str], list[Resource]] = {}
    unresolved: set[str] = set()
    for rotation in resources(graph, ROTATION):
        node = prop(rotation, "SecretId")
        if node is None:
            continue
        if isinstance(node.value, str):
            by_name.setdefault((rotation.scope, node.value), []).append(rotation)
        elif node.unknown and not graph.targets(rotation, "SecretId"):
            unresolved.add(rotation.scope)
    for secret in resources(graph, SECRET):
        found = {r.id: r for r in graph.referrers(secret, [ROTATION], "SecretId")}
        name = prop(secret, "Name")
        if name is not None and isinstance(name.value, str):
            found.update((r.id, r) for r in by_name.get((secret.scope, name.value), ()))
        if found:
            rotation: Field[bool] = Field(True, found[sorted(found)[0]].span.head())
        elif secret.scope in unresolved:
            rotation = Field(Unknown("a rotation schedule in this template names a secret that is not known"),
                             secret.span.head())
        else:
            rotation = Field.default(False, secret.span)
        views.add(Secret(secret, rotation=rotation))
