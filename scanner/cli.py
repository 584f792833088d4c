"""The `remit` command. Heavy modules are imported inside commands, so `--version` is instant."""


import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from scanner import __version__

if TYPE_CHECKING:
    from scanner.config import Config


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"
    junit = "junit"


class Threshold(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"
    never = "never"


def _app(raw_args: list[str] | None = None):
    import typer

    app = typer.Typer(
        name="remit",
        help="Scan Terraform and CloudFormation for the customer's side of the cloud "
        "shared-responsibility model.",
        add_completion=False,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def _root(
        version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    ) -> None:
        if version:
            print(f"remit {__version__}")
            raise typer.Exit(0)

    @app.command()
    def scan(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders to scan.", show_default=False, metavar="PATH")],
        fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
        output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file.")] = None,
        fail_on: Annotated[Threshold, typer.Option(
            "--fail-on", help="Exit 1 when a finding has at least this severity ('never': only for unreadable files).")] = Threshold.low,
        no_color: Annotated[bool, typer.Option("--no-color", help="Plain text without colours.")] = False,
        verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show undecided checks and notes.")] = False,
        workers: Annotated[int | None, typer.Option("--workers", metavar="N", help="Parser processes (default: one per core).", min=1)] = None,
        no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the parse cache (~/.cache/remit).")] = False,
        cfn_param: Annotated[list[str] | None, typer.Option(
            "--cfn-param", metavar="NAME=VALUE",
            help="A CloudFormation parameter value, for every template that declares it (repeatable).")] = None,
        cfn_params: Annotated[list[Path] | None, typer.Option(
            "--cfn-params", metavar="FILE",
            help="CloudFormation parameter values: the JSON list of 'aws cloudformation create-stack "
            "--parameters' or {\"Parameters\": {...}} (repeatable; --cfn-param wins).")] = None,
        region: Annotated[str | None, typer.Option(
            "--region", metavar="REGION", help="The AWS region templates are deployed to (sets AWS::Region, AWS::Partition, AWS::URLSuffix).")] = None,
        var_file: Annotated[list[Path] | None, typer.Option(
            "--var-file", metavar="FILE",
            help="Terraform variable values (.tfvars or .tfvars.json) for every root module (repeatable).")] = None,
        var: Annotated[list[str] | None, typer.Option(
            "--var", metavar="NAME=VALUE",
            help="A Terraform root module variable value (repeatable; with --var-file, later wins).")] = None,
        env_vars: Annotated[bool, typer.Option(
            "--env-vars", help="Also read Terraform variable values from TF_VAR_* environment variables.")] = False,
        config_file: Annotated[Path | None, typer.Option(
            "--config", metavar="FILE",
            help="Settings file (default: .remit.toml, else [tool.remit] in pyproject.toml, in the scanned folder).")] = None,
    ) -> None:
        """Scan files and folders; findings go to standard output or --output."""
        missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
        if missing:
            _usage_error(f"path does not exist: {', '.join(missing)}", "scan")
        from scanner.engine import scan as run_scan

        if no_cache:
            os.environ["REMIT_NO_CACHE"] = "1"  # read by worker processes too

        config = _config(paths, config_file)
        tf_inputs = _tf_inputs(var_file or [], var or [], env_vars, raw_args)
        result = run_scan(paths, workers=workers, cfn=_cfn_options(cfn_param, cfn_params, region),
                          tf_inputs=tf_inputs, config=config)
        text = _render(result, fmt, output is None and not no_color and sys.stdout.isatty(), verbose)
        if output is None:
            sys.stdout.write(text)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as err:
                _usage_error(f"cannot write {output}: {err.strerror}", "scan")
            if fmt is not OutputFormat.text:
                from scanner.report.text import render as text_render

                sys.stderr.write(text_render(result, colour=False).splitlines()[-1] + "\n")
        raise typer.Exit(_exit_code(result, fail_on))

    @app.command()
    def rules(
        fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="text or json.")] = OutputFormat.text,
    ) -> None:
        """List the rule catalog: id, severity, duty, formats and title."""
        from checks.registry import RULES

        if fmt is OutputFormat.json:
            import json

            print(json.dumps([{"id": r.id, "name": r.name, "title": r.title, "severity": r.severity.label,
                               "domain": r.domain.label, "formats": list(r.formats),
                               "requires_options": [o.name for o in r.options if o.required]}
                              for r in RULES], indent=2))
            return
        for r in RULES:
            needs = [o.name for o in r.options if o.required]
            note = f" [runs once {', '.join(needs)} is set]" if needs else ""
            print(f"{r.id:<8}{r.severity.label:<10}{r.domain.label:<22}{'+'.join(f[:3] for f in r.formats):<9}"
                  f"{r.title}{note}")

    @app.command()
    def explain(rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. NET001.", show_default=False)]) -> None:
        """Print one rule's documentation: why it matters, how to fix it, references."""
        from checks.registry import BY_ID
        from scanner.explain import rule_text

        rule = BY_ID.get(rule_id.strip().upper())
        if rule is None:
            _usage_error(f"no rule {rule_id!r}; 'remit rules' lists them", "explain")
        print(rule_text(rule), end="")

    return app


def _cfn_options(params: list[str] | None, files: list[Path] | None, region: str | None):
    """CloudFormation options from the command line; a bad value is a usage error."""
    from scanner.cloudformation.options import CfnOptions, parse_parameter_option, read_parameters_file

    pairs: list[tuple[str, str]] = []
    try:
        for path in files or []:
            pairs.extend(read_parameters_file(path))
        pairs.extend(parse_parameter_option(text) for text in params or [])
    except ValueError as err:
        _usage_error(str(err), "scan")
    if region is not None and not region.strip():
        _usage_error("--region must not be empty", "scan")
    return CfnOptions(tuple(pairs), region.strip() if region else None)


def _tf_inputs(files: list[Path], assignments: list[str], env_vars: bool, raw_args: list[str] | None):
    """Terraform inputs from the command line, --var-file and --var in the order given."""
    from scanner.terraform.inputs import TerraformInputs

    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        _usage_error(f"--var-file: no such file: {', '.join(missing)}", "scan")
    order: list[str] = []
    args = iter(raw_args or [])
    for arg in args:
        if arg == "--":
            break
        if arg in ("--var-file", "--var"):
            order.append("file" if arg == "--var-file" else "var")
            next(args, None)
        elif arg.startswith(("--var-file=", "--var=")):
            order.append("file" if arg.startswith("--var-file=") else "var")
    try:
        return TerraformInputs.from_command_line(files, assignments, order,
                                                 os.environ if env_vars else None)
    except ValueError as err:
        _usage_error(str(err), "scan")


def _config(paths: list[Path], explicit: Path | None) -> "Config":
    from checks.registry import RULES
    from scanner.config import ConfigError, find_config
    from scanner.discover import scan_root

    if explicit is not None and not explicit.is_file():
        _usage_error(f"config file does not exist: {explicit}", "scan")
    try:
        return find_config(scan_root(paths), explicit, RULES)
    except ConfigError as err:
        _usage_error(f"bad settings: {err}", "scan")


def _render(result, fmt: OutputFormat, colour: bool, verbose: bool) -> str:
    if fmt is OutputFormat.sarif:
        from scanner.report.sarif import render
        return render(result)
    if fmt is OutputFormat.json:
        from scanner.report.json_report import render
        return render(result)
    if fmt is OutputFormat.markdown:
        from scanner.report.markdown import render
        return render(result)
    if fmt is OutputFormat.junit:
        from scanner.report.junit import render
        return render(result)
    from scanner.report.text import render
    return render(result, colour=colour, verbose=verbose)


def _exit_code(result, fail_on: Threshold) -> int:
    if result.failed_files:
        return 1
    if fail_on is Threshold.never:
        return 0
    from scanner.rules import Severity

    floor = Severity.parse(fail_on.value)
    return 1 if any(f.rule.severity >= floor for f in result.active) else 0


def _usage_error(message: str, command: str) -> None:
    sys.stderr.write(f"remit: error: {message}\nTry 'remit {command} --help'.\n")
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        print(f"remit {__version__}")
        return
    from typer.exceptions import Abort, Exit, TyperException

    try:
        code = _app(args)(args=args, prog_name="remit", standalone_mode=False)
    except Exit as err:
        raise SystemExit(err.exit_code) from None
    except Abort:
        sys.stderr.write("remit: aborted\n")
        raise SystemExit(130) from None
    except TyperException as err:  # usage errors: one line, no traceback
        ctx = getattr(err, "ctx", None)
        if type(err).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")
            raise SystemExit(0) from None
        command = ctx.command_path if ctx is not None else "remit"
        sys.stderr.write(f"remit: error: {err.format_message()}\nTry '{command} --help'.\n")
        raise SystemExit(getattr(err, "exit_code", 2)) from None
    except KeyboardInterrupt:
        sys.stderr.write("remit: interrupted\n")
        raise SystemExit(130) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
