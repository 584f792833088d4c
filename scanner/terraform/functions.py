"""Terraform's built-in functions that a security rule's input can depend on.

Each takes plain Python values (Unknown never reaches them: a call with an unknown
argument is unknown, except `try`, `can` and `coalesce`, which look at their
arguments one by one). An unlisted function gives Unknown, never a guess.
"""

from __future__ import annotations

import base64
import ipaddress
import itertools
import json
import math
import posixpath
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scanner.source import Span
from scanner.terraform import syntax as s
from scanner.terraform.evaluate import (
    MAX_COLLECTION,
    MAX_STRING,
    EvalError,
    _bool,
    _number,
    _to_string,
    merge_provenance,
    plain_unknown,
    refs_of,
)
from scanner.values import Node, Unknown, node_from_plain

if TYPE_CHECKING:
    from scanner.terraform.evaluate import Evaluator


SHAPE_ONLY = frozenset({"length", "keys"})


def call(ev: Evaluator, e: s.Call) -> Node:
    name = e.name.split("::")[-1] if e.name.startswith("core::") else e.name
    if name in ("try", "can"):
        return _try(ev, e, name)
    if name == "templatefile":
        return _templatefile(ev, e)
    fn = FUNCTIONS.get(name)
    if fn is None:
        return Node(Unknown(f"function {e.name}() is not evaluated"), e.span)
    args = [ev.eval(a) for a in e.args]
    prov = merge_provenance([p for a in args for p in (a.span, *a.provenance) if p.file])
    if e.expand_last and args:
        last = args.pop()
        if isinstance(last.value, Unknown):
            return Node(plain_unknown(last).value, e.span, prov)
        args.extend(last.elements())
    structural = STRUCTURAL.get(name)
    if structural is not None and not any(a.unknown for a in args):
        found = structural(args, e.span, prov)
        if found is not None:
            return found
    if name in SHAPE_ONLY:  # the number of elements or the keys, known even when values are not
        unknown = any(a.unknown for a in args)
    else:
        unknown = name not in ("coalesce", "coalescelist") and any(
            a.contains_unknown() for a in args)
    if unknown:
        out = Node(Unknown(f"an argument of {name}() is not known", refs_of(*args)), e.span, prov)
        if name == "jsonencode" and len(args) == 1:
            out.encoded = args[0]  # the structure, with the unknown parts in it
        return out
    if name == "file":
        return Node(_file(ev, args), e.span, prov)
    try:
        result = fn(*[a.plain() for a in args])
    except EvalError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError) as err:
        raise EvalError(f"{name}(): {err}") from None
    if isinstance(result, Node):
        return result
    if isinstance(result, (list, dict)) and len(result) > MAX_COLLECTION:
        raise EvalError(f"{name}() makes more than {MAX_COLLECTION} elements")
    if isinstance(result, str) and len(result) > MAX_STRING:
        raise EvalError(f"{name}() makes a string longer than {MAX_STRING} characters")
    out = node_from_plain(result, e.span, prov)
    if name == "jsonencode":
        out.encoded = args[0]
    return out


def _try(ev: Evaluator, e: s.Call, name: str) -> Node:
    for arg in e.args:
        try:
            value = ev.eval(arg)
        except EvalError:
            continue
        if name == "can":
            if value.contains_unknown():
                return Node(Unknown("can() of a value not known", refs_of(value)), e.span)
            return Node(True, e.span)
        return value
    if name == "can":
        return Node(False, e.span)
    raise EvalError("try(): no argument could be evaluated")


def _file(ev: Evaluator, args: list[Node]) -> str | Unknown:
    path = args[0].plain()
    reader = ev.ctx.read_file
    if reader is None or not isinstance(path, str):
        return Unknown("file() is not read")
    text = reader(path)
    return Unknown(f"file {path} is not inside the scanned folder") if text is None else text


