"""crossbrief: cross-referenced briefings from sourced YAML dossiers."""

__version__ = "0.1.0"
