"""Edges written as names: an attachment resource that names its target literally.

`Ref`, `Fn::GetAtt` and `${...}` in `Fn::Sub` become graph edges as they are
evaluated. Some attachments may instead name their target by its physical
name: a bucket policy's `Bucket: my-logs`, an IAM policy's `Roles: [app-role]`,
an ingress rule's `GroupName: web`. When a resource of the same template is
given that name (`BucketName: my-logs`), the attachment gets an edge to it,
labelled with the property path that holds the name, like any other reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scanner.resources import Reference, Resource
from scanner.source import Span
from scanner.values import Node

# Resource type -> the property that holds its physical name.
NAME_PROPERTIES: dict[str, str] = {
    "AWS::S3::Bucket": "BucketName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::EC2::SecurityGroup": "GroupName",
}

# Attachment type -> (property, target type); a property may hold a list of names.
ATTACHMENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "AWS::S3::BucketPolicy": (("Bucket", "AWS::S3::Bucket"),),
    "AWS::S3::Bucket": (("LoggingConfiguration.DestinationBucketName", "AWS::S3::Bucket"),),
    "AWS::IAM::Policy": (("Roles", "AWS::IAM::Role"), ("Users", "AWS::IAM::User"),
                         ("Groups", "AWS::IAM::Group")),
    "AWS::IAM::ManagedPolicy": (("Roles", "AWS::IAM::Role"), ("Users", "AWS::IAM::User"),
                                ("Groups", "AWS::IAM::Group")),
    "AWS::IAM::InstanceProfile": (("Roles", "AWS::IAM::Role"),),
    "AWS::IAM::UserToGroupAddition": (("GroupName", "AWS::IAM::Group"),
                                      ("Users", "AWS::IAM::User")),
    "AWS::EC2::SecurityGroupIngress": (("GroupName", "AWS::EC2::SecurityGroup"),),
    "AWS::EC2::SecurityGroupEgress": (("GroupName", "AWS::EC2::SecurityGroup"),),
}


@dataclass(frozen=True)
class NameLink:
    source: int  # indexes into the entries given
    target: int
    attribute: str
    span: Span


def name_links(entries: list[tuple[dict[str, bool], str, Node]]) -> Iterator[NameLink]:
    """Name edges among (scenario, type, body) entries of one template, same scenario only."""
    named: dict[tuple[str, str], list[int]] = {}
    for index, (_, rtype, body) in enumerate(entries):
        prop = NAME_PROPERTIES.get(rtype)
        node = body.get(prop) if prop is not None else None
        if node is not None and isinstance(node.value, str) and node.value:
            named.setdefault((rtype, node.value), []).append(index)
    if not named:
        return
    for index, (truth, rtype, body) in enumerate(entries):
        for path, target_type in ATTACHMENTS.get(rtype, ()):
            for attribute, node in _names(body, path):
                for other in named.get((target_type, node.value), ()):
                    if other != index and _consistent(truth, entries[other][0]):
                        yield NameLink(index, other, attribute, node.span)


def link_by_name(copies: list[tuple[dict[str, bool], Resource]]) -> None:
    """Add name edges between the resource copies of one template (same scenario only)."""
    entries = [(truth, res.type, res.body) for truth, res in copies]
    for link in name_links(entries):
        source, target = copies[link.source][1], copies[link.target][1]
        ref = Reference(target.id, link.attribute, link.span)
        if ref not in source.references:
            source.references.append(ref)


def _names(body: Node, path: str) -> Iterator[tuple[str, Node]]:
    node: Node | None = body
    for step in path.split("."):
        node = node.get(step) if node is not None else None
    if node is None:
        return
    if isinstance(node.value, str):
        yield path, node
    elif isinstance(node.value, list):
        for index, item in enumerate(node.value):
            if isinstance(item.value, str):
                yield f"{path}[{index}]", item


def _consistent(a: dict[str, bool], b: dict[str, bool]) -> bool:
    return all(a[k] == b[k] for k in a.keys() & b.keys())
