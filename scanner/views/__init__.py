"""Format-independent views of cloud resources. Rules read these and nothing else."""

from __future__ import annotations

from collections import defaultdict
from typing import TypeVar

from scanner.views.base import View

V = TypeVar("V", bound=View)


class ViewSet:
    """All views of one scan, by view class, in a deterministic order."""

    def __init__(self) -> None:
        self._views: dict[type[View], list[View]] = defaultdict(list)

    def add(self, view: View) -> None:
        self._views[type(view)].append(view)

    def of(self, cls: type[V]) -> list[V]:
        views = self._views.get(cls, [])
        return sorted(views, key=lambda v: (v.span, v.address, v.key))  # type: ignore[return-value]

    def extend(self, other: ViewSet) -> None:
        for items in other._views.values():
            for view in items:
                self.add(view)

    def count(self) -> int:
        return sum(len(v) for v in self._views.values())
