"""Benchmarks against peers on the same content, as ratios measured in one run.

    python bench/run.py                  # the whole scale series (about 20-30 minutes on 2 cores)
    python bench/run.py --quick          # fewer rounds, sizes up to +1,000 clauses
    python bench/run.py --sizes 200,1000 --batch 50

Every figure is a median of runs measured side by side: the commands of one comparison run
round-robin (A B C, then C B A, ...), so machine noise hits each alike. Each run records wall
time, CPU time (user + sys of the process, from wait4) and peak memory; on a shared machine
the CPU ratio is the steadier one, and both are printed. drafter's caches live in a private
XDG_CACHE_HOME made for this run ("warm": filled by a first run; "cold": an empty folder for
each run), never ``~/.cache``.

Sections:
1. start-up: ``drafter --help``, ``--version`` and ``clauses list`` against ``python -c pass``;
2. the sample draft (samples/oakland-ca.yaml): drafter build .docx warm and cold, pandoc on the
   draft's own Markdown, docxtpl rendering the same paragraphs into a Word template;
3. every clause of a library (the built-in one, then +200, +1,000, +2,000, +5,000 generated
   clauses, bench/genlib.py) as .docx and .md, beside pandoc and docxtpl on the same content;
4. ``drafter check`` of the same libraries, warm (results of the last run kept), cold (an
   empty cache), ``--no-cache`` (every clause checked again; parses and compiles kept) and
   ``--jobs 2``;
5. ``drafter analyze`` of a policy of 10 KB, 100 KB, 1 MB and 5 MB (the test corpus repeated),
   beside pandoc reading the same text;
6. optionally (``--batch N``) ``drafter batch`` of N jurisdictions against N pandoc runs.
The targets are issue 17's; the summary says which were met.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from genlib import make_library  # noqa: E402

SAMPLE = ROOT / "samples" / "oakland-ca.yaml"
DRAFTER = [sys.executable, "-m", "drafter"]
_SCRIPT = Path(sys.executable).with_name("drafter")  # the console script a person types
COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else DRAFTER
STATES = ["CA", "IL", "OR", "WA", "NY", "NJ", "MA", "CO", "MN", "NM", "TX", "FL"]
KINDS = ["city", "county", "town"]
ANALYZE_SIZES = {"10 KB": 10_000, "100 KB": 100_000, "1 MB": 1_000_000, "5 MB": 5_000_000}

DOCXTPL_SCRIPT = '''
import json, sys
from docxtpl import DocxTemplate
tpl = DocxTemplate(sys.argv[1])
tpl.render({"paras": json.load(open(sys.argv[2], encoding="utf-8"))})
tpl.save(sys.argv[3])
'''


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    refused: int = 0  # runs that exited 1 (check with errors, analyze past its size limit)

    @property
    def w(self) -> float:
        return statistics.median(self.wall)

    @property
    def c(self) -> float:
        return statistics.median(self.cpu)


@dataclass
class Command:
    argv: list[str]
    env: dict[str, str] | None = None
    fresh_cache: bool = False  # an empty XDG_CACHE_HOME for every run (a cold start)


def run_once(command: Command, cwd: Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s of the process, max RSS MB, exit code) of one run."""
    env = dict(os.environ if command.env is None else command.env)
    scratch = None
    if command.fresh_cache:
        scratch = tempfile.mkdtemp(prefix="drafter-bench-cold-")
        env["XDG_CACHE_HOME"] = scratch
    start = time.perf_counter()
    proc = subprocess.Popen(command.argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if scratch:
        shutil.rmtree(scratch, ignore_errors=True)
    if proc.returncode not in (0, 1):  # check exits 1 on a library with errors
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command.argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def interleave(commands: dict[str, Command], rounds: int, cwd: Path, warmup: int = 1) -> dict[str, Sample]:
    """Run every command ``rounds`` times, round-robin, alternating the order each round."""
    names = list(commands)
    for _ in range(warmup):
        for name in names:
            run_once(commands[name], cwd)
    samples = {name: Sample() for name in names}
    for index in range(rounds):
        for name in names if index % 2 == 0 else reversed(names):
            wall, cpu, rss, code = run_once(commands[name], cwd)
            samples[name].refused += code != 0
            samples[name].wall.append(wall)
            samples[name].cpu.append(cpu)
            samples[name].rss.append(rss)
    return samples


def table(title: str, samples: dict[str, Sample], base: str | None = None) -> None:
    print(f"\n### {title}\n")
    print("| command | wall (median) | CPU (median) | max RSS | wall / base | CPU / base |")
    print("|---|---|---|---|---|---|")
    ref = samples[base] if base else None
    for name, s in samples.items():
        ratio_w = f"{s.w / ref.w:.2f}x" if ref else ""
        ratio_c = f"{s.c / ref.c:.2f}x" if ref else ""
        shown = f"{name} (exit 1: refused or errors)" if s.refused else name
        print(f"| {shown} | {_t(s.w)} | {_t(s.c)} | {max(s.rss):.0f} MB | {ratio_w} | {ratio_c} |")
    sys.stdout.flush()


def _t(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


class Verdicts:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool]] = []

    def add(self, what: str, figure: str, target: str, met: bool) -> None:
        self.rows.append((what, figure, target, met))

    def print(self) -> None:
        print("\n### Targets (issue 17)\n")
        print("| measure | result (wall; CPU) | target | met |")
        print("|---|---|---|---|")
        for what, figure, target, met in self.rows:
            print(f"| {what} | {figure} | {target} | {'yes' if met else '**no**'} |")