def _templatefile(ev: Evaluator, e: s.Call) -> Node:
    from scanner.terraform.evaluate import Evaluator
    from scanner.terraform.json_syntax import parse_template
    from scanner.terraform.parse import HclSyntaxError

    args = [ev.eval(a) for a in e.args]
    if len(args) != 2 or any(a.contains_unknown() for a in args):
        return Node(Unknown("templatefile() arguments not known", refs_of(*args)), e.span)
    text = _file(ev, args[:1])
    if isinstance(text, Unknown):
        return Node(text, e.span)
    variables = args[1].value if isinstance(args[1].value, dict) else {}
    try:
        template = parse_template(text, e.span)
    except HclSyntaxError as err:
        raise EvalError(f"templatefile(): {err.message}") from None
    return Evaluator(ev.ctx, dict(variables)).eval(template)


def _flatten(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    seen: set[str] = set()
    for item in items:
        key = json.dumps(item, sort_keys=True)  # plain values: hashable as their JSON text
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def _merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if not isinstance(m, dict):
            raise EvalError("merge() takes maps or objects")
        out.update(m)
    return out


def _lookup(m: dict[str, Any], key: Any, *default: Any) -> Any:
    if not isinstance(m, dict):
        raise EvalError("lookup() takes a map")
    k = _to_string(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {k!r}")


def _element(items: list[Any], index: Any) -> Any:
    if not items:
        raise EvalError("element() of an empty list")
    return items[int(_number(index)) % len(items)]


def _coalesce(*values: Any) -> Any:
    for v in values:
        if isinstance(v, Unknown):
            return Unknown("coalesce() over a value not known")
        if v is not None and v != "":
            return v
    raise EvalError("coalesce(): no non-null argument")


def _coalescelist(*lists: Any) -> Any:
    for v in lists:
        if isinstance(v, Unknown):
            return Unknown("coalescelist() over a value not known")
        if v:
            return v
    raise EvalError("coalescelist(): all lists are empty")


def _length(v: Any) -> int:
    if isinstance(v, (list, dict, str)):
        return len(v)
    raise EvalError("length() takes a list, map or string")


def _format(fmt: str, *args: Any) -> str:
    out: list[str] = []
    i = n = 0
    while i < len(fmt):
        c = fmt[i]
        if c != "%":
            out.append(c)
            i += 1
            continue
        j = i + 1
        while j < len(fmt) and fmt[j] in "-+# 0123456789.":
            j += 1
        if j >= len(fmt):
            raise EvalError("format(): incomplete verb")
        verb = fmt[j]
        if verb == "%":
            out.append("%")
        else:
            if n >= len(args):
                raise EvalError("format(): not enough arguments")
            arg = args[n]
            n += 1
            out.append(_format_verb(verb, fmt[i + 1: j], arg))
        i = j + 1
    return "".join(out)


def _format_verb(verb: str, spec: str, arg: Any) -> str:
    """One `%<spec><verb>` of Terraform's format(); the flags and widths Go and Python share."""
    if any(int(n) > MAX_STRING for n in re.findall(r"\d+", spec)):  # refused before it is built
        raise EvalError(f"format(): the width or precision in %{spec}{verb} is too large")
    if verb in "dxXo":
        return ("%" + spec + verb) % int(_number(arg))
    if verb == "b":
        return ("%" + spec.replace(".", "") + "s") % format(int(_number(arg)), "b")
    if verb in "eEfFgG":
        return ("%" + spec + verb) % _number(arg)
    if verb == "q":
        text = json.dumps(_to_string(arg))
    elif verb == "t":
        text = _to_string(_bool(arg))
    elif verb in "sv":
        text = json.dumps(arg, separators=(",", ":")) if isinstance(arg, (list, dict)) \
            else _to_string(arg)
    else:
        raise EvalError(f"format(): unsupported verb %{verb}")
    return ("%" + spec + "s") % text


def _range(*args: Any) -> list[int | float]:
    nums = [_number(a) for a in args]
    start, stop, step = (0, nums[0], 1) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) > 2 else 1)
    if step == 0:
        raise EvalError("range(): step must not be zero")
    count = math.ceil((stop - start) / step)
    if count > MAX_COLLECTION:
        raise EvalError(f"range() of more than {MAX_COLLECTION} elements")
    return [start + k * step for k in range(max(count, 0))]


