"""writers/pdf.py without LibreOffice: the command it runs, and every way it can fail."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from drafter.errors import DrafterError
from drafter.writers import pdf


def test_export_options_make_a_tagged_pdf_with_bookmarks() -> None:
    argument = pdf.convert_to_argument()
    name, _, options = argument.partition(":writer_pdf_Export:")
    assert name == "pdf"
    parsed = json.loads(options)
    assert parsed["UseTaggedPDF"] == {"type": "boolean", "value": "true"}
    assert parsed["ExportBookmarks"]["value"] == "true"
    assert parsed["ExportNotes"]["value"] == "false"


def test_conversion_runs_headless_with_a_private_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        seen.append(command)
        folder = Path(command[command.index("--outdir") + 1])
        assert (folder / "draft.docx").read_bytes() == b"docx bytes"
        (folder / "draft.pdf").write_bytes(b"%PDF-1.7 fake")
        assert kwargs["timeout"] == 42 and kwargs["check"] is True
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(pdf, "soffice", lambda: "/opt/lo/soffice")
    monkeypatch.setattr(subprocess, "run", fake_run)
    assert pdf.docx_to_pdf(b"docx bytes", timeout=42) == b"%PDF-1.7 fake"
    command = seen[0]
    assert command[:3] == ["/opt/lo/soffice", "--headless", "--norestore"]
    assert command[3].startswith("-env:UserInstallation=file://")
    assert command[command.index("--convert-to") + 1] == pdf.convert_to_argument()


@pytest.mark.parametrize(("behaviour", "message"), [
    ("fails", "LibreOffice failed"), ("hangs", "LibreOffice failed"),
    ("no pdf", "LibreOffice produced no PDF")])
def test_conversion_failures_are_problems(monkeypatch: pytest.MonkeyPatch, behaviour: str,
                                          message: str) -> None:
    def fake_run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess:
        if behaviour == "fails":
            raise subprocess.CalledProcessError(1, command)
        if behaviour == "hangs":
            raise subprocess.TimeoutExpired(command, 1)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(pdf, "soffice", lambda: "soffice")
    monkeypatch.setattr(subprocess, "run", fake_run)
    with pytest.raises(DrafterError) as caught:
        pdf.docx_to_pdf(b"x")
    problem = caught.value.problems[0]
    assert problem.message.startswith(message) and problem.path == "--format pdf"
    assert "convert it by hand" in problem.hint


def test_missing_libreoffice_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert pdf.soffice() is None
    with pytest.raises(DrafterError) as caught:
        pdf.docx_to_pdf(b"x")
    assert caught.value.problems[0].message == "LibreOffice is not installed"
    assert "apt-get install libreoffice-writer" in caught.value.problems[0].hint
