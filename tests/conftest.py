import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "integration: slow tests that need npm or PyPI (deselect with -m 'not integration')",
    )
