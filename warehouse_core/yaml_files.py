"""YAML read with libyaml's parser where PyYAML has it: about ten times faster than the pure-Python
one (the loader reads the export profiles and dbt_project.yml for every export of a refresh)."""

from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    """The document in ``path`` (safe types only); raises OSError, UnicodeDecodeError, yaml.YAMLError."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
