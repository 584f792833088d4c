"""Terraform configurations: root modules, the modules they call, and the values they get.

Every directory of `.tf` files is a module. A directory that some module in the
scan calls with a local `source` is evaluated only through those calls, with the
call's arguments as its inputs; every other directory is a root module, with
its defaults, its tfvars files and the command line's values. Module calls are
followed recursively; a local source outside the scanned root, a cycle of calls
and a remote source are refused with a diagnostic. Remote sources are never
fetched: the copies a previous `terraform init` left in `.terraform/modules` are
used when its `modules.json` names them.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.discover import Kind, SourceFile, classify
from scanner.parsing import ParsedFile
from scanner.resources import Resource
from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.terraform.evaluate import Context, Evaluator
from scanner.terraform.fetched import place_fetched
from scanner.terraform.inputs import TerraformInputs, VarFile, VarValue
from scanner.terraform.loader import ModuleLoader, ModuleSource, Placement, RawValue, relative_dir
from scanner.terraform.registry_models import Modelled
from scanner.terraform.registry_models import resolve as model_for
from scanner.values import Node

MAX_INSTANCES = 100_000  # resource instances in one configuration
MAX_MODULE_INSTANCES = 10_000  # module instances in one configuration
MAX_DEPTH = 32  # modules nested in modules
MAX_FILE = 1_000_000  # bytes read by file() and templatefile()
LOCAL_PREFIXES = ("./", "../")


class Configuration:
    """What the module instances of one root module share: where to find module directories,
    the files functions may read, the diagnostics, and the limits on expansion."""

    def __init__(self, root_dir: str, library: Callable[[str], ModuleSource | None],
                 reader: Callable[[str], str | None] | None = None,
                 manifest: dict[str, str] | None = None) -> None:
        self.root_dir = root_dir
        self.library = library
        self.reader = reader
        self.manifest = manifest or {}
        self.diagnostics: list[Diagnostic] = []
        self.reached: set[str] = {root_dir}
        self.max_depth = MAX_DEPTH
        self._instances_left = MAX_INSTANCES
        self._modules_left = MAX_MODULE_INSTANCES

    def path_module(self, directory: str) -> str:
        """`path.module`: the module's directory seen from the root module's."""
        return relative_dir(directory, self.root_dir)

    def take_instance(self, span: Span) -> bool:
        self._instances_left -= 1
        if self._instances_left == -1:
            self._diag(span, DiagnosticLevel.WARNING, "evaluation",
                       f"more than {MAX_INSTANCES} resource instances in the configuration of "
                       f"{self.root_dir}; the rest are not scanned")
        return self._instances_left >= 0

    def instances_exhausted(self) -> bool:
        return self._instances_left <= 0

    def take_module(self, span: Span) -> bool:
        self._modules_left -= 1
        if self._modules_left == -1:
            self._diag(span, DiagnosticLevel.WARNING, "evaluation",
                       f"more than {MAX_MODULE_INSTANCES} module instances in the configuration "
                       f"of {self.root_dir}; the rest are not scanned")
        return self._modules_left >= 0

    def resolve(self, block: s.Block, from_dir: str, key: str,
                stack: tuple[str, ...]) -> ModuleSource | Modelled | None:
        """The module a `module` block calls, or None with a diagnostic saying why."""
        name = block.labels[0]
        attr = block.body.attributes.get("source")
        source = Evaluator(Context()).safe(attr.expr).value if attr is not None else None
        if not isinstance(source, str):
            self._diag(block.span, DiagnosticLevel.WARNING, "module-not-resolved",
                       f"module {name!r}: source is not a literal string; its resources are not scanned")
            return None
        if source.startswith(LOCAL_PREFIXES):
            target = local_target(from_dir, source)
            if target is None:
                self._diag(attr.span, DiagnosticLevel.WARNING, "module-outside-root",
                           f"module {name!r}: source {source!r} is outside the scanned folder; "
                           "refused, its resources are not scanned")
                return None
        elif key in self.manifest:
            target = self.manifest[key]
        else:
            modelled = self._modelled(block, name, source)
            if modelled is not None:
                return modelled
            self._diag(block.span, DiagnosticLevel.NOTE, "module-not-resolved",
                       f"module {name!r}: remote source {source!r} is not fetched; "
                       "its resources are not scanned (run `terraform init` to have "
                       ".terraform/modules read)")
            return None
        if target in stack:
            cycle = " -> ".join([*stack[stack.index(target):], target])
            self._diag(block.span, DiagnosticLevel.WARNING, "module-cycle",
                       f"module {name!r}: the module calls form a cycle ({cycle}); not followed")
            return None
        module = self.library(target)
        if module is None:
            self._diag(block.span, DiagnosticLevel.WARNING, "module-not-found",
                       f"module {name!r}: no Terraform files in {target!r}; its resources are not scanned")
            return None
        self.reached.add(target)
        return module

    def _modelled(self, block: s.Block, name: str, source: str) -> Modelled | None:
        """A remote module remit has a built-in model of (scanner.terraform.registry_models)."""
        attr = block.body.attributes.get("version")
        version = Evaluator(Context()).safe(attr.expr).value if attr is not None else None
        found = model_for(source, None if version is None else str(version))
        if found is not None:
            remark = f"; {found.remark}" if found.remark else ""
            self._diag(block.span, DiagnosticLevel.NOTE, "module-modelled",
                       f"module {name!r}: remote source {source!r} is modelled, not fetched: "
                       f"remit's model of {found.model.address} {found.era.label} gives "
                       f"{found.model.covers}{remark}")
        return found

    def _diag(self, span: Span, level: DiagnosticLevel, code: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(span.file, span.start_line, span.start_column, level,
                                           code, message))


def local_target(from_dir: str, source: str) -> str | None:
    """The directory (relative to the scan root) of a local source; None when outside it."""
    source = source.split("?", 1)[0].rstrip("/") or "."
    target = posixpath.normpath(posixpath.join(from_dir, source))
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return None
    return target


@dataclass
class Library:
    """Module directories: those parsed already, and those read when first called (a module
    outside the paths given, or a copy in `.terraform/modules`)."""

    root: Path
    modules: dict[str, ModuleSource]
    extra: list[ParsedFile] = field(default_factory=list)
    _missing: set[str] = field(default_factory=set)

    def get(self, directory: str) -> ModuleSource | None:
        if directory in self.modules:
            return self.modules[directory]
        if directory in self._missing:
            return None
        module = self._read(directory)
        if module is None:
            self._missing.add(directory)
            return None
        self.modules[directory] = module
        return module

    def _read(self, directory: str) -> ModuleSource | None:
        from scanner.parsing import cached, parse_file

        top = self.root.resolve()
        folder = (self.root / directory).resolve()
        if not (folder == top or top in folder.parents) or not folder.is_dir():
            return None
        module = ModuleSource(directory)
        for path in sorted(folder.iterdir()):
            if classify(path) is not Kind.TERRAFORM or not path.is_file():
                continue
            rel = f"{directory}/{path.name}" if directory != "." else path.name
            source = SourceFile(rel, path, Kind.TERRAFORM)
            parsed = cached(source) or parse_file(source)
            self.extra.append(parsed)
            if parsed.body is not None:
                module.files.append((rel, parsed.body))
        return module if module.files else None


def load_configurations(parsed: list[ParsedFile], root: Path, inputs: TerraformInputs | None = None,
                        plans: list[Resource] | None = None,
                        ) -> tuple[list[Resource], list[Diagnostic], list[ParsedFile]]:
    """Every root module under the scan, with the modules it calls, as resource instances.

    `plans`: resources read from Terraform plan JSON files. They are placed in the sources
    when the plan sits in a root module's directory, and that root module is then checked
    from its plan only (the plan knows the values the static evaluation has to guess).

    Returns the resources, the diagnostics, and the files read beyond those given (module
    directories outside the paths scanned, `--var-file` files).
    """
    inputs = inputs or TerraformInputs()
    modules: dict[str, ModuleSource] = {}
    tfvars: dict[str, list[ParsedFile]] = {}
    by_rel: dict[str, ParsedFile] = {}
    for p in parsed:
        if p.body is None:
            continue
        by_rel[p.source.rel] = p
        folder = str(PurePosixPath(p.source.rel).parent)
        if p.source.kind is Kind.TFVARS:
            tfvars.setdefault(folder, []).append(p)
        else:
            modules.setdefault(folder, ModuleSource(folder)).files.append((p.source.rel, p.body))
    library = Library(root, modules)
    diags: list[Diagnostic] = []
    var_files, given_files = _var_files(inputs, root, by_rel, library, diags)

    from scanner.terraform.plan import place_in_sources

    planned = place_in_sources(plans or [], modules)
    calls = _static_calls(modules)
    called = {target for targets in calls.values() for target in targets}
    roots = [d for d in sorted(modules) if d not in called]
    covered = _reachable(roots, calls)
    for d in sorted(modules):  # directories called only from within a cycle of calls
        if d not in covered:
            roots.append(d)
            covered |= _reachable([d], calls)

    resources: list[Resource] = []
    for directory in sorted(roots):
        if directory in planned:
            continue
        given = _root_values(tfvars.get(directory, []), inputs, var_files)
        config = Configuration(directory, library.get, _file_reader(root, directory),
                               _manifest(root, directory))
        loader = ModuleLoader(modules[directory], given, config,
                              Placement(scope=directory, stack=(directory,)))
        for res in loader.load():
            place_fetched(res)
            resources.append(res)
        diags.extend(config.diagnostics)

    root_set = set(roots)
    for folder, files in tfvars.items():
        for p in files:
            if p.source.path.resolve() in given_files:
                continue
            if not _auto_loaded(p.source.rel):
                diags.append(_note(p, "variable file is not loaded automatically by Terraform; "
                                      "its values were not used (give it with --var-file)"))
            elif folder not in modules:
                diags.append(_note(p, "variable file without Terraform files beside it"))
            elif folder not in root_set:
                diags.append(_note(p, "variable file beside a module that other modules call; "
                                      "Terraform reads it only in a root module, so its values "
                                      "were not used"))
    return resources, diags, library.extra


def _note(p: ParsedFile, message: str) -> Diagnostic:
    return Diagnostic(p.source.rel, 0, 0, DiagnosticLevel.NOTE, "not-loaded", message)


def _static_calls(modules: dict[str, ModuleSource]) -> dict[str, set[str]]:
    """Directory -> the directories its `module` blocks call with a local source."""
    out: dict[str, set[str]] = {}
    for directory, module in modules.items():
        for _rel, body in module.files:
            for block in body.blocks_of("module"):
                attr = block.body.attributes.get("source")
                if attr is None or not isinstance(attr.expr, s.Literal):
                    continue
                source = attr.expr.value
                if isinstance(source, str) and source.startswith(LOCAL_PREFIXES):
                    target = local_target(directory, source)
                    if target is not None and target != directory:
                        out.setdefault(directory, set()).add(target)
    return out


def _reachable(starts: list[str], calls: dict[str, set[str]]) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for target in calls.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _auto_loaded(rel: str) -> bool:
    name = PurePosixPath(rel).name
    return name in ("terraform.tfvars", "terraform.tfvars.json") or name.endswith(
        (".auto.tfvars", ".auto.tfvars.json"))


def _tfvars_order(p: ParsedFile) -> tuple[int, str]:
    """Terraform's order: terraform.tfvars, then its JSON, then *.auto.tfvars in name order."""
    name = PurePosixPath(p.source.rel).name
    rank = {"terraform.tfvars": 0, "terraform.tfvars.json": 1}.get(name, 2)
    return rank, name


