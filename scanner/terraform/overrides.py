"""Terraform override files: `override.tf`, `*_override.tf` and their `.tf.json` forms.

Terraform reads a module's override files after its other files, in the lexical order of
their names, and merges each of their blocks into the block of the same kind and labels:
an argument replaces the argument of the same name, and nested blocks of one type (static
or `dynamic`) replace every nested block of that type, except `lifecycle`, which merges
argument by argument. `locals` override one local value at a time. A scanner that read an
override file as one more file would judge the value that Terraform throws away.

Blocks that override nothing (Terraform rejects them) are kept as written; `terraform`
and `provider` blocks pass through unmerged.
"""

from __future__ import annotations

import posixpath

from scanner.terraform import syntax as s

MERGED = ("resource", "data", "module", "variable", "output")


def is_override(path: str) -> bool:
    name = posixpath.basename(path)
    return name in ("override.tf", "override.tf.json") or name.endswith(
        ("_override.tf", "_override.tf.json"))


def merge_overrides(files: list[tuple[str, s.Body]]) -> list[tuple[str, s.Body]]:
    """The module's files with their override files merged in (unchanged when it has none)."""
    overrides = sorted(((p, b) for p, b in files if is_override(p)),
                       key=lambda f: posixpath.basename(f[0]))
    if not overrides:
        return files
    primary = [(p, s.Body(dict(b.attributes), list(b.blocks))) for p, b in files if not is_override(p)]
    for path, body in overrides:
        extra = s.Body()
        for block in body.blocks:
            if block.type == "locals":
                _override_locals(primary, block, extra)
            elif block.type not in MERGED or not _override_block(primary, block):
                extra.blocks.append(block)
        if extra.blocks:
            primary.append((path, extra))
    return primary


def _override_block(files: list[tuple[str, s.Body]], over: s.Block) -> bool:
    for _path, body in files:
        for i, block in enumerate(body.blocks):
            if block.type == over.type and block.labels == over.labels:
                body.blocks[i] = s.Block(block.type, block.labels, _merge_body(block.body, over.body),
                                         block.span)
                return True
    return False


def _merge_body(base: s.Body, over: s.Body) -> s.Body:
    attributes = {**base.attributes, **over.attributes}
    replaced = {_nested_type(b) for b in over.blocks if b.type != "lifecycle"}
    blocks = [b for b in base.blocks if _nested_type(b) not in replaced]
    for b in over.blocks:
        if b.type == "lifecycle":
            original = next((i for i, x in enumerate(blocks) if x.type == "lifecycle"), None)
            if original is not None:
                old = blocks[original]
                blocks[original] = s.Block(old.type, old.labels, _merge_body(old.body, b.body), old.span)
                continue
        blocks.append(b)
    return s.Body(attributes, blocks)


def _nested_type(block: s.Block) -> str:
    """A `dynamic "ingress"` block stands for `ingress` blocks."""
    if block.type == "dynamic" and block.labels:
        return block.labels[0]
    return block.type


def _override_locals(files: list[tuple[str, s.Body]], over: s.Block, extra: s.Body) -> None:
    left: dict[str, s.Attribute] = {}
    for name, attr in over.body.attributes.items():
        for _path, body in files:
            index = next((i for i, b in enumerate(body.blocks)
                          if b.type == "locals" and name in b.body.attributes), None)
            if index is not None:
                old = body.blocks[index]
                attrs = dict(old.body.attributes)
                attrs[name] = attr
                body.blocks[index] = s.Block(old.type, old.labels, s.Body(attrs, old.body.blocks), old.span)
                break
        else:
            left[name] = attr
    if left:
        extra.blocks.append(s.Block("locals", [], s.Body(left), over.span))
