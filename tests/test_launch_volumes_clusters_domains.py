"""DAT003 on instance and launch template volumes, DAT004 on Neptune and DocumentDB clusters,
DAT019 on search domain policies: from source text to the views the rules read."""

from __future__ import annotations

from typing import TypeVar

from checks.data_protection import ebs_encryption, messaging_policy_public, rds_encryption
from scanner.adapters import cloudformation as cfn_adapters
from scanner.adapters import terraform as tf_adapters
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.rules import Fail, Passed, Undecided
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.views import ViewSet
from scanner.views.base import View
from scanner.views.ec2 import Volume
from scanner.views.rds import DatabaseStorage
from scanner.views.resource_policies import MessagingPolicy

V = TypeVar("V", bound=View)


def tf(cls: type[V], src: str) -> list[V]:
    resources, _ = load_module(ModuleSource(".", [("main.tf", parse_hcl(src, "main.tf"))]), {})
    views = ViewSet()
    tf_adapters.adapt(ResourceGraph(resources), views)
    return views.of(cls)


def cfn(cls: type[V], text: str) -> list[V]:
    resources, diagnostics = load_template(text, "t.yaml")
    assert diagnostics == []
    views = ViewSet()
    cfn_adapters.adapt(ResourceGraph(resources), views)
    return views.of(cls)


def kinds(rule, views) -> dict[str, str]:
    out = {}
    for v in views:
        results = list(rule.RULE.outcomes(v))
        out[f"{v.address}#{v.key}"] = ",".join(sorted({type(r).__name__ for r in results}))
    return out


def test_terraform_instance_volumes_root_and_data_devices() -> None:
    views = tf(Volume, """
resource "aws_instance" "a" {
  ami = "ami-1"
  ebs_block_device {
    device_name = "/dev/sdf"
  }
  ebs_block_device {
    device_name = "/dev/sdg"
    snapshot_id = "snap-1"
  }
}
resource "aws_launch_template" "t" {
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 8
    }
  }
  block_device_mappings {
    device_name  = "/dev/sdb"
    virtual_name = "ephemeral0"
  }
}
""")
    assert kinds(ebs_encryption, views) == {
        "aws_instance.a#root_block_device": "Undecided",
        "aws_instance.a#ebs_block_device[/dev/sdf]": "Fail",
        "aws_instance.a#ebs_block_device[/dev/sdg]": "Undecided",
        "aws_launch_template.t#block_device_mappings[/dev/xvda]": "Undecided",
    }
    root = next(v for v in views if v.device == "root_block_device")
    assert root.from_image and root.span.start_line == 2


def test_terraform_encryption_by_default_passes_instance_volumes() -> None:
    views = tf(Volume, """
resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}
resource "aws_launch_configuration" "c" {
  root_block_device {
    encrypted = false
  }
}
""")
    assert set(kinds(ebs_encryption, views).values()) == {"Passed"}


def test_cloudformation_instance_without_root_mapping_is_undecided() -> None:
    views = cfn(Volume, """
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      BlockDeviceMappings:
        - DeviceName: /dev/sdf
          Ebs:
            Encrypted: false
        - DeviceName: /dev/sdc
          NoDevice: {}
""")
    outcomes = {v.device: next(iter(ebs_encryption.RULE.outcomes(v))) for v in views}
    assert isinstance(outcomes["BlockDeviceMappings[/dev/sdf]"], Fail)
    assert outcomes["BlockDeviceMappings[/dev/sdf]"].span.start_line == 10
    assert isinstance(outcomes["root volume"], Undecided)
    assert len(outcomes) == 2


def test_neptune_and_docdb_clusters_default_to_unencrypted() -> None:
    views = tf(DatabaseStorage, """
resource "aws_neptune_cluster" "g" {
  cluster_identifier = "g"
}
resource "aws_docdb_cluster" "d" {
  storage_encrypted = true
}
""") + cfn(DatabaseStorage, """
Resources:
  N:
    Type: AWS::Neptune::DBCluster
    Properties:
      SnapshotIdentifier: snap
  D:
    Type: AWS::DocDB::DBCluster
    Properties:
      StorageEncrypted: "false"
""")
    results = {v.address: next(iter(rds_encryption.RULE.outcomes(v))) for v in views}
    assert isinstance(results["aws_neptune_cluster.g"], Fail)
    assert "Neptune cluster" in results["aws_neptune_cluster.g"].message
    assert isinstance(results["aws_docdb_cluster.d"], Passed)
    assert isinstance(results["N"], Undecided)
    assert isinstance(results["D"], Fail) and "DocumentDB cluster" in results["D"].message


OPEN = 'jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "es:*" }] })'


def test_domain_policy_vpc_and_fine_grained_access_decide() -> None:
    views = tf(MessagingPolicy, f"""
resource "aws_opensearch_domain" "public" {{
  domain_name     = "public"
  access_policies = {OPEN}
}}
resource "aws_opensearch_domain" "vpc" {{
  domain_name = "vpc"
  vpc_options {{
    subnet_ids = ["subnet-1"]
  }}
  access_policies = {OPEN}
}}
resource "aws_elasticsearch_domain" "fgac" {{
  domain_name = "fgac"
  advanced_security_options {{
    enabled                = true
    anonymous_auth_enabled = true
  }}
}}
resource "aws_elasticsearch_domain_policy" "fgac" {{
  domain_name     = aws_elasticsearch_domain.fgac.domain_name
  access_policies = {OPEN}
}}
""")
    assert kinds(messaging_policy_public, views) == {
        "aws_opensearch_domain.public#": "Fail",
        "aws_opensearch_domain.vpc#": "Passed",
        # anonymous access on: fine-grained access control lets anyone in
        "aws_elasticsearch_domain_policy.fgac#": "Fail",
    }
