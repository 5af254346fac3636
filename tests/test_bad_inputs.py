"""Every bad input of the reliability review (shared/reviews/reliability-2026-11.md, part 2,
S6 and S8, and the fuzzing classes of Appendix C) is a located error: exit 1, a message that
names the file (with line and column when the input is a file) and the field, no traceback,
no hang, and nothing written. One row per case, named as in the review.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafter.cli import cli

CITY = "jurisdiction:\n  name: Testville\n  kind: city\n  state: CA\noutput:\n  date: 2026-11-22\n"


def city(**extra: str) -> str:
    """CITY with extra lines under jurisdiction: (``police='"P"'``)."""
    lines = "".join(f"  {key}: {value}\n" for key, value in extra.items())
    return CITY.replace("  state: CA\n", "  state: CA\n" + lines)


def _laughs(levels: int = 9) -> str:
    rows = ['x0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return CITY + "\n".join(rows) + "\n"


def _alias_list() -> str:
    body = "params:\n  access.sensitive-locations:\n    additional_locations: [&s '"
    return CITY + body + "y" * 1999 + "'" + ", *s" * 100_000 + "]\n"  # 400 KB, 200 MB joined


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes]
    args: list[str]
    message: str  # a regex the error output must match (the location first)
    rc: int = 1
    setup: Callable[[Path, pytest.MonkeyPatch], None] | None = None
    left: list[str] = field(default_factory=list)  # files that may be there afterwards


def _fifo(root: Path, _mp: pytest.MonkeyPatch) -> None:
    os.mkfifo(root / "f.yaml")


def _fifo_out(root: Path, _mp: pytest.MonkeyPatch) -> None:
    os.mkfifo(root / "pipe.md")


def _read_only(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "ro").mkdir()
    (root / "ro").chmod(0o555)
    if os.geteuid() == 0:  # root may write anywhere: make the check see what a user would
        real = os.access
        monkeypatch.setattr("drafter.output.os.access",
                            lambda p, mode: False if Path(p).name == "ro" else real(p, mode))


def _folder(name: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    return lambda root, _mp: (root / name).mkdir()


def _existing(*names: str) -> Callable[[Path, pytest.MonkeyPatch], None]:
    def make(root: Path, _mp: pytest.MonkeyPatch) -> None:
        for name in names:
            (root / name).write_bytes(b"old")
    return make


A = ["build", "a.yaml", "-o", "out.docx"]

CASES = [
    # ---- answers files: the review's failures (part 2, S6, Appendix C)
    Case("nul-utf8", {"a.yaml": CITY.replace("Testville", "Test\x00ville")}, A,
         r"a\.yaml:2: error: YAML error: character U\+0000"),
    Case("dev-zero", {}, ["build", "/dev/zero", "-o", "out.docx"], r"/dev/zero: error: not a regular file"),
    Case("fifo", {}, ["build", "f.yaml", "-o", "out.docx"], r"f\.yaml: error: not a regular file",
         setup=_fifo),
    Case("yaml-laughs", {"a.yaml": _laughs()}, A, r"a\.yaml:\d+: error: YAML aliases expand"),
    Case("param-list-alias-bomb", {"a.yaml": _alias_list()}, A, r"a\.yaml:\d+: error: YAML aliases expand"),
    Case("yaml-bad-date-literal", {"a.yaml": CITY.replace("2026-11-22", "2026-13-45")}, A,
         r"a\.yaml:6:9: error: '2026-13-45' is not a real date"),
    Case("yaml-bad-date-0229", {"a.yaml": CITY.replace("2026-11-22", "2025-02-29")}, A,
         r"a\.yaml:6:9: error: '2025-02-29' is not a real date"),
    Case("library-missing", {"a.yaml": CITY + "library: nope\n"}, A,
         r"a\.yaml:7:10: error: library: 'nope' library folder not found"),
    Case("library-file", {"a.yaml": CITY + "library: a.yaml\n"}, A,
         r"a\.yaml:7:10: error: library: 'a\.yaml' is a file, not a folder"),
    Case("param-list-ctrl", {"a.yaml": CITY + 'params:\n  access.sensitive-locations:\n'
                             '    additional_locations: ["ok", "b\\x01ad", "c\\ud800"]\n'}, A,
         r"a\.yaml:9:\d+: error: params\.access\.sensitive-locations\.additional_locations\.1: "
         r"contains U\+0001"),
    Case("police-surrogate", {"a.yaml": city(police='"Police \\ud800"')}, A,
         r"a\.yaml:5:11: error: jurisdiction\.police: contains U\+D800, a lone surrogate"),
    Case("governing-body-surrogate (r3)", {"a.yaml": city(governing_body='"Council \\ud800"')}, A,
         r"a\.yaml:5:19: error: jurisdiction\.governing_body: contains U\+D800"),
    Case("name-ctrl", {"a.yaml": CITY.replace("Testville", '"Test\\x01\\x0bville\\ud800"')}, A,
         r"a\.yaml:2:9: error: jurisdiction\.name: contains U\+0001"),
    Case("chapter-title-ctrl", {"a.yaml": city(code="\n    title: '9'\n    chapter: '9-8'\n"
                                                    '    chapter_title: "Sanctuary\\x01 City\\ud800"')},
         A, r"a\.yaml:8:20: error: jurisdiction\.code\.chapter_title: contains U\+0001"),
    Case("agencies-nonchar", {"a.yaml": city(agencies='["Parks", "Ports\\uFFFE"]')}, A,
         r"a\.yaml:5:23: error: jurisdiction\.agencies\.1: contains U\+FFFE"),
    Case("author-escape", {"a.yaml": CITY + '  author: "Clerk\\x1b[31m"\n'}, A,
         r"a\.yaml:7:11: error: output\.author: contains U\+001B"),
    Case("deep-nesting (r1)", {"a.yaml": CITY + "x: " + "[" * 1000 + "]" * 1000 + "\n"}, A,
         r"a\.yaml:7: error: YAML nested more than 100 levels"),
    Case("surrogate-in-key (r2)", {"a.yaml": CITY + 'params: {"structure.effective-date\\ud800": {}}\n'}, A,
         r"a\.yaml:7:\d+: error: the key of params\.structure\.effective-date\\ud800: contains U\+D800"),
    Case("mapping-as-key (r4)", {"a.yaml": "? {a: {b: 1}}\n: x\n"}, A,
         r"a\.yaml:1:3: error: a mapping or list is used as a key"),
    Case("set-tag-on-a-key (fuzz)", {"a.yaml": '{\n!!set  "params": null\n}\n'}, A,
         r"a\.yaml:2:1: error: the tag !!set needs a list or mapping"),
    # ---- answers files the review found handled: they must stay so
    Case("missing-file", {}, ["build", "nope.yaml", "-o", "out.docx"], r"nope\.yaml: error: file not found"),
    Case("directory", {}, ["build", "adir", "-o", "out.docx"], r"adir: error: is a directory",
         setup=_folder("adir")),
    Case("binary", {"a.yaml": bytes(range(128, 256))}, A, r"a\.yaml: error: not UTF-8 text"),
    Case("too-big", {"a.yaml": CITY + "# " + "x" * 1_100_000 + "\n"}, A,
         r"a\.yaml: error: file is 1,100,\d+ bytes; the limit is 1,000,000"),
    Case("yaml-indent", {"a.yaml": "jurisdiction:\n  name: T\n   kind: city\n"}, A,
         r"a\.yaml:3:\d+: error: YAML syntax error"),
    Case("yaml-dupkey", {"a.yaml": CITY + "preset: strong\npreset: baseline\n"}, A,
         r"a\.yaml:8:1: error: YAML syntax error: found duplicate key"),
    Case("unknown-top", {"a.yaml": CITY + "colour: red\n"}, A, r"a\.yaml:7:9: error: unknown field 'colour'"),
    Case("type-runs-jail", {"a.yaml": city(runs_jail="'yes'")}, A,
         r"a\.yaml:5:14: error: jurisdiction\.runs_jail: Input should be a valid boolean"),
    Case("unknown-state", {"a.yaml": CITY.replace("CA", "ZZ")}, A,
         r"a\.yaml:4:10: error: jurisdiction\.state: 'ZZ' is not a US state code"),
    Case("param-range-high", {"a.yaml": CITY + "params:\n  structure.effective-date:\n"
                              "    effective_days: 100000000000000000000\n"}, A,
         r"a\.yaml:9:\d+: error: .*effective_days: 100000000000000000000 is above the maximum 365"),
    Case("name-empty", {"a.yaml": CITY.replace("Testville", "''")}, A,
         r"a\.yaml:2:9: error: jurisdiction\.name: String should have at least 1 character"),
    # ---- output paths: checked before any work (part 2, S6, S8)
    Case("out-parent-is-file", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "a.yaml/out.docx"],
         r"a\.yaml: error: is a file, not a folder"),
    Case("out-grandparent-is-file", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "a.yaml/sub/out.docx"],
         r"a\.yaml: error: is a file, not a folder"),
    Case("out-readonly-dir", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "ro/out.docx"],
         r"ro: error: folder is not writable", setup=_read_only),
    Case("out-name-too-long", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "x" * 300 + ".docx"],
         r"x+\.docx: error: a name in this path is 305 bytes long; the limit is 255"),
    Case("out-name-too-long-utf8", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "é" * 130 + ".md"],
         r"\.md: error: a name in this path is 263 bytes long"),
    Case("out-suffix-mismatch", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "out.docx", "-f", "md"],
         r"out\.docx: error: the name ends in \.docx but the format asked for is md \(.*-o out\.md"),
    Case("out-suffix-mismatch-several", {"a.yaml": CITY},
         ["build", "a.yaml", "-o", "out.md", "-f", "docx", "-f", "html"],
         r"out\.md: error: the name ends in \.md but the format asked for is docx, html"),
    Case("out-missing-dir", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "nodir/out.docx"],
         r"nodir: error: folder does not exist"),
    Case("out-is-dir", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "adir.docx"],
         r"adir\.docx: error: file already exists", setup=_folder("adir.docx")),
    Case("out-is-dir-force", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "adir.docx", "--force"],
         r"adir\.docx: error: is a directory", setup=_folder("adir.docx")),
    Case("out-is-fifo-force", {"a.yaml": CITY}, ["build", "a.yaml", "-o", "pipe.md", "--force"],
         r"pipe\.md: error: is not a regular file", setup=_fifo_out),
    Case("out-exists", {"a.yaml": CITY}, A, r"out\.docx: error: file already exists",
         setup=_existing("out.docx")),
    Case("out-exists-default", {"a.yaml": CITY}, ["build", "a.yaml"], r"a\.docx: error: file already exists",
         setup=_existing("a.docx")),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_a_located_error(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, content in case.files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
    if case.setup:
        case.setup(tmp_path, monkeypatch)
    before = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, case.args)
    output = result.output + (result.stderr if result.stderr_bytes else "")
    assert result.exit_code == case.rc, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    assert re.search(case.message, output), output
    assert "nothing was written" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "a failed build left files"


# ------------------------------------------------------------------ disk full, permissions

FORMATS = ["-f", "md", "-f", "txt", "-f", "html"]


def _outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.name != "a.yaml"}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EACCES, errno.EDQUOT])
@pytest.mark.parametrize("old", [False, True], ids=["fresh", "over-old-files"])
def test_a_failing_write_leaves_nothing_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            code: int, old: bool) -> None:
    """Review S6/part 4: disk full during the write phase left 2 of 3 formats and a traceback.
    Now: a located error, and the folder exactly as before (no new file, no temporary file,
    old files untouched)."""
    (tmp_path / "a.yaml").write_text(CITY)
    if old:
        for suffix in ("md", "txt", "html"):
            (tmp_path / f"draft.{suffix}").write_bytes(b"old " + suffix.encode())
    before = _outputs(tmp_path)
    calls = []
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:  # the second format's data does not fit
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr("drafter.output.os.fsync", failing_fsync)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "a.yaml", "-o", "draft", *FORMATS, "--force"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert re.search(r"draft\.txt: error: (no space|file too large|permission denied|disk quota)",
                     result.output), result.output
    assert _outputs(tmp_path) == before


def test_a_file_size_limit_is_a_located_error(tmp_path: Path) -> None:
    """Review part 4 (``prlimit --fsize``): EFBIG left fz.txt and fz.docx and a traceback. A
    real limit, in a real process."""
    import resource

    (tmp_path / "a.yaml").write_text(CITY)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    done = subprocess.run([sys.executable, "-m", "drafter", "build", "a.yaml", "-o", "fz", *FORMATS],
                          cwd=tmp_path, capture_output=True, text=True, preexec_fn=limit, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert re.search(r"fz\.\w+: error: file too large", done.stderr), done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_output_files_honour_the_umask_through_a_build(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(CITY)
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(cli, ["build", str(tmp_path / "a.yaml"), "-o", str(tmp_path / "d"),
                                          "-f", "md", "-f", "txt"])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert {(tmp_path / n).stat().st_mode & 0o777 for n in ("d.md", "d.txt")} == {0o640}


# ------------------------------------------------------------------ killed builds

DRIVER = textwrap.dedent("""
    import sys, time
    import drafter.output as output
    real = output._write_temp
    def slow(path, payload, temps):
        real(path, payload, temps)
        print("TEMP", flush=True)
        time.sleep(30)
    output._write_temp = slow
    from drafter.cli import cli
    cli(sys.argv[1:])
