"""Shared by the rules on policies: can an Action, Resource or Principal value be "every
action" or "*", or match a given action. Not a rule module.

Each answer is True (it is), False (it cannot be) or None (it depends on what is not known).
A value partly known (`Unknown.known`, each unknown piece marked `Unknown.PIECE`) is judged
by its widest reading: every unknown piece read as the wildcard "*".
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from scanner.values import Field, Unknown

# Two action names with no letter in common: a pattern that matches both has no literal text
# but ":" and is wide enough for every real action (service prefixes and names are not empty).
_PROBES = ("a:b", "cdefgh-ijk:lmnopqrs")


def widest(field: Field[str]) -> str | None:
    """The value as a pattern, unknown pieces as "*"; None when nothing of it is known."""
    value = field.value
    if isinstance(value, Unknown):
        return value.known.replace(Unknown.PIECE, "*") if value.known else None
    return value if isinstance(value, str) else None


def _all_actions(pattern: str) -> bool:
    text = pattern.strip().lower()
    return all(fnmatchcase(probe, text) for probe in _PROBES)


def every_action(field: Field[str]) -> bool | None:
    """Whether an Action value matches every action ("*", "*:*")."""
    pattern = widest(field)
    if pattern is None:
        return None
    if not _all_actions(pattern):
        return False
    return None if field.unknown else True


def is_star(field: Field[str]) -> bool | None:
    """Whether a Resource (or Principal) value is "*". Known text besides the unknown pieces
    rules it out (`arn:<PIECE>:s3:::<PIECE>/*` names objects of one bucket, whatever the pieces
    are; `arn:aws:iam::<PIECE>:root` is one account)."""
    pattern = widest(field)
    if pattern is None:
        return None
    if field.unknown:
        return None if set(pattern.strip()) <= {"*"} else False
    return pattern.strip() == "*"


def matches_action(field: Field[str], action: str) -> bool | None:
    """Whether an Action (or NotAction) value matches `action` (IAM compares case-insensitively)."""
    pattern = widest(field)
    if pattern is None:
        return None
    if not fnmatchcase(action.lower(), pattern.strip().lower()):
        return False
    return None if field.unknown else True
