"""The SAM transform (`Transform: AWS::Serverless-2016-10-31`), applied offline.

A template with the SAM transform is translated by `aws-sam-translator` (imported
here, and only for such a template: it costs about a third of a second) into the
plain CloudFormation template that CloudFormation would deploy; that template is
then read like any other (parameters, conditions, scenarios, graph, adapters).

Offline, always: no AWS call is made and nothing in the environment (AWS config
files, `AWS_DEFAULT_REGION`) is read.

- Managed policies named in `Policies` (`AmazonS3ReadOnlyAccess`) become
  `Fn::Sub: arn:${AWS::Partition}:iam::aws:policy/<path/Name>`, the path taken
  from the managed-policy list that ships with the translator; an unknown name
  becomes `arn:${AWS::Partition}:iam::aws:policy/<Name>`. ARNs are kept. Each keeps
  the line of its name in `Policies`. (Without `--region` the partition, and so the
  ARN, is Unknown, as for the same `Fn::Sub` written by hand.)
- The region given with `--region` is the translator's region. Without one it is
  told `us-east-1`, which only decides the partition (`aws`) of the few ARNs the
  translator writes out itself, such as the AWSLambdaBasicExecutionRole it adds.
- Applications of the Serverless Application Repository (`Location:
  {ApplicationId, SemanticVersion}`) are not fetched: the nested stack keeps the
  application's ARN as its template, and the nested-stack reader says it is remote.
  A local `Location` is loaded as a nested stack.
- Local artifact paths (`CodeUri: src/`, `DefinitionUri: api.yaml`,
  `ContentUri: layer/`; a missing `CodeUri` or `ImageUri`, which `sam build` fills
  in) stand for an S3 object, as `sam package` would upload them. An API whose
  definition is a local file therefore has no definition body here.

Parameters and conditions: the template is translated first, then evaluated as
any template. The translator is given the parameter values remit was given
(`--cfn-param`, a parent stack's `Parameters`); a parameter given but not known
statically, and the pseudo parameters without `--region`, are marked so that the
translator keeps their `Ref`s for the evaluator. The few properties that the
translator resolves itself (`Tracing`, `AutoPublishAlias`, `DeploymentPreference`,
an API's `Auth` and `Domain`, policy template parameters) otherwise take the
parameter's Default, as a deployment without overrides would. `Fn::If` and
`Condition` pass through the translator unchanged and give scenarios as usual.

`Fn::ForEach` loops in Resources (`AWS::LanguageExtensions`, listed before the SAM
transform as CloudFormation requires) are expanded first, as CloudFormation does.

Locations: the translator keeps the decoded values it copies, and with them their
line marks, so a value written in the SAM resource (a policy statement, a runtime,
a value from `Globals`) keeps its own line in the generated resources; numbers and
booleans carry no marks (the decoder gives them none) and take the SAM resource's
line, like every value the translator makes up. A generated resource as a whole
points at the SAM resource that produced it, found in this order: the translator's
own record (each SAM resource is given a metadata marker that the translator copies
onto what it generates); for the implicit APIs (`ServerlessRestApi`, `ServerlessHttpApi`), the
first function event that asked for them; the SAM logical id that prefixes the
generated one (`MyFunctionRole` comes from `MyFunction`); else the `Transform`
line. The generated resource's address names both: `MyFunctionRole (from
MyFunction)`.

A template the translator refuses gets one error per problem it names, at the
resource (or property) it names. The refused SAM resources are left out and the
rest is translated again; when the template as a whole is refused, the resources
that are not SAM resources are scanned as written and the SAM ones are not.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from scanner.cloudformation.evaluate import FOR_EACH
from scanner.cloudformation.options import CfnOptions
from scanner.cloudformation.spans import Locator, mark_of
from scanner.diagnostics import Diagnostic, DiagnosticLevel
from scanner.resources import Resource
from scanner.source import Span

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
_LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"
SERVERLESS = "AWS::Serverless::"
# Metadata key put on each SAM resource before translation; the translator copies a
# resource's Metadata onto what it generates from it, which tells where each came from.
_MARKER = "remit:sam-source"
# A parameter value the translator takes for "not known": it keeps the `Ref`.
_KEEP_REF = "{{IntrinsicFunction:remit/%s}}"
_PLACEHOLDER_REGION = "us-east-1"
_ARTIFACT_BUCKET = "local-artifact"  # stands for the bucket `sam package` uploads to
_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
# Implicit APIs the translator adds for function events, and the event type of each.
_IMPLICIT_APIS = {"ServerlessRestApi": ("Api", "RestApiId"), "ServerlessHttpApi": ("HttpApi", "ApiId")}
_RESOURCE_ID = re.compile(r"Resource with id \[([^\]]*)\] is invalid\. ?")
_DUPLICATE_ID = re.compile(r"Transforming resource with id \[([^\]]*)\]")
_EVENT_ID = re.compile(r"Event with id \[([^\]]*)\] is invalid\. ?")
_GLOBALS_PROPERTY = re.compile(r"'([^']+)' is not a supported property of '([^']+)'")
_MAX_ERRORS = 10


@dataclass
class Origin:
    """Where a generated resource comes from: the SAM resource and the lines it has."""

    sam_id: str | None  # None: from the transform as a whole
    key: Any  # the decoded key whose marks the resource takes
    value: Any  # the decoded value whose marks it takes


@dataclass
class Expansion:
    """A SAM template, translated."""

    template: dict[Any, Any]
    resources: dict[Any, Any]
    origins: dict[str, Origin] = field(default_factory=dict)  # generated id -> origin
    diagnostics: list[Diagnostic] = field(default_factory=list)


def transforms_of(template: dict[Any, Any]) -> list[str]:
    raw = template.get("Transform")
    names = raw if isinstance(raw, list) else [raw]
    return [str(n) for n in names if isinstance(n, str)]


def serverless_types(resources: dict[Any, Any]) -> list[str]:
    return sorted({str(d["Type"]) for d in resources.values()
                   if isinstance(d, dict) and isinstance(d.get("Type"), str)
                   and str(d["Type"]).startswith(SERVERLESS)})


def expand(template: dict[Any, Any], resources: dict[Any, Any], loc: Locator,
           options: CfnOptions) -> Expansion | None:
    """The template with the SAM transform applied, or None when it has none to apply.

    A template with `AWS::Serverless::*` resources but no SAM transform is returned
    as it is, with a warning (CloudFormation refuses it).
    """
    if SAM_TRANSFORM not in transforms_of(template):
        types = serverless_types(resources)
        if not types:
            return None
        span = _transform_span(template, loc)
        out = Expansion(template, resources)
        out.diagnostics.append(_diag(
            span, DiagnosticLevel.WARNING, "not-resolved",
            f"the template declares {', '.join(types)} resources but not `Transform: "
            f"{SAM_TRANSFORM}`, so CloudFormation would refuse it; they were read as written, "
            "not as the resources the transform would create",
        ))
        return out
    if not resources:
        return None  # nothing to translate (the loader says the template has no resources)
    diagnostics: list[Diagnostic] = []
    if _LANGUAGE_EXTENSIONS in transforms_of(template) and any(
            str(k).startswith(FOR_EACH) for k in resources):
        template, resources = _expand_loops(template, resources, loc, options, diagnostics)
    out = _Expander(template, resources, loc, options).run()
    out.diagnostics[:0] = diagnostics
    return out


def _expand_loops(template: dict[Any, Any], resources: dict[Any, Any], loc: Locator,
                  options: CfnOptions, diagnostics: list[Diagnostic]
                  ) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """`Fn::ForEach` loops of Resources expanded, as `AWS::LanguageExtensions` does before the
    SAM transform: `${Id}`, `&{Id}` and `Ref: Id` replaced in each copy, line marks kept."""
    from scanner.cloudformation.evaluate import Evaluator

    ev = Evaluator(loc, template, loc.file, options)
    expanded: dict[Any, Any] = {}
    whole = Span(loc.file, 1)
    for key, value in resources.items():
        if not str(key).startswith(FOR_EACH):
            expanded[key] = value
            continue
        span = loc.entry_span(key, value, whole)
        iterations, problem = ev.for_each(str(key), value, span)
        if problem is not None:
            diagnostics.append(_diag(span, DiagnosticLevel.WARNING, "not-resolved",
                                     f"resource loop {key} {problem}; its resources were not "
                                     "scanned"))
        for scope, out_key, out_value in iterations:
            ev.loop = scope
            try:
                name = _node_like(ev.substitute(str(out_key)), out_key)
                expanded[name] = _substitute(ev, out_value)
            finally:
                ev.loop = {}
    out = _node_like(dict(template), template)
    resources_key = next(k for k in out if k == "Resources")
    out[resources_key] = _node_like(expanded, resources)
    return out, out[resources_key]


def _substitute(ev: Any, value: Any) -> Any:
    """A copy of a loop's output with the loop's identifiers replaced (marks kept)."""
    if isinstance(value, dict):
        if len(value) == 1 and "Ref" in value and isinstance(value["Ref"], str) \
                and str(value["Ref"]) in ev.loop:
            return _node_like(ev.loop[str(value["Ref"])], value["Ref"])
        out = {_node_like(ev.substitute(str(k)), k) if isinstance(k, str) else k: _substitute(ev, v)
               for k, v in value.items()}
        return _node_like(out, value)
    if isinstance(value, list):
        items = [_substitute(ev, v) for v in value]
        marks = mark_of(value)
        if marks is None:
            return items
        from cfnlint.decode.node import list_node

        return list_node(items, *marks)
    if isinstance(value, str):
        return _node_like(ev.substitute(str(value)), value)
    return value


def name_generated(resources: list[Resource], origins: dict[str, Origin]) -> None:
    """Addresses of generated resources name the SAM resource too: `MyFunctionRole (from MyFunction)`."""
    for resource in resources:
        origin = origins.get(resource.address)
        if origin is None or origin.sam_id == resource.address:
            continue
        source = origin.sam_id if origin.sam_id is not None else "the SAM transform"
        resource.address = f"{resource.address} (from {source})"


def _diag(span: Span, level: DiagnosticLevel, code: str, message: str) -> Diagnostic:
    return Diagnostic(span.file, span.start_line, span.start_column, level, code, message)


def _transform_span(template: dict[Any, Any], loc: Locator) -> Span:
    key = next((k for k in template if k == "Transform"), None)
    whole = Span(loc.file, 1)
    return loc.entry_span(key, template[key], whole) if key is not None else whole


class _Expander:
    def __init__(self, template: dict[Any, Any], resources: dict[Any, Any], loc: Locator,
                 options: CfnOptions) -> None:
        self.template = template
        self.resources = resources
        self.loc = loc
        self.options = options
        self.sam_ids = [str(k) for k, d in resources.items()
                        if isinstance(d, dict) and str(d.get("Type", "")).startswith(SERVERLESS)]
        self.keys = {str(k): k for k in resources}
        self.diagnostics: list[Diagnostic] = []
        self.refusals: list[str] = []  # why the template as a whole was refused

    # -- running the translator ---------------------------------------------------------

    def run(self) -> Expansion:
        dropped: set[str] = set()
        while True:
            try:
                translated, source = self._translate(dropped)
            except _Refused as refused:
                # Left out, the refused SAM resources may let the others through; a refusal
                # of the template as a whole does not depend on them.
                fresh = refused.resource_ids - dropped
                if not refused.whole and fresh and len(dropped | fresh) < len(self.sam_ids):
                    dropped |= fresh
                    continue
                return self._without_sam(refused.whole)
            break
        resources = translated.get("Resources")
        if not isinstance(resources, dict):
            return self._without_sam(True)
        out = Expansion(translated, resources, diagnostics=self.diagnostics)
        self._place(out, source)
        return out

    def _translate(self, dropped: set[str]) -> tuple[dict[Any, Any], dict[Any, Any]]:
        """(the translated template, the input as the translator left it)."""
        _quiet_translator_logs()
        from samtranslator.model.exceptions import ExceptionWithMessage, InvalidDocumentException
        from samtranslator.parser.parser import Parser
        from samtranslator.translator.translator import Translator

        source = copy.deepcopy(self.template)
        resources = source["Resources"]
        for lid in dropped:
            resources.pop(self.keys[lid], None)
        self._prepare(source)
        translator = Translator(_policy_map(), Parser(), plugins=[_offline_applications()],
                                boto_session=_Region(self.options.region or _PLACEHOLDER_REGION))
        try:
            return translator.translate(source, self._parameter_values(),
                                        passthrough_metadata=True), source
        except InvalidDocumentException as err:
            raise self._refused(err.causes) from None
        except ExceptionWithMessage as err:
            raise self._refused([err]) from None
        except Exception as err:  # the translator's own bugs must not stop the scan
            self.refusals.append(f"the translator failed: {type(err).__name__}: {err}")
            raise _Refused(set(), whole=True) from None

    def _parameter_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        params = self.template.get("Parameters")
        for name in params if isinstance(params, dict) else ():
            given = self.options.given(str(name))
            if given is not None:
                values[str(name)] = given.value if given.value is not None else _KEEP_REF % name
        for pseudo in ("AWS::Region", "AWS::Partition"):
            values[pseudo] = self.options.pseudo(pseudo) or _KEEP_REF % pseudo
        return values

    def _prepare(self, source: dict[Any, Any]) -> None:
        """Artifacts as `sam package` leaves them; a marker on each SAM resource."""
        globals_ = source.get("Globals")
        function_globals = globals_.get("Function") if isinstance(globals_, dict) else None
        if not isinstance(function_globals, dict):
            function_globals = {}
        if isinstance(globals_, dict):
            for section, prop in (("Function", "CodeUri"), ("Api", "DefinitionUri"),
                                  ("HttpApi", "DefinitionUri")):
                _package(globals_.get(section), prop)
        for lid, definition in source["Resources"].items():
            if not isinstance(definition, dict):
                continue
            rtype = definition.get("Type")
            if rtype == "AWS::Serverless::Function" and "Properties" not in definition:
                definition["Properties"] = {}
            props = definition.get("Properties")
            if rtype == "AWS::Serverless::Function" and isinstance(props, dict):
                _package(props, "CodeUri")
                image = (props.get("PackageType", function_globals.get("PackageType")) == "Image")
                if image and "ImageUri" not in props:
                    props["ImageUri"] = f"{_ARTIFACT_BUCKET}/{lid}:latest"
                elif (not image and "InlineCode" not in props and "CodeUri" not in props
                      and "InlineCode" not in function_globals
                      and "CodeUri" not in function_globals):
                    props["CodeUri"] = {"Bucket": _ARTIFACT_BUCKET, "Key": str(lid)}
            elif rtype in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi",
                           "AWS::Serverless::StateMachine"):
                _package(props, "DefinitionUri")
            elif rtype == "AWS::Serverless::LayerVersion":
                _package(props, "ContentUri")
            if isinstance(rtype, str) and rtype.startswith(SERVERLESS):
                metadata = definition.get("Metadata")
                marked = dict(metadata) if isinstance(metadata, dict) else {}
                marked[_MARKER] = str(lid)
                definition["Metadata"] = marked

    # -- refusals ----------------------------------------------------------------------

    def _refused(self, causes: Any) -> _Refused:
        ids: set[str] = set()
        whole = False
        for cause in list(causes)[:_MAX_ERRORS]:
            message = str(getattr(cause, "message", cause))
            lid = _cause_id(cause, message)
            reason = _RESOURCE_ID.sub("", message, count=1) if lid is not None else message
            event = _EVENT_ID.match(reason)
            if event is not None:
                owner = self._event_owner(event.group(1), lid)
                if owner is not None:
                    ids.add(owner[0])
                    self._report(owner[1], f"the SAM transform refuses event {event.group(1)} of "
                                 f"{owner[0]}: {_EVENT_ID.sub('', reason, count=1)}", owner[0])
                    continue
            if lid in self.keys and lid in self.sam_ids:
                ids.add(lid)
                span = self._cause_span(lid, getattr(cause, "key_path", None))
                self._report(span, f"the SAM transform refuses {lid}: {reason}", lid)
                continue
            whole = True
            if message not in self.refusals:
                self.refusals.append(message)
        return _Refused(ids, whole=whole or not ids)

    def _report(self, span: Span, message: str, lid: str) -> None:
        diag = _diag(span, DiagnosticLevel.ERROR, "sam-transform",
                     f"{message.rstrip('. ')}; {lid} and the resources it would create were "
                     "not scanned")
        if diag not in self.diagnostics:
            self.diagnostics.append(diag)

    def _cause_span(self, lid: str, key_path: Any) -> Span:
        key = self.keys[lid]
        definition = self.resources[key]
        span = self.loc.entry_span(key, definition, Span(self.loc.file, 1))
        if not isinstance(key_path, str) or not isinstance(definition, dict):
            return span
        node: Any = definition.get("Properties")
        for step in key_path.split("."):
            if not isinstance(node, dict):
                break
            step_key = next((k for k in node if k == step), None)
            if step_key is None:
                break
            span = self.loc.entry_span(step_key, node[step_key], span)
            node = node[step_key]
        return span

    def _event_owner(self, event_id: str, lid: str | None) -> tuple[str, Span] | None:
        """The SAM resource (`lid`, if known) with event `event_id`, and the event's span."""
        owners = [lid] if lid in self.sam_ids else self.sam_ids
        for owner in owners:
            for key, value, span in self._events(owner):
                if str(key) == event_id:
                    return owner, self.loc.entry_span(key, value, span)
        return None

    def _without_sam(self, whole: bool) -> Expansion:
        """The template without its SAM resources (the translator refused it)."""
        kept = {k: v for k, v in self.resources.items() if str(k) not in self.sam_ids}
        if whole:
            others = (", the other resources were scanned as written" if kept else "")
            reasons = self.refusals or ["it refuses the template"]
            for reason in reasons:
                self.diagnostics.append(_diag(
                    self._template_span(reason), DiagnosticLevel.ERROR, "sam-transform",
                    f"the SAM transform was not applied ({reason.rstrip('. ')}): its "
                    f"AWS::Serverless resources were not scanned{others}",
                ))
        kept = _node_like(kept, self.resources)
        template = {k: v for k, v in self.template.items() if k not in ("Transform", "Globals")}
        template["Resources"] = kept
        return Expansion(template, kept, diagnostics=self.diagnostics)

    def _template_span(self, reason: str) -> Span:
        """Where a refusal of the whole template points: the Globals entry it names, else
        the Transform line."""
        span = _transform_span(self.template, self.loc)
        globals_key = next((k for k in self.template if k == "Globals"), None)
        if globals_key is None or "'Globals' section" not in reason:
            return span
        node = self.template[globals_key]
        span = self.loc.entry_span(globals_key, node, span)
        named = _GLOBALS_PROPERTY.search(reason)
        path = [named.group(2), named.group(1)] if named else []
        for step in path:
            if not isinstance(node, dict):
                break
            key = next((k for k in node if k == step), None)
            if key is None:
                break
            span, node = self.loc.entry_span(key, node[key], span), node[key]
        return span

    # -- where generated resources come from ---------------------------------------------

    def _place(self, out: Expansion, source: dict[Any, Any]) -> None:
        """Give generated resources the lines of the SAM resource that made them."""
        translated_ids = {str(k) for k, d in source["Resources"].items()
                          if isinstance(d, dict) and str(d.get("Type", "")).startswith(SERVERLESS)}
        placed: dict[Any, Any] = {}
        for key, definition in out.resources.items():
            lid = str(key)
            if not isinstance(definition, dict):
                placed[key] = definition
                continue
            sam_id = self._unmark(definition)
            if sam_id is None and lid in self.keys and lid not in self.sam_ids:
                placed[key] = definition  # a resource of the template, as written
                continue
            if sam_id is None:
                sam_id = _longest_prefix(lid, translated_ids)
            origin = self._origin(sam_id)
            out.origins[lid] = origin
            placed[_node_like(lid, origin.key)] = _node_like(definition, origin.value)
        resources_key = next(k for k in out.template if k == "Resources")
        out.resources = _node_like(placed, out.resources)
        out.template[resources_key] = out.resources

    def _unmark(self, definition: dict[Any, Any]) -> str | None:
        metadata = definition.get("Metadata")
        if not isinstance(metadata, dict) or _MARKER not in metadata:
            return None
        sam_id = str(metadata[_MARKER])
        # What the SAM resource's own Metadata held is not passed on: CloudFormation's
        # transform does not pass it either.
        del definition["Metadata"]
        return sam_id

    def _origin(self, sam_id: str | None) -> Origin:
        if sam_id is not None and sam_id in self.keys and sam_id in self.sam_ids:
            key = self.keys[sam_id]
            return Origin(sam_id, key, self.resources[key])
        if sam_id in _IMPLICIT_APIS:
            found = self._implicit_api_event(sam_id)
            if found is not None:
                return found
        if sam_id is not None:  # e.g. an embedded connector: `<Source><Connector>`
            owner = _longest_prefix(sam_id, set(self.sam_ids))
            if owner is not None:
                return self._origin(owner)
        key = next((k for k in self.template if k == "Transform"), None)
        return Origin(None, key, self.template.get("Transform") if key is not None else None)

    def _implicit_api_event(self, api_id: str) -> Origin | None:
        event_type, id_property = _IMPLICIT_APIS[api_id]
        for lid in self.sam_ids:
            for key, value, _ in self._events(lid):
                if not isinstance(value, dict) or value.get("Type") != event_type:
                    continue
                props = value.get("Properties")
                if isinstance(props, dict) and id_property in props:
                    continue
                return Origin(lid, key, value)
        return None

    def _events(self, lid: str) -> list[tuple[Any, Any, Span]]:
        key = self.keys[lid]
        definition = self.resources[key]
        props = definition.get("Properties") if isinstance(definition, dict) else None
        events = props.get("Events") if isinstance(props, dict) else None
        if not isinstance(events, dict):
            return []
        span = self.loc.entry_span(key, definition, Span(self.loc.file, 1))
        return [(k, v, span) for k, v in events.items()]


