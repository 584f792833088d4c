"""The EBS volumes of AWS::EC2::Instance, AWS::EC2::LaunchTemplate and
AWS::AutoScaling::LaunchConfiguration into Volume views, one per block device mapping (see
`scanner.adapters.instance_volumes`).

CloudFormation mappings do not say which device is the root: a mapping of a usual root
device name (or an unknown one) may be the AMI's root volume. An instance with no such
mapping still has a root volume, judged (undecided) at the resource.
"""

from __future__ import annotations

from scanner.adapters.cloudformation.common import bool_field, prop, resources, str_field
from scanner.adapters.instance_volumes import device_label, may_be_root, unknown_mappings
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.values import Field, Node
from scanner.views import ViewSet
from scanner.views.ec2 import Volume

# type -> the path to its BlockDeviceMappings
MAPPINGS = {
    "AWS::EC2::Instance": ("BlockDeviceMappings",),
    "AWS::EC2::LaunchTemplate": ("LaunchTemplateData", "BlockDeviceMappings"),
    "AWS::AutoScaling::LaunchConfiguration": ("BlockDeviceMappings",),
}
LABEL = "BlockDeviceMappings"


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    for kind, path in MAPPINGS.items():
        for res in resources(graph, kind):
            for volume in _volumes(res, prop(res, *path)):
                views.add(volume)


def _volumes(res: Resource, node: Node | None) -> list[Volume]:
    if node is not None and node.unknown:
        return [_volume(res, LABEL, unknown_mappings(node), None, from_image=True)]
    out: list[Volume] = []
    root_seen = False
    for i, mapping in enumerate(node.elements() if node is not None else []):
        if mapping.unknown:
            out.append(_volume(res, f"{LABEL}[{i}]", unknown_mappings(mapping), None, from_image=True))
            continue
        ebs = mapping.get("Ebs")
        if ebs is None or ebs.value is None:
            continue  # instance store (VirtualName) or NoDevice: no EBS volume
        name = mapping.get("DeviceName")
        label = device_label(LABEL, name, i)
        root = may_be_root(name)
        root_seen = root_seen or root
        if ebs.unknown:
            out.append(_volume(res, label, unknown_mappings(ebs), None, from_image=root))
            continue
        out.append(_volume(res, label, bool_field(ebs.get("Encrypted"), False, mapping.span), ebs,
                           from_image=root))
    if res.type == "AWS::EC2::Instance" and not root_seen:
        out.append(_volume(res, "root volume", Field.default(False, res.span), None, from_image=True))
    return out


def _volume(res: Resource, device: str, encrypted: Field[bool], ebs: Node | None, *,
            from_image: bool) -> Volume:
    span = ebs.span if ebs is not None else res.span
    return Volume(
        resource=res,
        encrypted=encrypted,
        kms_key_id=str_field(ebs.get("KmsKeyId") if ebs is not None else None, "", span),
        snapshot_id=str_field(ebs.get("SnapshotId") if ebs is not None else None, "", span),
        device=device,
        from_image=from_image,
    )
