"""Conditions that are not known statically, checked both ways.

`var.public ? "0.0.0.0/0" : "10.0.0.0/8"` with `var.public` unknown evaluates
to a `Choice`. The rule remit follows: a value that *may* be wrong is a finding,
named with the condition it depends on ("... (when var.public is true)"); a
value that is simply unknown is still not a failure.

To do so, a configuration whose resources hold choices is checked once per
assignment of truth values to its conditions (a scenario), each resource copy
carrying its scenario; the engine then reports a failure found in some
scenarios only with the conditions under which it occurs, exactly as it does
for CloudFormation conditions. At most MAX_CONDITIONS conditions per
configuration are split this way (the first ones by name); any further choice
stays an unknown value.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from scanner.resources import Format, Resource
from scanner.terraform.evaluate import Choice, merge_provenance, respan
from scanner.values import Node

MAX_CONDITIONS = 3


def split(resources: list[Resource]) -> tuple[list[Resource], list[list[Resource]]]:
    """The resources that need no scenarios, and for each configuration with choices, one
    list of resource copies per scenario."""
    by_scope: dict[str, list[Resource]] = {}
    conditions: dict[str, set[str]] = {}
    plain: list[Resource] = []
    for res in resources:
        if res.format is not Format.TERRAFORM:
            plain.append(res)
            continue
        by_scope.setdefault(res.scope, []).append(res)
        found = _conditions(res.body)
        if found:
            conditions.setdefault(res.scope, set()).update(found)
    variants: list[list[Resource]] = []
    for scope, members in by_scope.items():
        names = sorted(conditions.get(scope, ()))[:MAX_CONDITIONS]
        if not names:
            plain.extend(members)
            continue
        total = 2 ** len(names)
        for values in itertools.product((True, False), repeat=len(names)):
            assignment = dict(zip(names, values, strict=True))
            scenario = tuple(sorted(assignment.items()))
            variants.append([
                replace(res, body=substitute(res.body, assignment), scenario=scenario,
                        scenario_total=total)
                for res in members
            ])
    return plain, variants


def _conditions(node: Node) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        v = n.value
        if isinstance(v, Choice):
            found.add(v.condition)
            stack.extend(v.options)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
        if n.encoded is not None:
            stack.append(n.encoded)
    return found


def substitute(node: Node, assignment: dict[str, bool]) -> Node:
    """The node with each choice on an assigned condition replaced by the chosen option,
    placed where the choice was used; untouched parts are shared, not copied."""
    v = node.value
    if isinstance(v, Choice):
        if v.condition not in assignment:
            return node
        chosen = v.options[0 if assignment[v.condition] else 1]
        origin = merge_provenance((chosen.span,) if chosen.span.file else (), chosen.provenance,
                                  node.provenance)
        return substitute(respan(chosen, node.span, origin), assignment)
    encoded = substitute(node.encoded, assignment) if node.encoded is not None else None
    if isinstance(v, dict):
        items = {k: substitute(n, assignment) for k, n in v.items()}
        if encoded is node.encoded and all(items[k] is v[k] for k in v):
            return node
        return Node(items, node.span, node.provenance, encoded)
    if isinstance(v, list):
        elements = [substitute(n, assignment) for n in v]
        if encoded is node.encoded and all(a is b for a, b in zip(elements, v, strict=True)):
            return node
        return Node(elements, node.span, node.provenance, encoded)
    if encoded is not node.encoded:
        return Node(v, node.span, node.provenance, encoded)
    return node
