"""What stands in front of an OpenSearch (Elasticsearch) domain's access policy, for the
adapters of both formats: a VPC, and fine-grained access control."""

from __future__ import annotations

from scanner.source import Span
from scanner.values import Field, Node, Unknown, to_bool


def in_vpc(options: Node | None, subnets: Node | None, block: Span) -> Field[bool]:
    """A domain with VPC options that name subnets is reachable only from inside the VPC."""
    if options is None or options.value is None:
        return Field.default(False, block)
    if options.unknown:
        return _unknown(options)
    if subnets is None or subnets.value is None:
        return Field(False, options.span)
    if subnets.unknown:
        return _unknown(subnets)
    return Field(bool(subnets.elements()), subnets.span, provenance=subnets.provenance)


def fine_grained(options: Node | None, enabled: Node | None, anonymous: Node | None,
                 block: Span) -> Field[bool]:
    """Fine-grained access control on, with anonymous access off (its default)."""
    if options is None or options.value is None:
        return Field.default(False, block)
    if options.unknown:
        return _unknown(options)
    on = to_bool(enabled.value) if enabled is not None and enabled.value is not None else False
    if isinstance(on, Unknown):
        return _unknown(enabled)
    if not on:
        return Field(False, enabled.span if enabled is not None else options.span)
    anon = to_bool(anonymous.value) if anonymous is not None and anonymous.value is not None else False
    if isinstance(anon, Unknown):
        return _unknown(anonymous)
    return Field(not anon, enabled.span, provenance=enabled.provenance)


def not_in_code(span: Span) -> Field[bool]:
    return Field(Unknown("the domain is not declared in the scanned code"), span)


def _unknown(node: Node | None) -> Field[bool]:
    assert node is not None
    reason = node.value if isinstance(node.value, Unknown) else Unknown("not a boolean")
    return Field(reason, node.span, provenance=node.provenance)
