"""Read and parse one file; runs in worker processes, so everything returned pickles."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.cloudformation.options import CfnOptions
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.discover import Kind, SourceFile
from scanner.resources import Resource
from scanner.terraform.syntax import Body


@dataclass
class ParsedFile:
    source: SourceFile
    body: Body | None = None  # Terraform and tfvars
    resources: list[Resource] = field(default_factory=list)  # CloudFormation
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ours: bool = True  # False: a YAML/JSON file that is not CloudFormation


def read_text(source: SourceFile, raw: bytes | None = None) -> tuple[str | None, Diagnostic | None]:
    if raw is None:
        try:
            raw = source.path.read_bytes()
        except OSError as err:
            return None, _diag(source, 0, 0, "unreadable", f"cannot read the file: {err.strerror}")
    if b"\x00" in raw[:8192]:
        return None, _diag(source, 0, 0, "not-text", "binary file, not text; not scanned")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, _diag(source, line, 1, "not-text",
                           "not UTF-8 text; not scanned (save the file as UTF-8)")
    return text, None


def _cache_kind(source: SourceFile, cfn: CfnOptions | None) -> str:
    """The kind part of a cache key: CloudFormation results depend on the given options."""
    if source.kind is Kind.CLOUDFORMATION and cfn is not None:
        return source.kind.value + cfn.cache_tag()
    return source.kind.value


def cached(source: SourceFile, cfn: CfnOptions | None = None) -> ParsedFile | None:
    """The cached result for this file's current content, if any."""
    from scanner import cache

    try:
        raw = source.path.read_bytes()
    except OSError:
        return None
    hit = cache.load(cache.key(_cache_kind(source, cfn), source.rel, raw))
    if isinstance(hit, tuple) and len(hit) == 4:
        body, resources, diagnostics, ours = hit
        return ParsedFile(source, body, resources, diagnostics, ours)
    return None


def parse_file(source: SourceFile, cfn: CfnOptions | None = None) -> ParsedFile:
    """Parse one file and remember the result in the cache."""
    from scanner import cache

    try:
        raw = source.path.read_bytes()
    except OSError as err:
        out = ParsedFile(source)
        out.diagnostics.append(_diag(source, 0, 0, "unreadable", f"cannot read the file: {err.strerror}"))
        return out
    out = _parse(source, raw, cfn)
    cache.store(cache.key(_cache_kind(source, cfn), source.rel, raw),
                (out.body, out.resources, out.diagnostics, out.ours))
    return out


def _parse(source: SourceFile, raw: bytes, cfn: CfnOptions | None = None) -> ParsedFile:
    out = ParsedFile(source)
    text, problem = read_text(source, raw)
    if problem is not None:
        # A YAML/JSON file that is not readable text is ours only when it looks like a
        # template anyway (read as Latin-1, which decodes any bytes): then it is reported.
        out.ours = source.kind is not Kind.CLOUDFORMATION or _template_in_other_encoding(raw)
        if out.ours:
            out.diagnostics.append(problem)
        return out
    assert text is not None
    try:
        if source.kind is Kind.CLOUDFORMATION and source.rel.endswith(".json"):
            from scanner.terraform.plan import load_plan, looks_like_plan

            if looks_like_plan(text):  # `terraform show -json plan.out`
                out.resources, out.diagnostics = load_plan(text, source.rel)
                return out
        if source.kind is Kind.CLOUDFORMATION:
            from scanner.cloudformation.detect import looks_like_cloudformation

            if not looks_like_cloudformation(text):
                out.ours = False
                return out
            from scanner.cloudformation.loader import load_template

            out.resources, out.diagnostics = load_template(text, source.rel, cfn)
        else:
            out.body = _parse_terraform(text, source, out.diagnostics)
    except RecursionError:
        out.diagnostics.append(_diag(source, _deepest_line(text), 1, "too-deep",
                                     "nesting is too deep to analyse; the file was not scanned"))
    except Exception as err:
        out.diagnostics.append(_diag(source, 1, 1, "internal-error",
                                     f"remit failed on this file ({type(err).__name__}: {err}); "
                                     "please report it"))
    return out


def _deepest_line(text: str) -> int:
    """The line where brackets first nest deeper than anything a person writes (to point a
    too-deep diagnostic at); 1 when no such line is found."""
    depth, line = 0, 1
    for char in text:
        if char == "\n":
            line += 1
        elif char in "([{":
            depth += 1
            if depth > 100:
                return line
        elif char in ")]}":
            depth -= 1
    return 1


def _template_in_other_encoding(raw: bytes) -> bool:
    from scanner.cloudformation.detect import looks_like_cloudformation

    return b"\x00" not in raw[:8192] and looks_like_cloudformation(raw.decode("latin-1"))


def _parse_terraform(text: str, source: SourceFile, diags: list[Diagnostic]) -> Body | None:
    from scanner.terraform.parse import HclSyntaxError, parse_hcl

    if source.rel.endswith(".json"):  # .tf.json and .tfvars.json: Terraform's JSON syntax
        from scanner.terraform.json_syntax import config_body, tfvars_body

        try:
            if source.kind is Kind.TFVARS:
                return tfvars_body(text, source.rel)
            return config_body(text, source.rel)
        except HclSyntaxError as err:
            diags.append(_diag(source, err.line, err.column, "parse-error",
                               f"invalid Terraform JSON: {err.message}; the file was not scanned"))
            return None
    try:
        return parse_hcl(text, source.rel)
    except HclSyntaxError as err:
        diags.append(_diag(source, err.line, err.column, "parse-error",
                           f"HCL syntax error: {err.message}; the file was not scanned"))
        return None


def _diag(source: SourceFile, line: int, column: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(source.rel, line, column, DiagnosticLevel.ERROR, code, message)
