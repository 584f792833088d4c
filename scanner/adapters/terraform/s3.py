"""aws_s3_bucket and its separate configuration resources, into Bucket views."""

from __future__ import annotations

from scanner.adapters.terraform.common import Attachments, block, field, name_of, terraform_resources
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.source import Span
from scanner.values import Field, Node, Origin, Unknown, to_bool, to_str
from scanner.views import ViewSet
from scanner.views.s3 import Bucket, DetachedAccessBlock, PublicAccessBlock

PAB_KEYS = ("block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets")


def adapt(graph: ResourceGraph, views: ViewSet) -> None:
    pabs = Attachments(graph, ["aws_s3_bucket_public_access_block"], "bucket")
    loggings = Attachments(graph, ["aws_s3_bucket_logging"], "bucket")
    versionings = Attachments(graph, ["aws_s3_bucket_versioning"], "bucket")
    encryptions = Attachments(graph, ["aws_s3_bucket_server_side_encryption_configuration"], "bucket")
    log_targets = Attachments(graph, ["aws_s3_bucket_logging"], "target_bucket")
    inline_targets = Attachments(graph, ["aws_s3_bucket"], "logging.target_bucket")
    account = terraform_resources(graph, "aws_s3_account_public_access_block")

    attached: set[str] = set()
    for res in terraform_resources(graph, "aws_s3_bucket"):
        name = name_of(res, "bucket")
        pab_list, pab_unknown = pabs.of(res, name)
        attached.update(p.id for p in pab_list)
        log_list, log_unknown = loggings.of(res, name)
        ver_list, ver_unknown = versionings.of(res, name)
        enc_list, enc_unknown = encryptions.of(res, name)
        targets, _ = log_targets.of(res, name)
        inline, _ = inline_targets.of(res, name)
        acl = res.body.get("acl")
        views.add(Bucket(
            resource=res,
            name=field(res, "bucket", "", res.span, to_str),
            public_access_block=_pab(res, pab_list, pab_unknown),
            account_public_access_block=_account_pab(res, account),
            logging_enabled=_logging(res, log_list, log_unknown),
            versioning_enabled=_versioning(res, ver_list, ver_unknown),
            encryption_algorithm=_encryption(res, enc_list, enc_unknown),
            is_log_target=bool(targets or [b for b in inline if b.id != res.id])
            or (acl is not None and acl.value == "log-delivery-write"),
        ))


    for res in terraform_resources(graph, "aws_s3_bucket_public_access_block"):
        if res.id not in attached:
            views.add(DetachedAccessBlock(res, _block_of(res, PAB_KEYS, res.span)))
    for res in account:  # the account-wide block is judged on its own too (CIS 2.1.4)
        views.add(DetachedAccessBlock(res, _block_of(res, PAB_KEYS, res.span)))


def _block_of(res: Resource, keys: tuple[str, ...], span: Span) -> PublicAccessBlock:
    fields = {k: field(res, k, False, res.span, to_bool) for k in keys}
    return PublicAccessBlock(**fields, span=span, owner=res.address)


def _pab(bucket: Resource, found: list[Resource], unknown: bool) -> PublicAccessBlock | None:
    if found:
        return _block_of(found[0], PAB_KEYS, found[0].span)
    if unknown:
        why = Unknown("a public access block in this module targets a bucket that is not known")
        fields = {k: Field(why, bucket.span.head()) for k in PAB_KEYS}
        return PublicAccessBlock(**fields, span=bucket.span, owner=bucket.address)
    return None


def _account_pab(bucket: Resource, account: list[Resource]) -> PublicAccessBlock | None:
    same = [r for r in account if r.scope == bucket.scope]
    return _block_of(same[0], PAB_KEYS, same[0].span) if same else None


def _logging(res: Resource, found: list[Resource], unknown: bool) -> Field[bool]:
    inline = block(res.body, "logging")
    if inline is not None:
        return Field(True, inline.span)
    if found:
        return Field(True, found[0].span)
    if unknown:
        return Field(Unknown("a logging configuration targets a bucket that is not known"), res.span.head())
    return Field.default(False, res.span)


def _versioning(res: Resource, found: list[Resource], unknown: bool) -> Field[bool]:
    for attachment in found:
        config = block(attachment.body, "versioning_configuration")
        status = config.get("status") if config is not None else None
        if status is None:
            continue
        if isinstance(status.value, Unknown):
            return Field(status.value, status.span, Origin.EXPLICIT, status.provenance)
        return Field(status.value == "Enabled", status.span, Origin.EXPLICIT, status.provenance)
    inline = block(res.body, "versioning")
    if inline is not None:
        enabled = inline.get("enabled")
        if enabled is not None:
            return Field(to_bool(enabled.value), enabled.span, Origin.EXPLICIT, enabled.provenance)
        return Field(False, inline.span)
    if unknown:
        return Field(Unknown("a versioning resource targets a bucket that is not known"), res.span.head())
    return Field.default(False, res.span)


def _encryption(res: Resource, found: list[Resource], unknown: bool) -> Field[str]:
    holders: list[Node] = [a.body for a in found]
    inline = block(res.body, "server_side_encryption_configuration")
    if inline is not None:
        holders.append(inline)
    for holder in holders:
        rule = block(holder, "rule")
        default = block(rule, "apply_server_side_encryption_by_default")
        algo = default.get("sse_algorithm") if default is not None else None
        if algo is not None:
            return Field(to_str(algo.value), algo.span, Origin.EXPLICIT, algo.provenance)
    if unknown:
        return Field(Unknown("an encryption configuration targets a bucket that is not known"),
                     res.span.head())
    return Field.default("AES256", res.span)
