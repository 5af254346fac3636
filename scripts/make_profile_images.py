"""Render the first page of the Oakland sample in each profile to docs/images/*.png.

Needs LibreOffice and poppler-utils:  python scripts/make_profile_images.py
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from drafter import api

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"

if __name__ == "__main__":
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for profile in ("standard", "pleading", "codepub", "plain"):
            docx = folder / f"{profile}.docx"
            api.build(answers=ROOT / "samples" / "oakland-ca.yaml", output=docx, profile=profile)
            subprocess.run(["soffice", "--headless", "--norestore",
                            f"-env:UserInstallation=file://{folder / 'lo'}", "--convert-to", "pdf",
                            "--outdir", str(folder), str(docx)], check=True, capture_output=True)
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                            str(folder / f"{profile}.pdf"), str(IMAGES / f"profile-{profile}")],
                           check=True)
            print(f"wrote docs/images/profile-{profile}.png")