def ratio(a: Sample, b: Sample) -> tuple[float, float]:
    return a.w / b.w, a.c / b.c


def paragraphs_json(md: Path, out: Path) -> None:
    """The draft's paragraphs (from its Markdown) for docxtpl: the same content."""
    import json

    paras = [{"text": line.strip().lstrip("#").strip()}
             for line in md.read_text(encoding="utf-8").split("\n\n") if line.strip()]
    out.write_text(json.dumps(paras), encoding="utf-8")


def docxtpl_command(work: Path, md: Path, tag: str) -> Command | None:
    try:
        import docxtpl  # noqa: F401
        from docx import Document
    except ImportError:
        return None
    template = work / "template.docx"
    if not template.exists():
        doc = Document(str(ROOT / "templates" / "reference.docx"))
        doc.add_paragraph("{%p for p in paras %}")
        doc.add_paragraph("{{ p.text }}")
        doc.add_paragraph("{%p endfor %}")
        doc.save(str(template))
        (work / "render_tpl.py").write_text(DOCXTPL_SCRIPT)
    paras = work / f"paras-{tag}.json"
    paragraphs_json(md, paras)
    return Command([sys.executable, str(work / "render_tpl.py"), str(template), str(paras),
                    str(work / f"tpl-{tag}.docx")])


def check_options() -> str:
    return subprocess.run([*DRAFTER, "check", "--help"], capture_output=True, text=True).stdout


# ---------------------------------------------------------------- sections


def startup(work: Path, rounds: int, verdicts: Verdicts) -> None:
    commands = {
        "python -c pass": Command([sys.executable, "-c", "pass"]),
        "drafter --help": Command([*COMMAND, "--help"]),
        "python -m drafter --help": Command([*DRAFTER, "--help"]),
        "drafter --version": Command([*COMMAND, "--version"]),
        "drafter clauses list": Command([*COMMAND, "clauses", "list"]),
        "drafter clauses list --json": Command([*COMMAND, "clauses", "list", "--json"]),
    }
    samples = interleave(commands, rounds * 3, work, warmup=2)
    table("1. Start-up", samples, "python -c pass")
    w, c = ratio(samples["drafter --help"], samples["python -c pass"])
    verdicts.add("`drafter --help` / `python -c pass`", f"{w:.1f}x; {c:.1f}x", "<= 3x", w <= 3)