def _values(body: s.Body) -> dict[str, Node]:
    return {name: Evaluator(Context()).safe(attr.expr) for name, attr in body.attributes.items()}


def _root_values(files: list[ParsedFile], inputs: TerraformInputs,
                 var_files: dict[Path, s.Body | None]) -> dict[str, Node | RawValue]:
    given: dict[str, Node | RawValue] = {}
    for name, text in inputs.environment:
        given[name] = RawValue(text, f"TF_VAR_{name}")
    for p in sorted(files, key=_tfvars_order):
        if _auto_loaded(p.source.rel) and p.body is not None:
            given.update(_values(p.body))
    for item in inputs.items:
        if isinstance(item, VarFile):
            body = var_files.get(item.path)
            if body is not None:
                given.update(_values(body))
        elif isinstance(item, VarValue):
            given[item.name] = RawValue(item.text, "--var")
    return given


def _var_files(inputs: TerraformInputs, root: Path, by_rel: dict[str, ParsedFile], library: Library,
               diags: list[Diagnostic]) -> tuple[dict[Path, s.Body | None], set[Path]]:
    """The `--var-file` files, parsed (or taken from the scan when it holds them)."""
    from scanner.discover import relative
    from scanner.parsing import cached, parse_file

    out: dict[Path, s.Body | None] = {}
    resolved: set[Path] = set()
    for path in inputs.var_files:
        real = path.resolve()
        resolved.add(real)
        if path in out:
            continue
        rel = relative(path, root)
        known = by_rel.get(rel)
        if known is not None and known.source.path.resolve() == real:
            out[path] = known.body
            continue
        if not real.is_file():
            diags.append(Diagnostic(rel, 0, 0, DiagnosticLevel.ERROR, "unreadable",
                                    "--var-file: no such file"))
            out[path] = None
            continue
        source = SourceFile(rel, real, Kind.TFVARS)
        parsed = cached(source) or parse_file(source)
        library.extra.append(parsed)
        out[path] = parsed.body
    return out, resolved


def _manifest(root: Path, directory: str) -> dict[str, str]:
    """modules.json of a previous `terraform init` in a root module: key -> directory."""
    path = root / directory / ".terraform" / "modules" / "modules.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    out: dict[str, str] = {}
    for entry in data.get("Modules", []) if isinstance(data, dict) else []:
        if not isinstance(entry, dict):
            continue
        key, folder = entry.get("Key"), entry.get("Dir")
        if not key or not isinstance(key, str) or not isinstance(folder, str):
            continue
        target = local_target(directory, folder if folder.startswith(LOCAL_PREFIXES) else f"./{folder}")
        if target is not None:
            out[key] = target
    return out


def _file_reader(root: Path, folder: str) -> Callable[[str], str | None]:
    """file() and templatefile(): paths from the root module's directory, inside the scan root."""
    base = (root / folder).resolve()
    top = root.resolve()

    def read(path: str) -> str | None:
        target = (base / path).resolve()
        if top not in target.parents or not target.is_file() or target.stat().st_size > MAX_FILE:
            return None
        try:
            return target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    return read