def _cidrsubnet(prefix: str, newbits: Any, netnum: Any) -> str:
    net = ipaddress.ip_network(prefix, strict=False)
    new_prefix = net.prefixlen + int(_number(newbits))
    if new_prefix > net.max_prefixlen:
        raise EvalError("cidrsubnet(): not enough bits")
    size = 1 << (net.max_prefixlen - new_prefix)
    num = int(_number(netnum))
    if not 0 <= num < (1 << int(_number(newbits))):
        raise EvalError("cidrsubnet(): netnum out of range")
    base = int(net.network_address) + num * size
    return str(ipaddress.ip_network((base, new_prefix)))


def _cidrhost(prefix: str, hostnum: Any) -> str:
    net = ipaddress.ip_network(prefix, strict=False)
    num = int(_number(hostnum))
    addr = (int(net.broadcast_address) + 1 + num) if num < 0 else int(net.network_address) + num
    if addr not in range(int(net.network_address), int(net.broadcast_address) + 1):
        raise EvalError("cidrhost(): host number out of range")
    return str(ipaddress.ip_address(addr))


def _tobool(v: Any) -> bool | None:
    return None if v is None else _bool(v)


def _tonumber(v: Any) -> int | float | None:
    return None if v is None else _number(v)


def _jsonencode(value: Any) -> str:
    """As Terraform writes JSON: keys sorted, whole numbers without a fraction, UTF-8 text
    with <, >, & and the two line separators escaped."""

    def norm(v: Any) -> Any:
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e300:
            return int(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v

    text = json.dumps(norm(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _yamldecode(text: str) -> Any:
    import yaml

    return yaml.safe_load(text)


def _zipmap(keys: list[Any], values: list[Any]) -> dict[str, Any]:
    if len(keys) != len(values):
        raise EvalError("zipmap(): lists of different lengths")
    return {_to_string(k): v for k, v in zip(keys, values, strict=True)}


def _empty_sum() -> Any:
    raise EvalError("sum() of an empty list")


def _one(items: list[Any]) -> Any:
    if len(items) > 1:
        raise EvalError("one(): more than one element")
    return items[0] if items else None


def _set_order(items: list[Any]) -> list[Any]:
    """A set's elements in Terraform's order: numbers by value, strings by text."""
    def key(x: Any) -> tuple[int, Any]:
        if isinstance(x, bool):
            return (1, str(x))
        if isinstance(x, (int, float)):
            return (0, x)
        return (2, x) if isinstance(x, str) else (3, json.dumps(x, sort_keys=True))
    return sorted(_distinct(items), key=key)


def _setproduct(*sets: Any) -> list[list[Any]]:
    if not sets or any(not isinstance(x, list) for x in sets):
        raise EvalError("setproduct() takes lists or sets")
    total = math.prod(len(x) for x in sets)
    if total > MAX_COLLECTION:
        raise EvalError(f"setproduct() makes more than {MAX_COLLECTION} elements")
    return [list(combo) for combo in itertools.product(*sets)]


def _setintersection(first: list[Any], *rest: list[Any]) -> list[Any]:
    keep = [x for x in first if all(x in other for other in rest)]
    return _set_order(keep)


def _go_regex(pattern: str) -> re.Pattern[str]:
    """Terraform's RE2 patterns: the common subset reads the same in Python."""
    try:
        return re.compile(pattern)
    except re.error as err:
        raise EvalError(f"invalid regular expression: {err}") from None


def _replace(text: str, old: str, new: str) -> str:
    """A substring wrapped in slashes is a regular expression whose $1 / ${1} / ${name}
    the replacement may use."""
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        template = re.sub(r"\$(\d+)|\$\{(\w+)\}", lambda m: f"\\g<{m.group(1) or m.group(2)}>",
                          new.replace("\\", "\\\\"))
        return _go_regex(old[1:-1]).sub(template, text)
    return text.replace(old, new)


def _regex(pattern: str, text: str) -> Any:
    m = _go_regex(pattern).search(text)
    if m is None:
        raise EvalError("regex(): no match")
    return _match_value(m)


def _match_value(m: re.Match[str]) -> Any:
    named = m.groupdict()
    if named:
        return named
    if m.re.groups:
        return list(m.groups())
    return m.group(0)


def _formatlist(fmt: str, *args: Any) -> list[str]:
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise EvalError("formatlist(): lists of different lengths")
    n = lengths.pop() if lengths else 1
    return [_format(fmt, *[a[i] if isinstance(a, list) else a for a in args]) for i in range(n)]


def _transpose(m: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k in sorted(m):
        for v in m[k]:
            out.setdefault(v, []).append(k)
    return out


def _pow(base: float, exponent: float) -> float:
    """`pow()`, refusing results no configuration means (a Python int power of that size
    would take minutes, and Terraform's numbers are limited to 512 bits of precision)."""
    if base not in (0, 1, -1) and abs(exponent) * math.log10(max(abs(base), 2)) > 400:
        raise EvalError(f"pow({base}, {exponent}): the result is too large")
    return base ** exponent

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": json.loads,
    "yamldecode": _yamldecode,
    "yamlencode": lambda v: __import__("yaml").safe_dump(v, sort_keys=False),
    "merge": _merge,
    "concat": lambda *ls: [x for lst in ls for x in lst],
    "flatten": _flatten,
    "lookup": _lookup,
    "element": _element,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "compact": lambda items: [x for x in items if x not in (None, "")],
    "distinct": _distinct,
    "contains": lambda items, v: v in items,
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "length": _length,
    "format": _format,
    "join": lambda sep, *ls: sep.join(_to_string(x) for lst in ls for x in lst),
    "split": lambda sep, text: text.split(sep),
    "replace": _replace,
    "regex": _regex,
    "regexall": lambda pattern, text: [_match_value(m) for m in _go_regex(pattern).finditer(text)],
    "strcontains": lambda t, sub: sub in t,
    "strrev": lambda t: t[::-1],
    "chomp": lambda t: re.sub(r"(?:\r\n|\n|\r)+$", "", t),
    "indent": lambda n, t: t.replace("\n", "\n" + " " * int(_number(n))),
    "formatlist": _formatlist,
    "base64encode": lambda t: base64.b64encode(t.encode()).decode(),
    "base64decode": lambda t: base64.b64decode(t).decode(),
    "basename": posixpath.basename,
    "dirname": posixpath.dirname,
    "lower": lambda t: t.lower(),
    "upper": lambda t: t.upper(),
    "title": lambda t: t.title(),
    "trimspace": lambda t: t.strip(),
    "trim": lambda t, chars: t.strip(chars),
    "trimprefix": lambda t, p: t[len(p):] if t.startswith(p) else t,
    "trimsuffix": lambda t, p: t[: -len(p)] if p and t.endswith(p) else t,
    "startswith": lambda t, p: t.startswith(p),
    "endswith": lambda t, p: t.endswith(p),
    "substr": lambda t, off, n: t[int(off):] if int(n) < 0 else t[int(off): int(off) + int(n)],
    "tostring": lambda v: None if v is None else _to_string(v),
    "tonumber": _tonumber,
    "tobool": _tobool,
    "toset": _set_order,
    "tolist": list,
    "tomap": dict,
    "zipmap": _zipmap,
    "range": _range,
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "min": lambda *n: min(_number(x) for x in n),
    "max": lambda *n: max(_number(x) for x in n),
    "abs": lambda n: abs(_number(n)),
    "ceil": lambda n: math.ceil(_number(n)),
    "floor": lambda n: math.floor(_number(n)),
    "one": _one,
    "reverse": lambda items: list(reversed(items)),
    "sort": lambda items: sorted(_to_string(x) for x in items),
    "slice": lambda items, a, b: items[int(a): int(b)],
    "index": lambda items, v: items.index(v),
    "setunion": lambda *ls: _set_order([x for lst in ls for x in lst]),
    "setproduct": _setproduct,
    "setintersection": _setintersection,
    "setsubtract": lambda a, b: _set_order([x for x in a if x not in b]),
    "alltrue": lambda items: all(_bool(x) for x in items),
    "anytrue": lambda items: any(_bool(x) for x in items),
    "sum": lambda items: sum(_number(x) for x in items) if items else _empty_sum(),
    "transpose": _transpose,
    "chunklist": lambda items, n: [items[i: i + int(n)] for i in range(0, len(items), int(n))] if int(n) > 0 else [items],
    "signum": lambda n: (_number(n) > 0) - (_number(n) < 0),
    "pow": lambda a, b: _pow(_number(a), _number(b)),
    "file": _file,  # handled in call(): needs the evaluator
}


# -- functions that move values without looking into them -----------------------------
# They work on nodes, so each element keeps where it was written and where its value came
# from (`concat(var.a, var.b)`: a finding on an element names the right variable), and an
# unknown element stays one element. None: not applicable here, use the plain version.

def _s_concat(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if not all(isinstance(a.value, list) for a in args):
        return None
    items = [el for a in args for el in a.value]
    if len(items) > MAX_COLLECTION:
        raise EvalError(f"concat() makes more than {MAX_COLLECTION} elements")
    return Node(items, span, prov)


def _s_merge(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    out: dict[str, Node] = {}
    for a in args:
        if a.value is None:
            continue
        if not isinstance(a.value, dict):
            return None
        out.update(a.value)
    return Node(out, span, prov)


def _s_flatten(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if len(args) != 1 or not isinstance(args[0].value, list):
        return None
    out: list[Node] = []
    stack = list(reversed(args[0].value))
    while stack:
        n = stack.pop()
        if isinstance(n.value, Unknown):
            return None  # an unknown element may be a list: the result is not known
        if isinstance(n.value, list):
            stack.extend(reversed(n.value))
        else:
            out.append(n)
        if len(out) > MAX_COLLECTION:
            raise EvalError(f"flatten() makes more than {MAX_COLLECTION} elements")
    return Node(out, span, prov)


def _s_lookup(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if len(args) not in (2, 3) or not isinstance(args[0].value, dict) or args[1].contains_unknown():
        return None
    key = _to_string(args[1].value)
    if key in args[0].value:
        return args[0].value[key]
    if len(args) == 3:
        return args[2]
    raise EvalError(f"lookup(): no key {key!r}")


def _s_element(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if len(args) != 2 or not isinstance(args[0].value, list) or args[1].contains_unknown():
        return None
    if not args[0].value:
        raise EvalError("element() of an empty list")
    return args[0].value[int(_number(args[1].value)) % len(args[0].value)]


def _s_values(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if len(args) != 1 or not isinstance(args[0].value, dict):
        return None
    return Node([args[0].value[k] for k in sorted(args[0].value)], span, prov)


def _s_same(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    """tolist() of a list, tomap() of a map: the value itself."""
    if len(args) != 1 or not isinstance(args[0].value, (list, dict)):
        return None
    return args[0]


def _s_one(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if len(args) != 1 or not isinstance(args[0].value, list):
        return None
    items = args[0].value
    if len(items) > 1:
        raise EvalError("one(): more than one element")
    return items[0] if items else Node(None, span, prov)


def _s_coalesce(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    for a in args:
        if isinstance(a.value, Unknown):
            return None
        if a.value is not None and a.value != "":
            return a
    return None


def _s_coalescelist(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    for a in args:
        if not isinstance(a.value, list):
            return None
        if a.value:
            return a
    return None


def _s_compact(args: list[Node], span: Span, prov: tuple[Span, ...]) -> Node | None:
    if len(args) != 1 or not isinstance(args[0].value, list):
        return None
    if any(isinstance(n.value, Unknown) for n in args[0].value):
        return None
    return Node([n for n in args[0].value if n.value not in (None, "")], span, prov)


STRUCTURAL: dict[str, Callable[[list[Node], Span, tuple[Span, ...]], Node | None]] = {
    "concat": _s_concat,
    "merge": _s_merge,
    "flatten": _s_flatten,
    "lookup": _s_lookup,
    "element": _s_element,
    "values": _s_values,
    "tolist": _s_same,
    "tomap": _s_same,
    "one": _s_one,
    "coalesce": _s_coalesce,
    "coalescelist": _s_coalescelist,
    "compact": _s_compact,
}