""")


def _killed_build(root: Path, sig: int) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, "build", "a.yaml", "-o", "draft", *FORMATS,
                             "--force"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the first format's temporary file is complete
    assert line.strip() == "TEMP", proc.communicate()
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _temps(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_build_killed_while_writing_leaves_the_old_set_and_no_temporary_files(
        tmp_path: Path, sig: int) -> None:
    """Review part 4: 13/50 kills in the write phase left ``.out.*.tmp`` files and 10/50 a
    mix of old and new formats. A TERM or Ctrl-C now removes the temporary files: the old
    set stays, whole."""
    (tmp_path / "a.yaml").write_text(CITY)
    for suffix in ("md", "txt", "html"):
        (tmp_path / f"draft.{suffix}").write_bytes(b"old")
    done = _killed_build(tmp_path, sig)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    assert _temps(tmp_path) == []
    assert {(tmp_path / f"draft.{s}").read_bytes() for s in ("md", "txt", "html")} == {b"old"}


def test_a_sigkilled_build_leaves_the_old_set_and_the_next_build_removes_its_temporary_files(
        tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the temporary file stays, but no output changed, and the
    next build to the same names removes the files of a process that no longer runs."""
    (tmp_path / "a.yaml").write_text(CITY)
    for suffix in ("md", "txt", "html"):
        (tmp_path / f"draft.{suffix}").write_bytes(b"old")
    _killed_build(tmp_path, signal.SIGKILL)
    assert len(_temps(tmp_path)) == 1
    assert {(tmp_path / f"draft.{s}").read_bytes() for s in ("md", "txt", "html")} == {b"old"}
    monkeypatch_free = CliRunner().invoke(cli, ["build", str(tmp_path / "a.yaml"), "-o",
                                                str(tmp_path / "draft"), *FORMATS, "--force"])
    assert monkeypatch_free.exit_code == 0, monkeypatch_free.output
    assert _temps(tmp_path) == []
    assert b"old" not in {(tmp_path / f"draft.{s}").read_bytes() for s in ("md", "txt", "html")}