def installed(work: Path) -> dict[str, str] | None:
    """An environment in which ``python -m drafter`` is drafter as pip installs it from its
    wheel: bytecode compiled and the built-in library shipped parsed (hatch_build.py). None
    if the wheel cannot be built here (it needs its build requirements from PyPI)."""
    wheels, target = work / "wheel", work / "installed"
    try:
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                        *map(str, wheels.glob("*.whl"))], check=True, stdout=subprocess.DEVNULL)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"(no installed-wheel rows: {exc})")
        return None
    return {**os.environ, "PYTHONPATH": str(target)}


def sample_build(work: Path, rounds: int, pandoc: str | None, verdicts: Verdicts) -> None:
    md = work / "sample.md"
    subprocess.run([*DRAFTER, "build", str(SAMPLE), "-o", str(md), "--force", "-q"], check=True)
    wheel = installed(work)
    commands = {
        "drafter build .docx (warm)": Command([*DRAFTER, "build", str(SAMPLE), "-o", str(work / "d.docx"),
                                               "--force", "-q"]),
        "drafter build .docx (cold: empty cache)": Command(
            [*DRAFTER, "build", str(SAMPLE), "-o", str(work / "dc.docx"), "--force", "-q"], fresh_cache=True),
        "drafter build .md (warm)": Command([*DRAFTER, "build", str(SAMPLE), "-o", str(work / "d.md"),
                                             "--force", "-q"]),
    }
    if wheel:  # as a user has it: pip install from the wheel
        commands["installed: build .docx (warm)"] = Command(
            [*DRAFTER, "build", str(SAMPLE), "-o", str(work / "i.docx"), "--force", "-q"], env=wheel)
        commands["installed: build .docx (cold: empty cache)"] = Command(
            [*DRAFTER, "build", str(SAMPLE), "-o", str(work / "ic.docx"), "--force", "-q"], env=wheel,
            fresh_cache=True)
    if pandoc:
        commands["pandoc same .md -> .docx"] = Command([pandoc, str(md), "-o", str(work / "p.docx")])
    tpl = docxtpl_command(work, md, "sample")
    if tpl:
        commands["docxtpl same paragraphs"] = tpl
    samples = interleave(commands, rounds, work)
    base = "pandoc same .md -> .docx" if pandoc else None
    table("2. The sample draft (oakland-ca.yaml, 40 clauses)", samples, base)
    if pandoc:
        who = "installed: build .docx" if wheel else "drafter build .docx"
        w, c = ratio(samples[f"{who} (warm)"], samples[base])
        verdicts.add(f"sample build (warm{', installed' if wheel else ''}) / pandoc", f"{w:.2f}x; {c:.2f}x",
                     "<= 0.5x", w <= 0.5)
        w, c = ratio(samples[f"{who} (cold: empty cache)"], samples[base])
        verdicts.add(f"sample build (cold{', installed' if wheel else ''}) / pandoc", f"{w:.2f}x; {c:.2f}x",
                     "<= 1.0x", w <= 1.0)


