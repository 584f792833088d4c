"""The EBS volumes of aws_instance, aws_launch_configuration and aws_launch_template into
Volume views, one per block device (see `scanner.adapters.instance_volumes`)."""

from __future__ import annotations

from scanner.adapters.instance_volumes import device_label, may_be_root, unknown_mappings
from scanner.adapters.terraform.common import field, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Node, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.ec2 import Volume

# Resources whose root volume and extra volumes are separate blocks.
SPLIT_TYPES = ("aws_instance", "aws_launch_configuration")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    defaults = terraform_resources(graph, "aws_ebs_encryption_by_default")
    for res in terraform_resources(graph, *SPLIT_TYPES, "aws_launch_template"):
        same = [d for d in defaults if d.scope == res.scope]
        default = field(same[0], "enabled", True, same[0].span, to_bool) if same else None
        if res.type == "aws_launch_template":
            volumes = _template_volumes(res)
        else:
            volumes = _root_volume(res) + _extra_volumes(res)
        for volume in volumes:
            volume.default_encryption = default
            views.add(volume)


def _root_volume(res: Resource) -> list[Volume]:
    """The root volume: from the AMI's snapshot unless `root_block_device` sets `encrypted`.

    An instance without a `root_block_device` still has one, which is judged (undecided)
    at the resource, so that verbose output says why nothing is reported.
    """
    node = res.body.get("root_block_device")
    blocks = node.elements() if node is not None else []
    if node is not None and node.unknown:
        return [_volume(res, "root_block_device", None, res.span, unknown=node)]
    if not blocks:
        return [_volume(res, "root_block_device", None, res.span)]
    return [_volume(res, "root_block_device", blocks[0], blocks[0].span)]


def _extra_volumes(res: Resource) -> list[Volume]:
    node = res.body.get("ebs_block_device")
    if node is None:
        return []
    if node.unknown:
        return [_volume(res, "ebs_block_device", None, node.span, unknown=node)]
    return [_volume(res, device_label("ebs_block_device", b.get("device_name"), i), b, b.span,
                    from_image=False)
            for i, b in enumerate(node.elements()) if isinstance(b.value, dict)]


def _template_volumes(res: Resource) -> list[Volume]:
    """`block_device_mappings { device_name = ... ebs { ... } }`: mappings without `ebs`
    (instance store, `no_device`) make no EBS volume."""
    node = res.body.get("block_device_mappings")
    if node is None:
        return []
    if node.unknown:
        return [_volume(res, "block_device_mappings", None, node.span, unknown=node)]
    out = []
    for i, mapping in enumerate(node.elements()):
        ebs = mapping.get("ebs")
        if ebs is None or ebs.value is None:
            continue
        name = mapping.get("device_name")
        label = device_label("block_device_mappings", name, i)
        if ebs.unknown:
            out.append(_volume(res, label, None, ebs.span, unknown=ebs))
            continue
        for block in ebs.elements()[:1]:
            out.append(_volume(res, label, block, block.span, from_image=may_be_root(name)))
    return out


def _volume(res: Resource, device: str, block: Node | None, span: Span, *, from_image: bool = True,
            unknown: Node | None = None) -> Volume:
    return Volume(
        resource=res,
        encrypted=unknown_mappings(unknown) if unknown is not None
        else field(block, "encrypted", False, span, to_bool),
        kms_key_id=field(block, "kms_key_id", "", span, to_str),
        snapshot_id=field(block, "snapshot_id", "", span, to_str),
        device=device,
        from_image=from_image,
    )

