"""Writers for scan results: text, JSON, SARIF, Markdown, JUnit XML."""
