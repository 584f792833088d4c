"""CloudFormation: detection, loading (cfn-lint's decoder) and evaluation of templates.

Importing this package is cheap: cfn-lint is imported only when a template is read.
"""

from scanner.cloudformation.detect import looks_like_cloudformation
from scanner.cloudformation.loader import LoadedTemplate, load_template, read_template

__all__ = ["LoadedTemplate", "load_template", "looks_like_cloudformation", "read_template"]
