"""The rule catalog, grouped by responsibility domain. `checks.registry` lists every rule."""
