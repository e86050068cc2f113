"""Coursewright: compile Markdown and YAML lessons into an offline web course and SCORM packages."""
from __future__ import annotations

__version__ = "0.1.0"
