"""Views and rule outcomes straight from Terraform or CloudFormation source text, for the
catalog's adapter tests."""

from __future__ import annotations

from typing import TypeVar

from checks.registry import BY_ID
from scanner.adapters.cloudformation import adapt as adapt_cfn
from scanner.adapters.terraform import adapt as adapt_tf
from scanner.cloudformation import load_template
from scanner.graph import ResourceGraph
from scanner.resources import Resource
from scanner.rules import Fail, Passed, Undecided
from scanner.terraform.loader import ModuleSource, load_module
from scanner.terraform.parse import parse_hcl
from scanner.views import ViewSet
from scanner.views.base import View

V = TypeVar("V", bound=View)


def tf_views(src: str) -> ViewSet:
    resources, diagnostics = load_module(ModuleSource(".", [("main.tf", parse_hcl(src, "main.tf"))]))
    assert not [d for d in diagnostics if d.level.name == "ERROR"], diagnostics
    views = ViewSet()
    adapt_tf(ResourceGraph(resources), views)
    return views


def cfn_views(text: str) -> ViewSet:
    resources: list[Resource]
    resources, diagnostics = load_template(text, "t.yaml")
    assert diagnostics == []
    views = ViewSet()
    adapt_cfn(ResourceGraph(resources), views)
    return views


def tf(cls: type[V], src: str) -> dict[str, V]:
    return {v.address + (f"#{v.key}" if v.key else ""): v for v in tf_views(src).of(cls)}


def cfn(cls: type[V], text: str) -> dict[str, V]:
    return {v.address + (f"#{v.key}" if v.key else ""): v for v in cfn_views(text).of(cls)}


def outcome(rule_id: str, view: View) -> type:
    kinds = {type(o) for o in BY_ID[rule_id].outcomes(view)}
    for kind in (Fail, Undecided, Passed):
        if kind in kinds:
            return kind
    raise AssertionError(kinds)
