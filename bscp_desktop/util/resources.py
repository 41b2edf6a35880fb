"""Where the files in ``resources/`` are: beside the package in a checkout, inside the bundle when frozen by
PyInstaller, or where ``BSCP_RESOURCES`` says."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def resources_dir() -> Path:
    """The resources folder."""
    if os.environ.get("BSCP_RESOURCES"):
        return Path(os.environ["BSCP_RESOURCES"])
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"  # bscp_desktop/util/resources.py: the checkout


def resource(name: str) -> Path:
    """A file in the resources folder; ``FileNotFoundError`` naming where it was looked for."""
    p = resources_dir() / name
    if not p.exists():
        raise FileNotFoundError(f"resource {name} not found in {p.parent}")
    return p


def load_json(name: str) -> Any:
    """A JSON resource, parsed."""
    return json.loads(resource(name).read_text(encoding="utf-8"))