class _Refused(Exception):
    def __init__(self, resource_ids: set[str], whole: bool = False) -> None:
        super().__init__("refused")
        self.resource_ids = resource_ids
        self.whole = whole


def _cause_id(cause: Any, message: str) -> str | None:
    lid = getattr(cause, "_logical_id", None)
    if isinstance(lid, str):
        return lid
    match = _RESOURCE_ID.match(message) or _DUPLICATE_ID.match(message)
    return match.group(1) if match else None


def _longest_prefix(lid: str, candidates: set[str]) -> str | None:
    best = None
    for candidate in candidates:
        if lid.startswith(candidate) and (best is None or len(candidate) > len(best)):
            best = candidate
    return best


def _node_like(value: Any, model: Any) -> Any:
    """`value` carrying the line marks of `model` (a decoded value), when it has any."""
    marks = mark_of(model)
    if marks is None:
        return value
    from cfnlint.decode.node import dict_node, str_node

    if isinstance(value, dict):
        return dict_node(value, *marks)
    if isinstance(value, str):
        return str_node(value, *marks)
    return value


def _package(props: Any, name: str) -> None:
    """A local path in `props[name]` replaced by the S3 object `sam package` would make of it."""
    if not isinstance(props, dict):
        return
    value = props.get(name)
    if isinstance(value, str) and not value.startswith("s3://"):
        props[name] = {"Bucket": _ARTIFACT_BUCKET, "Key": str(value)}


