"""Adapters: resources plus their graph neighbours, turned into format-independent views."""

from __future__ import annotations

from scanner.graph import ResourceGraph
from scanner.views import ViewSet


def build_views(graph: ResourceGraph) -> ViewSet:
    from scanner.adapters import cloudformation, terraform

    views = ViewSet()
    terraform.adapt(graph, views)
    cloudformation.adapt(graph, views)
    return views