def every_clause(work: Path, sizes: list[int], libs: dict[int, Path | None], pandoc: str | None,
                 rounds_small: int, verdicts: Verdicts) -> None:
    results: dict[int, dict[str, Sample]] = {}
    for size in [0, *sizes]:
        lib = libs[size]
        answers = work / f"all{size}.yaml"
        # in a child process: loading a large library here would raise this process's size,
        # which every command started from it then reports as its own max RSS (fork + exec)
        subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
                        "from pathlib import Path; from genlib import every_clause_answers; "
                        "every_clause_answers(Path(sys.argv[2]), Path(sys.argv[3]) if sys.argv[3] else None)",
                        str(Path(__file__).resolve().parent), str(answers), str(lib or "")], check=True)
        extra = ["--library", str(lib)] if lib else []
        md = work / f"all{size}.md"
        subprocess.run([*DRAFTER, "build", str(answers), "-o", str(md), "--force", "-q", *extra], check=True)
        commands = {
            "drafter .docx": Command([*DRAFTER, "build", str(answers), "-o", str(work / f"all{size}.docx"),
                                      "--force", "-q", *extra]),
            "drafter .md": Command([*DRAFTER, "build", str(answers), "-o", str(work / f"all{size}b.md"),
                                    "--force", "-q", *extra]),
        }
        if pandoc:
            commands["pandoc .md -> .docx"] = Command([pandoc, str(md), "-o", str(work / f"p{size}.docx")])
        tpl = docxtpl_command(work, md, f"all{size}")
        if tpl:
            commands["docxtpl"] = tpl
        rounds = rounds_small if size <= 200 else 1
        samples = interleave(commands, rounds, work, warmup=1 if size <= 200 else 0)
        results[size] = samples
        clauses = sum(1 for line in answers.read_text().splitlines() if line.startswith("  - "))
        table(f"3. Every clause, built-in + {size:,} generated ({clauses:,} clauses in the draft)", samples,
              "pandoc .md -> .docx" if pandoc else None)
    if pandoc and 2000 in results:
        w, c = ratio(results[2000]["drafter .docx"], results[2000]["pandoc .md -> .docx"])
        verdicts.add("every clause of +2,000 as .docx / pandoc", f"{w:.2f}x; {c:.2f}x", "<= 1.0x", w <= 1.0)
    if 2000 in results and 1000 in results:
        w, c = ratio(results[2000]["drafter .docx"], results[1000]["drafter .docx"])
        verdicts.add("every clause .docx, +2,000 / +1,000", f"{w:.2f}x; {c:.2f}x", "<= 2.2x", w <= 2.2)


def check_series(work: Path, sizes: list[int], libs: dict[int, Path | None], verdicts: Verdicts) -> None:
    options = check_options()
    jobs, no_cache = "--jobs" in options, "--no-cache" in options
    results: dict[int, dict[str, Sample]] = {}
    for size in [0, *sizes]:
        lib = libs[size]
        extra = ["--library", str(lib)] if lib else ["--library", str(ROOT / "clauses")]
        commands = {
            "check (warm)": Command([*DRAFTER, "check", *extra]),
            "check (cold: empty cache)": Command([*DRAFTER, "check", *extra], fresh_cache=True),
        }
        if jobs:
            commands["check --jobs 2 (warm)"] = Command([*DRAFTER, "check", "--jobs", "2", *extra])
        if no_cache:  # every clause checked and every preset built again; parses and compiles kept
            commands["check --no-cache (parses and compiles kept)"] = Command(
                [*DRAFTER, "check", "--no-cache", *extra])
            if jobs:
                commands["check --no-cache --jobs 2"] = Command([*DRAFTER, "check", "--no-cache", "--jobs", "2",
                                                                 *extra])
        rounds = 3 if size <= 200 else 1
        samples = interleave(commands, rounds, work)
        results[size] = samples
        table(f"4. drafter check, built-in + {size:,} generated clauses", samples, "check (warm)")
    if 2000 in results:
        best = min(results[2000].items(), key=lambda item: item[1].w if "warm" in item[0] else 1e9)
        verdicts.add("check built-in + 2,000 (warm)", f"{_t(best[1].w)}; {_t(best[1].c)} ({best[0]})",
                     "<= 5 s", best[1].w <= 5)
    if 2000 in results and 5000 in results:
        w, c = ratio(results[5000]["check (warm)"], results[2000]["check (warm)"])
        verdicts.add("check +5,000 / +2,000 (warm)", f"{w:.2f}x; {c:.2f}x", "<= 2.6x", w <= 2.6)