def test_renames_are_not_split_by_an_interrupt() -> None:
    """Ctrl-C and SIGTERM are held back while the finished files are renamed into place."""
    from drafter.output import _signals_held

    order = []
    with pytest.raises(KeyboardInterrupt), _signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        order.append("renamed all")
    assert order == ["renamed all"]


# ------------------------------------------------------------------ batch CSV files (part 2)

def _ofile(root: Path, _mp: pytest.MonkeyPatch) -> None:
    (root / "ofile").write_text("x")


def _readonly_parent(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root / "ro").mkdir()
    real = Path.mkdir

    def refuse(self: Path, *args: object, **kwargs: object) -> None:
        if self.parent.name == "ro":
            raise PermissionError(13, "Permission denied", str(self))
        real(self, *args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(Path, "mkdir", refuse)


B = ["batch", "j.csv", "-o", "out", "-j", "1", "-q", "-f", "md"]

CSV_FILE_CASES = [  # the whole file is refused: exit 1, a location, nothing written (no -o folder)
    Case("csv-missing", {}, B, r"j\.csv: error: cannot read: No such file"),
    Case("csv-dir", {}, B, r"j\.csv: error: cannot read: Is a directory", setup=_folder("j.csv")),
    Case("csv-fifo", {}, B, r"j\.csv: error: cannot read: not a regular file",
         setup=lambda root, _mp: os.mkfifo(root / "j.csv")),
    Case("csv-empty", {"j.csv": ""}, B, r"j\.csv:1:1: error: missing column\(s\): name, kind, state"),
    Case("csv-header-only", {"j.csv": "name,kind,state\n"}, B, r"j\.csv: error: no rows"),
    Case("csv-missing-cols", {"j.csv": "name,kind\nA,city\n"}, B, r"j\.csv:1:1: error: missing column\(s\): state"),
    Case("csv-latin1", {"j.csv": "name,kind,state\nJos\xe9,city,CA\n".encode("latin-1")}, B,
         r"j\.csv: error: cannot read: not UTF-8 text"),
    Case("csv-semicolon", {"j.csv": "name;kind;state\nA;city;CA\n"}, B, r"j\.csv:1:1: error: missing column"),
    Case("csv-dup-columns", {"j.csv": "name,kind,state,name\nA,city,CA,B\n"}, B,
         r"j\.csv:1: error: columns 'name' and 'name' both set jurisdiction\.name"),
    Case("csv-dotted-into-string", {"j.csv": "name,kind,state,jurisdiction.name.x\nA,city,CA,y\n"}, B,
         r"j\.csv:1: error: column 'name' sets jurisdiction\.name, which column 'jurisdiction\.name\.x'"),
    Case("csv-column-shadow", {"j.csv": "jurisdiction,name,kind,state\nx,A,city,CA\n"}, B,
         r"j\.csv:1: error: column 'jurisdiction' sets jurisdiction, which column 'name'"),
    Case("csv-out-is-file", {"j.csv": "name,kind,state\nA,city,CA\n"}, ["batch", "j.csv", "-o", "ofile", "-q"],
         r"ofile: error: is a file, not a folder", setup=_ofile),
    Case("csv-out-readonly", {"j.csv": "name,kind,state\nA,city,CA\n"}, ["batch", "j.csv", "-o", "ro/out", "-q"],
         r"ro/out: error: cannot make this folder: Permission denied", setup=_readonly_parent),
]


@pytest.mark.parametrize("case", CSV_FILE_CASES, ids=[c.id for c in CSV_FILE_CASES])
def test_bad_csv_file_is_a_located_error(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    test_bad_input_is_a_located_error(case, tmp_path, monkeypatch)


@dataclass
class RowCase:
    id: str
    csv: str
    rows: list[tuple[int, str, str]]  # (line, status, regex on the first error or the output)


ROW_CASES = [  # the file is fine, a row is not: it fails alone, at its true line
    RowCase("csv-ragged-long", "name,kind,state\nA,city,CA,extra\nB,city,CA\n",
            [(2, "failed", r"row 2: this row has 4 fields but the header has 3"), (3, "built", r"b-city-ca\.md")]),
    RowCase("csv-ragged-short", "name,kind,state\nA,city\nB,city,CA\n",
            [(2, "failed", r"row 2: this row has 2 fields but the header has 3"), (3, "built", "b-city-ca")]),
    RowCase("csv-bad-state", "name,kind,state\nA,city,ZZ\nB,city,CA\n",
            [(2, "failed", r"row 2: jurisdiction\.state: 'ZZ' is not a US state code"), (3, "built", "b-city")]),
    RowCase("csv-quoted-newline", 'name,kind,state\n"A\nB",city,CA\nC,city,CA\n',
            [(2, "built", r"^a-b-city-ca\.md$"), (4, "built", r"^c-city-ca\.md$")]),
    RowCase("csv-u2028", 'name,kind,state\n"A\u2028B",city,CA\nC,city,CA\n',
            [(2, "built", r"^a-b-city-ca\.md$"), (3, "built", r"^c-city-ca\.md$")]),
    RowCase("csv-vertical-tab", 'name,kind,state\n"A\vB",city,CA\nC,city,CA\n',
            [(2, "failed", r"row 2: jurisdiction\.name: contains U\+000B"), (3, "built", "c-city")]),
    RowCase("csv-dup-names", "name,kind,state\nA,city,CA\nA,city,CA\n",
            [(2, "built", r"^a-city-ca\.md$"), (3, "built", r"^a-city-ca-2\.md$")]),
    RowCase("csv-dup-slug", "name,kind,state\nSt. Paul,city,MN\nSt Paul,city,MN\nst-paul,city,MN\n",
            [(2, "built", r"^st-paul-city-mn\.md$"), (3, "built", r"-2\.md$"), (4, "built", r"-3\.md$")]),
    RowCase("csv-cjk", "name,kind,state\n東京,city,CA\n大阪,city,CA\n",
            [(2, "built", r"^[0-9a-f]{6}-city-ca\.md$"), (3, "built", r"^[0-9a-f]{6}-city-ca\.md$")]),
    RowCase("csv-300-char-name", "name,kind,state\n" + "L" * 300 + ",city,CA\nB,city,CA\n",
            [(2, "built", r"^l{80}-[0-9a-f]{6}-city-ca\.md$"), (3, "built", "b-city")]),
    RowCase("csv-traversal", "name,kind,state\n../../tmp/x,city,CA\n/etc/passwd,city,CA\n",
            [(2, "built", r"^tmp-x-city-ca\.md$"), (3, "built", r"^etc-passwd-city-ca\.md$")]),
    RowCase("csv-nul", 'name,kind,state\n"A\x00B",city,CA\n',
            [(2, "failed", r"row 2: jurisdiction\.name: contains U\+0000")]),
    RowCase("csv-bom", "\ufeffname,kind,state\nA,city,CA\n", [(2, "built", "a-city-ca")]),
    RowCase("csv-blank-lines", "name,kind,state\n\nA,city,CA\n\n\nB,city,CA\n",
            [(3, "built", "a-city"), (6, "built", "b-city")]),
    RowCase("csv-params-noclause", "name,kind,state,params.x\nA,city,CA,1\n",
            [(2, "failed", r"row 2: .*is not a clause id")]),
]


@pytest.mark.parametrize("case", ROW_CASES, ids=[c.id for c in ROW_CASES])
def test_a_bad_csv_row_fails_alone_at_its_line(case: RowCase, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    (tmp_path / "j.csv").write_text(case.csv, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, B)
    assert "Traceback" not in result.output
    assert result.exit_code == (1 if any(s == "failed" for _, s, _ in case.rows) else 0), result.output
    assert isinstance(result.exception, SystemExit) or result.exception is None
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [(r["row"], r["status"]) for r in report["rows"]] == [(line, s) for line, s, _ in case.rows]
    for row, (_, status, pattern) in zip(report["rows"], case.rows, strict=True):
        text = row["errors"][0] if status == "failed" else row["output"]
        assert re.search(pattern, text), text
        if status == "built":
            assert (tmp_path / "out" / row["output"]).is_file()
    outputs = [r["output"] for r in report["rows"] if r["output"]]
    assert len(set(outputs)) == len(outputs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.csv", "out"]
