"""Network ACL entries gathered into their ACLs, for every format.

An entry belongs to the ACL it references. One whose ACL is outside the configuration (a
literal id, a VPC's default ACL) is grouped with the other entries naming the same ACL; one
whose ACL cannot be known at all may belong to any ACL of its module, so it is offered to
each as a "maybe" entry (a deny among them may or may not shadow an allow).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Node
from scanner.views import ViewSet
from scanner.views.vpc import AclEntry, NetworkAcl


def gather(
    graph: ResourceGraph,
    views: ViewSet,
    acls: Iterable[tuple[Resource, list[AclEntry]]],
    entries: Iterable[tuple[Resource, AclEntry]],
    attribute: str,
    target: Callable[[Resource], Node | None],
    zone: Callable[[Resource], str],
) -> None:
    """Add a NetworkAcl view per ACL, per outside ACL named by entries, per unresolved entry.

    `acls` are the ACLs of the configuration with their inline entries; `entries` the entry
    resources; `attribute` the entry's attribute that names its ACL and `target` its node;
    `zone` tells which entries may share an unknown ACL (a module instance, a template).
    """
    acl_list = list(acls)
    acl_ids = {res.id for res, _ in acl_list}
    attached: dict[str, dict[str, AclEntry]] = {}
    outside: dict[tuple[str, str], list[tuple[Resource, AclEntry]]] = {}
    unresolved: dict[str, list[tuple[Resource, AclEntry]]] = {}
    for res, entry in entries:
        found = graph.targets(res, attribute)
        mine = [t for t in found if t.id in acl_ids]
        if mine:
            for acl in mine:
                # Copies of one entry resource (condition scenarios) count once.
                attached.setdefault(acl.id, {}).setdefault(res.address, entry)
            continue
        if found:
            outside.setdefault(("ref", found[0].id), []).append((res, entry))
            continue
        node = target(res)
        if node is not None and isinstance(node.value, str):
            outside.setdefault((res.scope, node.value), []).append((res, entry))
        else:
            unresolved.setdefault(zone(res), []).append((res, entry))

    def maybe(res: Resource, exclude: str | None = None) -> list[AclEntry]:
        return [e for r, e in unresolved.get(zone(res), []) if r.address != exclude]

    for acl, inline in acl_list:
        own = list(inline) + [attached[acl.id][k] for k in sorted(attached.get(acl.id, {}))]
        views.add(NetworkAcl(resource=acl, entries=own, maybe_entries=maybe(acl)))
    for key in sorted(outside):
        group = sorted(outside[key], key=lambda pair: pair[0].span)
        by_address = {r.address: e for r, e in group}
        views.add(NetworkAcl(resource=group[0][0], entries=list(by_address.values()),
                             maybe_entries=maybe(group[0][0])))
    for zone_entries in unresolved.values():
        seen: set[str] = set()
        for res, entry in zone_entries:
            if res.address in seen:
                continue
            seen.add(res.address)
            views.add(NetworkAcl(resource=res, entries=[entry], maybe_entries=maybe(res, res.address)))
