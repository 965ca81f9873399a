"""`briefgen schema`, and the schema file `init` writes for editors (with the map that points
editors at it: VS Code's yaml.schemas, which the YAML language server reads too)."""

from __future__ import annotations

import json

from ..loading.schema import briefing_schema, front_matter_schema

SCHEMA_FILE = "briefing.schema.json"  # in the project root, beside mkdocs.yml
# What `new` writes at the top of a briefing.yml (content/<id>/briefing.yml: two folders down).
MODELINE = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}"
KINDS = {"briefing": briefing_schema, "front-matter": front_matter_schema}


def schema_text(kind: str = "briefing") -> str:
    return json.dumps(KINDS[kind](), indent=2, ensure_ascii=False) + "\n"


def editor_settings() -> str:
    """.vscode/settings.json: briefing.yml files checked and completed against the schema."""
    return json.dumps({"yaml.schemas": {f"./{SCHEMA_FILE}": ["content/*/briefing.yml"]}}, indent=2) + "\n"