class _Region:
    """What the translator reads of a boto3 session: the region name, nothing else."""

    def __init__(self, region_name: str) -> None:
        self.region_name = region_name


class _ManagedPolicies(dict):  # type: ignore[type-arg]
    """Managed policy name -> ARN, answered from the translator's own list, offline."""

    def get(self, name: Any, default: Any = None) -> Any:
        if not isinstance(name, str) or not name or name.startswith("arn:"):
            return default
        path = super().get(str(name), str(name))
        # With the line marks of the name as written in Policies, for findings on it.
        return _node_like({"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/" + path}, name)


_POLICIES: _ManagedPolicies | None = None


def _policy_map() -> _ManagedPolicies:
    global _POLICIES
    if _POLICIES is None:
        from samtranslator.internal.managed_policies import get_bundled_managed_policy_map

        bundled = get_bundled_managed_policy_map("aws") or {}
        _POLICIES = _ManagedPolicies(
            (name, arn[len(_POLICY_PREFIX):]) for name, arn in bundled.items()
            if isinstance(arn, str) and arn.startswith(_POLICY_PREFIX)
        )
        if not _POLICIES:  # the translator must see a non-empty map to ask it
            _POLICIES["AdministratorAccess"] = "AdministratorAccess"
    return _POLICIES


def _offline_applications() -> Any:
    """The translator's Serverless Application Repository plugin, without its AWS calls."""
    from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin

    class OfflineApplications(ServerlessAppPlugin):  # type: ignore[misc]
        def on_before_transform_template(self, template_dict: Any) -> None:
            return None

        def on_before_transform_resource(self, logical_id: Any, resource_type: Any,
                                         resource_properties: Any) -> None:
            if resource_type != self.SUPPORTED_RESOURCE_TYPE or not isinstance(resource_properties, dict):
                return
            location = resource_properties.get(self.LOCATION_KEY)
            if isinstance(location, dict):
                app = location.get(self.APPLICATION_ID_KEY)
                version = location.get(self.SEMANTIC_VERSION_KEY)
                if isinstance(app, str):
                    url = f"{app}@{version}" if isinstance(version, str) else app
                    resource_properties[self.TEMPLATE_URL_KEY] = url
            elif location is not None:
                resource_properties[self.TEMPLATE_URL_KEY] = location

        def on_after_transform_template(self, template: Any) -> None:
            return None

    return OfflineApplications()


def _quiet_translator_logs() -> None:
    """The translator logs through `logging`; with no handler of the caller's, Python would
    print its warnings on stderr. A NullHandler keeps them for callers who configure logging."""
    logger = logging.getLogger("samtranslator")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
