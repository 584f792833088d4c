from __future__ import annotations

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "fixtures"
SHARED = PROJECT.parent / "shared"
MARKER = re.compile(r"(?:#|//)\s*remit:\s*([A-Z]{3}\d{3}(?:\s*,\s*[A-Z]{3}\d{3})*)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "integration: slow tests that need npm or PyPI (deselect with -m 'not integration')",
    )


def expected_marks(path: Path) -> set[tuple[str, Path, int]]:
    """(rule id, file, line) marked in a fixture: `# remit: ID` comments, or a `.expected` sidecar."""
    sidecar = path.with_name(path.name + ".expected")
    marks: set[tuple[str, Path, int]] = set()
    if sidecar.exists():
        for row in sidecar.read_text().split("\n"):
            if row.strip() and not row.startswith("#"):
                rule, line = row.split()
                marks.add((rule, path.resolve(), int(line)))
        return marks
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = MARKER.search(line)
        if m:
            for rule in m.group(1).split(","):
                marks.add((rule.strip(), path.resolve(), number))
    return marks


def shared_corpus(*parts: str) -> Path:
    """A path inside ../shared, or a clean skip when the shared folder is not beside the checkout."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(autouse=True, scope="session")
def _private_parse_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or fill the user's parse cache."""
    import os

    os.environ["REMIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("remit-cache"))
