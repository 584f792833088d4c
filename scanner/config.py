"""Project settings: `[tool.remit]` in pyproject.toml, or a `.remit.toml` (same keys, no prefix).

    [tool.remit]
    disable = ["LOG001"]            # rules not to run

    [tool.remit.rules.CMP002]       # a rule's options, as `remit explain ID` lists them
    min_days = 365

An unknown key, rule or option, or a value of the wrong type, is an error that
names the file and the key: a typo must not silently turn a control off.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.rules import Rule


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    disabled: frozenset[str] = frozenset()
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = ""  # the file it came from, for messages


def _toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None


def find_config(root: Path, explicit: Path | None, rules: tuple[Rule, ...]) -> Config:
    """The config given with --config, else `.remit.toml`, else pyproject's `[tool.remit]`, in `root`."""
    if explicit is not None:
        data = _toml(explicit)
        table = data.get("tool", {}).get("remit", data) if explicit.name == "pyproject.toml" else data
        return parse_config(table, str(explicit), rules)
    dotfile = root / ".remit.toml"
    if dotfile.is_file():
        return parse_config(_toml(dotfile), str(dotfile), rules)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        table = _toml(pyproject).get("tool", {}).get("remit")
        if table is not None:
            return parse_config(table, f"{pyproject} [tool.remit]", rules)
    return Config()


def parse_config(table: Any, source: str, rules: tuple[Rule, ...]) -> Config:
    by_id = {r.id: r for r in rules}
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: expected a table of settings")
    unknown = sorted(set(table) - {"disable", "rules"})
    if unknown:
        raise ConfigError(f"{source}: unknown setting {unknown[0]!r} (known: disable, rules)")
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(x, str) for x in disable):
        raise ConfigError(f"{source}: 'disable' must be a list of rule ids, e.g. [\"LOG001\"]")
    for rule_id in disable:
        if rule_id.upper() not in by_id:
            raise ConfigError(f"{source}: 'disable' names unknown rule {rule_id!r} ('remit rules' lists them)")
    settings: dict[str, dict[str, Any]] = {}
    rules_table = table.get("rules", {})
    if not isinstance(rules_table, dict):
        raise ConfigError(f"{source}: 'rules' must be a table of rule ids")
    for rule_id, values in rules_table.items():
        rule = by_id.get(rule_id.upper())
        if rule is None:
            raise ConfigError(f"{source}: [rules.{rule_id}]: no such rule ('remit rules' lists them)")
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: [rules.{rule_id}] must be a table of options")
        options = {o.name: o for o in rule.options}
        for name, value in values.items():
            option = options.get(name)
            if option is None:
                known = ", ".join(sorted(options)) or "none"
                raise ConfigError(f"{source}: [rules.{rule_id}]: unknown option {name!r} (options: {known})")
            if not _fits(value, option.default):
                raise ConfigError(f"{source}: [rules.{rule_id}] {name} must be "
                                  f"{_describe(option.default)}, not {value!r}")
        settings[rule.id] = dict(values)
    return Config(frozenset(r.upper() for r in disable), settings, source)


def _fits(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, list):
        kinds = {type(x) for x in default} or {str}
        return isinstance(value, list) and all(type(x) in kinds for x in value)
    return isinstance(value, type(default))


def _describe(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "a whole number"
    if isinstance(default, list):
        return "a list"
    return "a string"
