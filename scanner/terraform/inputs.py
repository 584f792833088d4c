"""Values for root module variables given on the command line (or, on request, the environment).

Terraform's precedence, lowest first: variable defaults, `TF_VAR_*` environment
variables, `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and
`*.auto.tfvars.json` in name order, then `-var-file` and `-var` in command-line
order. These apply to root modules only; a module called by another gets its
values from the call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "TF_VAR_"


@dataclass(frozen=True)
class VarFile:
    path: Path


@dataclass(frozen=True)
class VarValue:
    name: str
    text: str


@dataclass(frozen=True)
class TerraformInputs:
    """`--var-file`/`--var` in command-line order, and the `TF_VAR_*` values (with `--env-vars`)."""

    items: tuple[VarFile | VarValue, ...] = ()
    environment: tuple[tuple[str, str], ...] = ()

    @property
    def var_files(self) -> tuple[Path, ...]:
        return tuple(i.path for i in self.items if isinstance(i, VarFile))

    @classmethod
    def from_command_line(cls, var_files: list[Path], assignments: list[str], order: list[str],
                          env: Mapping[str, str] | None = None) -> TerraformInputs:
        """`order` lists "file" and "var" in the order the options were given (when known);
        without it, files come before values."""
        files = iter(var_files)
        values = iter(parse_assignment(a) for a in assignments)
        items: list[VarFile | VarValue] = []
        kinds = order if sorted(order) == sorted(["file"] * len(var_files) + ["var"] * len(assignments)) \
            else ["file"] * len(var_files) + ["var"] * len(assignments)
        for kind in kinds:
            items.append(VarFile(next(files)) if kind == "file" else next(values))
        environment = tuple(sorted((k[len(ENV_PREFIX):], v) for k, v in (env or {}).items()
                                   if k.startswith(ENV_PREFIX) and len(k) > len(ENV_PREFIX)))
        return cls(tuple(items), environment)


def parse_assignment(text: str) -> VarValue:
    """`NAME=VALUE`; raises ValueError when there is no `=` or no name."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"--var expects NAME=VALUE, not {text!r}")
    return VarValue(name, value)
