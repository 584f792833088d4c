"""Terraform: HCL parsing into a small typed syntax tree, evaluation, and resource loading."""
