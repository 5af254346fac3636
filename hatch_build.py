"""Wheel build hook: ship the built-in library's YAML already parsed (drafter/prebuilt.py).

A wheel without it is still complete (the first run parses the library, as every later run
would without a cache), so a failure here warns and goes on rather than failing the install.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads the checkout's own files
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from drafter.prebuilt import make

            parsed = make(root / "clauses")
        except Exception as exc:  # noqa: BLE001 - a slower first run, not a failed install
            self.app.display_warning(f"drafter: the built-in library is not shipped parsed ({exc})")
            return
        finally:
            sys.path.remove(str(root))
        out = Path(tempfile.mkdtemp(prefix="drafter-wheel-")) / "parsed.json"
        out.write_bytes(parsed)
        build_data["force_include"][str(out)] = "drafter/_builtin/parsed.json"
