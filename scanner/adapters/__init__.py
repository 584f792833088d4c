"""Adapters: resources plus their graph neighbours, turned into format-independent views."""

from __future__ import annotations

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.graph import ResourceGraph
from scanner.views import ViewSet


def build_views(graph: ResourceGraph) -> tuple[ViewSet, list[Diagnostic]]:
    """Every view of the graph. A failing adapter costs its service, not the scan."""
    from scanner.adapters import cloudformation, terraform

    views = ViewSet()
    problems: list[Diagnostic] = []
    for fmt, services in (("Terraform", terraform.SERVICES), ("CloudFormation", cloudformation.SERVICES)):
        for service in services:
            try:
                service.adapt(graph, views)
            except Exception as err:  # reported; the scan goes on
                name = service.__name__.rsplit(".", 1)[-1]
                problems.append(Diagnostic(
                    "", 0, 0, DiagnosticLevel.ERROR, "internal-error",
                    f"remit failed while reading {fmt} {name} resources ({type(err).__name__}: {err}); "
                    "their checks were skipped; please report it"))
    return views, problems
