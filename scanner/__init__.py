"""remit: a static scanner for the customer's side of the cloud shared-responsibility model."""

__version__ = "0.1.0"
