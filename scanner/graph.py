"""The resource graph: one node per resource, one edge per reference, labelled by attribute."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from scanner.resources import Resource

if TYPE_CHECKING:
    import networkx as nx


class ResourceGraph:
    """A networkx multigraph of resources, with the look-ups adapters need."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        import networkx as nx

        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        self._by_type: dict[str, list[Resource]] = {}
        for res in resources:
            self.graph.add_node(res.id, resource=res)
            self._by_type.setdefault(res.type, []).append(res)
        for res in self.resources():
            for ref in res.references:
                if ref.target in self.graph:
                    self.graph.add_edge(res.id, ref.target, attribute=ref.attribute)

    def resources(self) -> Iterator[Resource]:
        for _, data in self.graph.nodes(data="resource"):
            yield data

    def of_type(self, *types: str) -> list[Resource]:
        out: list[Resource] = []
        for t in types:
            out.extend(self._by_type.get(t, ()))
        return out

    def get(self, node_id: str) -> Resource | None:
        data = self.graph.nodes.get(node_id)
        return data["resource"] if data else None

    def referrers(self, target: Resource, types: Iterable[str], attribute: str | None = None) -> list[Resource]:
        """Resources of `types` that reference `target` (through `attribute`, if given)."""
        wanted = set(types)
        found: dict[str, Resource] = {}
        for src, _, attr in self.graph.in_edges(target.id, data="attribute"):
            res: Resource = self.graph.nodes[src]["resource"]
            if res.type in wanted and (attribute is None or _attr_matches(attr, attribute)):
                found[src] = res
        return [found[k] for k in sorted(found)]

    def targets(self, source: Resource, attribute: str | None = None) -> list[Resource]:
        """Resources that `source` references (through `attribute`, if given)."""
        found: dict[str, Resource] = {}
        for _, dst, attr in self.graph.out_edges(source.id, data="attribute"):
            if attribute is None or _attr_matches(attr, attribute):
                found[dst] = self.graph.nodes[dst]["resource"]
        return [found[k] for k in sorted(found)]


def _attr_matches(actual: str, wanted: str) -> bool:
    """`bucket` matches `bucket`; `ingress.security_groups` matches `ingress[0].security_groups`."""
    if actual == wanted:
        return True
    stripped = "".join(part.split("[", 1)[0] + "." for part in actual.split(".")).rstrip(".")
    return stripped == wanted
