"""Benchmarks against peers on the same content, as ratios measured in one run.

    python bench/run.py            # start-up, one build, and a 200-jurisdiction batch
    python bench/run.py --quick    # fewer rounds and a 50-jurisdiction batch

Compared on the same draft (samples/oakland-ca.yaml):
- drafter build (whole process, .docx) against pandoc converting the draft's own Markdown,
  and against docxtpl rendering the same paragraphs into a Word template;
- drafter --help against a bare `python -c pass`;
- drafter batch of N jurisdictions against N pandoc conversions (one after another, and two
  at a time on this 2-core machine).
Rounds are interleaved (A B C A B C ...) so machine noise hits every command alike; the
medians are printed with their ratios.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "oakland-ca.yaml"
DRAFTER = [sys.executable, "-m", "drafter"]
STATES = ["CA", "IL", "OR", "WA", "NY", "NJ", "MA", "CO", "MN", "NM", "TX", "FL"]
KINDS = ["city", "county", "town"]

DOCXTPL_SCRIPT = '''
import sys
from docxtpl import DocxTemplate
import json
tpl = DocxTemplate(sys.argv[1])
tpl.render({"paras": json.load(open(sys.argv[2]))})
tpl.save(sys.argv[3])
'''


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def make_docxtpl_inputs(work: Path) -> list[str] | None:
    """A Word template with a paragraph loop, and the draft's paragraphs as JSON."""
    try:
        import docx  # noqa: F401
        import docxtpl  # noqa: F401
    except ImportError:
        return None
    import json

    from docx import Document

    from drafter.errors import Problems
    from drafter.layout import layout
    from drafter.library import load_library
    from drafter.render import build_document
    from drafter.resolve import load_answers, resolve

    library = load_library()
    document = build_document(library, resolve(library, load_answers(SAMPLE, Problems())))
    paras = [{"text": line.text} for line in layout(document)]
    (work / "paras.json").write_text(json.dumps(paras))
    template = Document(str(ROOT / "templates" / "reference.docx"))
    template.add_paragraph("{%p for p in paras %}")
    template.add_paragraph("{{ p.text }}")
    template.add_paragraph("{%p endfor %}")
    template.save(str(work / "template.docx"))
    (work / "render_tpl.py").write_text(DOCXTPL_SCRIPT)
    return [sys.executable, str(work / "render_tpl.py"), str(work / "template.docx"),
            str(work / "paras.json"), str(work / "tpl.docx")]


def write_jurisdictions(path: Path, count: int) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "kind", "state"])
        for index in range(count):
            writer.writerow([f"Place {index:03d}", KINDS[index % len(KINDS)],
                             STATES[index % len(STATES)]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--batch", type=int, default=None, help="jurisdictions in the batch run")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 7)
    count = args.batch or (50 if args.quick else 200)
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        work = Path(tmp)
        md = work / "draft.md"
        subprocess.run([*DRAFTER, "build", str(SAMPLE), "-o", str(md), "--force", "-q"],
                       check=True)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "drafter --help": [*DRAFTER, "--help"],
            "drafter build (docx)": [*DRAFTER, "build", str(SAMPLE), "-o", str(work / "d.docx"),
                                     "--force", "-q"],
        }
        if pandoc:
            commands["pandoc md -> docx"] = [pandoc, str(md), "-o", str(work / "p.docx")]
        tpl = make_docxtpl_inputs(work)
        if tpl:
            commands["docxtpl render"] = tpl
        for command in commands.values():  # warm-up (file caches, drafter's parse cache)
            timed(command, work)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, command in commands.items():
                samples[name].append(timed(command, work))
        medians = {name: statistics.median(values) for name, values in samples.items()}
        print(f"{'command':28} {'median':>9}   ({rounds} interleaved rounds)")
        for name, value in medians.items():
            print(f"{name:28} {value * 1000:8.0f} ms")
        print()
        print(f"drafter --help / python -c pass: {medians['drafter --help'] / medians['python -c pass']:.1f}x"
              "  (target <= 6x)")
        if pandoc:
            print(f"drafter build / pandoc:          "
                  f"{medians['drafter build (docx)'] / medians['pandoc md -> docx']:.2f}x  (target <= 2x)")
        if tpl:
            print(f"drafter build / docxtpl:         "
                  f"{medians['drafter build (docx)'] / medians['docxtpl render']:.2f}x")

        csv_path = work / "jurisdictions.csv"
        write_jurisdictions(csv_path, count)
        batch_time = timed([*DRAFTER, "batch", str(csv_path), "-o", str(work / "batch"), "-q"], work)
        print()
        print(f"drafter batch of {count}:           {batch_time:7.1f} s")
        if pandoc:
            drafts = work / "pandoc"
            drafts.mkdir()
            start = time.perf_counter()
            for index in range(count):
                subprocess.run([pandoc, str(md), "-o", str(drafts / f"{index}.docx")], check=True)
            sequential = time.perf_counter() - start
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(lambda i: subprocess.run(
                    [pandoc, str(md), "-o", str(drafts / f"p{i}.docx")], check=True), range(count)))
            parallel = time.perf_counter() - start
            print(f"{count} pandoc conversions:        {sequential:7.1f} s "
                  f"(2 at a time: {parallel:.1f} s)")
            print(f"drafter batch / pandoc:          {batch_time / sequential:.2f}x  (target < 0.5x); "
                  f"against 2 at a time: {batch_time / parallel:.2f}x")


if __name__ == "__main__":
    main()
