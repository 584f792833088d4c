"""Facts about the EBS volumes EC2 creates at launch, shared by the adapters of both formats.

An instance, launch template or launch configuration names its volumes in block device
mappings. A mapping with a snapshot takes the snapshot's encryption; the root volume (and any
device the AMI itself maps) is restored from the AMI's snapshot and keeps its encryption unless
the mapping sets one; any other EBS mapping is a new, blank volume, not encrypted unless asked
for or unless EBS encryption by default is on.
"""

from __future__ import annotations

from scanner.values import Field, Node, Unknown

# The names AMIs give their root device (Linux: /dev/xvda or /dev/sda1; Windows: /dev/sda1).
# In a launch template or a CloudFormation mapping, which do not say which device is the root,
# a mapping of one of these may be the AMI's root volume.
ROOT_DEVICE_NAMES = frozenset(("/dev/sda1", "/dev/sda", "/dev/xvda", "sda1", "sda", "xvda"))


def may_be_root(device_name: Node | None) -> bool:
    """Whether a mapping of `device_name` may be the AMI's root device (unknown names may)."""
    if device_name is None or isinstance(device_name.value, Unknown):
        return True
    return not isinstance(device_name.value, str) or device_name.value.strip().lower() in ROOT_DEVICE_NAMES


def device_label(kind: str, device_name: Node | None, index: int) -> str:
    """`ebs_block_device[/dev/sdf]`, or the mapping's position when its name is not known."""
    name = device_name.value if device_name is not None and isinstance(device_name.value, str) else index
    return f"{kind}[{name}]"


def unknown_mappings(node: Node) -> Field[bool]:
    """The encryption of volumes whose mappings as a whole are not known."""
    reason = node.value if isinstance(node.value, Unknown) else Unknown("the block device mappings are not known")
    return Field(reason, node.span, provenance=node.provenance)