def analyze_series(work: Path, pandoc: str | None, quick: bool) -> None:
    corpus = "\n\n".join(p.read_text(encoding="utf-8")
                         for p in sorted((ROOT / "tests" / "corpus" / "policies").glob("*.txt")))
    samples_by: dict[str, dict[str, Sample]] = {}
    for label, size in ANALYZE_SIZES.items():
        if quick and size > 1_000_000:
            continue
        policy = work / f"policy-{size}.txt"
        text = (corpus * (size // len(corpus) + 1))[:size]
        policy.write_text(text, encoding="utf-8")
        commands = {"drafter analyze --json": Command([*DRAFTER, "analyze", str(policy), "--json"])}
        if pandoc:
            commands["pandoc reading the same text (-> .docx)"] = Command(
                [pandoc, "-f", "markdown", str(policy), "-o", str(work / f"policy-{size}.docx")])
        samples_by[label] = interleave(commands, 3 if size <= 100_000 else 1, work)
        table(f"5. drafter analyze, {label} policy", samples_by[label], "drafter analyze --json")
    medians = {label: s["drafter analyze --json"].w for label, s in samples_by.items()}
    labels = list(medians)
    print("\nanalyze time per step (x the previous size):",
          ", ".join(f"{b}/{a}: {medians[b] / medians[a]:.2f}x" for a, b in zip(labels, labels[1:], strict=False)))


def batch_series(work: Path, count: int, pandoc: str | None) -> None:
    md = work / "sample.md"
    csv_path = work / "jurisdictions.csv"
    with csv_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "kind", "state"])
        for index in range(count):
            writer.writerow([f"Place {index:03d}", KINDS[index % len(KINDS)], STATES[index % len(STATES)]])
    wall, cpu, _, _ = run_once(Command([*DRAFTER, "batch", str(csv_path), "-o", str(work / "batch"), "-q"]), work)
    print(f"\n### 6. Batch of {count}\n\ndrafter batch: {wall:.1f} s wall, {cpu:.1f} s CPU")
    if pandoc:
        drafts = work / "pandoc-batch"
        drafts.mkdir(exist_ok=True)
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda i: subprocess.run([pandoc, str(md), "-o", str(drafts / f"{i}.docx")],
                                                   check=True), range(count)))
        parallel = time.perf_counter() - start
        print(f"{count} pandoc conversions, 2 at a time: {parallel:.1f} s; batch / pandoc = "
              f"{wall / parallel:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds; sizes up to +1,000")
    parser.add_argument("--rounds", type=int, default=None, help="rounds for the small commands")
    parser.add_argument("--sizes", default=None, help="generated-clause counts, e.g. 200,1000,2000,5000")
    parser.add_argument("--only", default="", help="sections to run, e.g. startup,sample,every,check,analyze")
    parser.add_argument("--batch", type=int, default=0, help="also time a batch of N jurisdictions")
    args = parser.parse_args()
    rounds = args.rounds or (3 if args.quick else 7)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else (
        [200, 1000] if args.quick else [200, 1000, 2000, 5000])
    only = set(args.only.split(",")) - {""} or {"startup", "sample", "every", "check", "analyze"}
    pandoc = shutil.which("pandoc")
    verdicts = Verdicts()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as tmp:
        work = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # warm runs share this private cache
        # As installed: pip compiles every module to bytecode, so drafter is measured with its
        # .pyc files present (a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise make
        # every run compile drafter's own sources again, about 70 ms of a build).
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "drafter")], check=True)
        version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split()[1] \
            if pandoc else "none"
        print(f"# drafter bench, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
              f"load {' '.join(f'{x:.1f}' for x in os.getloadavg())}; pandoc {version}")
        libs: dict[int, Path | None] = {0: None}
        for size in sizes:
            libs[size] = make_library(work / f"lib{size}", size)
        if "startup" in only:
            startup(work, rounds, verdicts)
        if "sample" in only:
            sample_build(work, rounds, pandoc, verdicts)
        if "every" in only:
            every_clause(work, sizes, libs, pandoc, max(2, rounds // 2), verdicts)
        if "check" in only:
            check_series(work, sizes, libs, verdicts)
        if "analyze" in only:
            analyze_series(work, pandoc, args.quick)
        if args.batch:
            batch_series(work, args.batch, pandoc)
        verdicts.print()
        print(f"\n(whole run: {(time.perf_counter() - began) / 60:.1f} min; load now "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
