"""PDF through LibreOffice in headless mode (no pure-Python renderer reads .docx faithfully).

The export is a tagged (accessible) PDF: a structure tree and reading order for screen
readers, the document language from the .docx, bookmarks from the headings' outline levels,
and the document title shown in the viewer's title bar instead of the file name.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from drafter.errors import DrafterError, Problem

INSTALL_HINT = ("install LibreOffice: 'sudo apt-get install libreoffice-writer' on Debian or "
                "Ubuntu, 'brew install --cask libreoffice' on macOS; or build .docx and export it "
                "from Word")


# writer_pdf_Export filter options (LibreOffice 7.4+ reads them as JSON after the filter name).
EXPORT_OPTIONS = {
    "UseTaggedPDF": True,  # structure tree, reading order, /Lang: an accessible PDF
    "ExportBookmarks": True,  # headings with an outline level become bookmarks
    "ExportNotes": False,  # commentary comments stay in the .docx, not as PDF annotations
    "DisplayPDFDocumentTitle": True,  # the viewer shows the title, not the file name (PDF/UA)
}


def convert_to_argument() -> str:
    """The --convert-to value: the PDF filter with drafter's export options."""
    options = {name: {"type": "boolean", "value": "true" if value else "false"}
               for name, value in EXPORT_OPTIONS.items()}
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, timeout: int = 180) -> bytes:
    """Convert .docx bytes to PDF bytes with a private LibreOffice profile."""
    program = soffice()
    if program is None:
        raise DrafterError([Problem("--format pdf", message="LibreOffice is not installed",
                                    hint=INSTALL_HINT)])
    with tempfile.TemporaryDirectory(prefix="drafter-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "draft.docx"
        source.write_bytes(docx)
        # A private profile: a second instance sharing one would hand its job to the first.
        profile = (folder / "profile").as_uri()
        try:
            subprocess.run([program, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                            "--convert-to", convert_to_argument(), "--outdir", str(folder), str(source)],
                           check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise DrafterError([Problem("--format pdf", message=f"LibreOffice failed: {exc}",
                                        hint="build the .docx and convert it by hand")]) from exc
        pdf = folder / "draft.pdf"
        if not pdf.exists():
            raise DrafterError([Problem("--format pdf", message="LibreOffice produced no PDF",
                                        hint="build the .docx and convert it by hand")])
        return pdf.read_bytes()
