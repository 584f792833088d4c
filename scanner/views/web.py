"""What faces the web: load balancers and their listeners, API Gateway stages."""

from __future__ import annotations

from dataclasses import dataclass, field

from scanner.source import Span
from scanner.values import Field
from scanner.views.base import View


@dataclass
class LoadBalancer(View):
    """An Elastic Load Balancing load balancer of any kind.

    `kind` is "application", "network", "gateway" or "classic". `listener_protocols`
    holds the protocols of its listeners: inline for a Classic Load Balancer, from the
    listener resources that point at it for the others.
    """

    kind: Field[str]
    internal: Field[bool]
    access_logs: Field[bool]
    listener_protocols: list[Field[str]] = field(default_factory=list)


@dataclass
class ListenerAction:
    """One default action of a listener: its type and, for a redirect, the target protocol."""

    type: Field[str]
    redirect_protocol: Field[str]
    span: Span


@dataclass
class Listener(View):
    """An Application or Network Load Balancer listener.

    `load_balancer` is the address of the load balancer it belongs to when that is in the
    scanned configuration (None otherwise); `load_balancer_kind` and
    `load_balancer_internal` then describe it.
    """

    protocol: Field[str]
    ssl_policy: Field[str]
    default_actions: list[ListenerAction]
    load_balancer: str | None = None
    load_balancer_kind: Field[str] | None = None
    load_balancer_internal: Field[bool] | None = None


@dataclass
class ApiStage(View):
    """An API Gateway stage (REST, or HTTP/WebSocket for v2): is access logging configured."""

    api_kind: str  # "rest" or "v2"
    access_log_destination: Field[str]

