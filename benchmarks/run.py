"""Time lint-secrets against ruff and bandit on the same trees, as issue 6 asks.

    python benchmarks/run.py [--stdlib PATH] [--runs N] [--files N] [--work DIR] [--keep]

Corpora:
  tree      a large real tree without Replicate usage (default: this Python's standard library)
  dense     --files generated modules of ~150 lines of standard library code, each calling
            Replicate with fake secrets (see make_corpus.py), next to the sample schema cache
  pc-clean  pre-commit sized: 5 real modules that never mention Replicate
  pc-dense  pre-commit sized: 5 generated ~300-line modules that all call Replicate
  notebooks --files/10 Jupyter notebooks: the dense corpus's code split into cells, markdown,
            outputs (text and image-sized blobs), tokens in prose and outputs, checkpoints to skip
  project   a package of --files/10 service modules that send secrets imported from its settings
            module through a client made in another module (issue 11: cross-module resolution)
  pc-config pre-commit sized: only the project's settings module, as a commit that stages it
            alone; the project's unchecked modules that import it are found and analysed

Every tool runs as a subprocess, as a user would run it; the table shows the median wall
time, the median CPU time (user + system, worker processes included) and the largest
resident set of any one process. One extra run per lint-secrets configuration on the dense
corpus samples the proportional set size (PSS) of the whole process tree for the peak total.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus

RUFF_ARGS = ["check", "--no-cache", "--isolated", "--select", "S105,S106,S107"]
BANDIT_ARGS = ["-q", "-r", "-t", "B105,B106"]


@dataclass
class Sample:
    wall: float
    cpu: float
    max_rss_kb: int
    returncode: int


@dataclass
class Row:
    case: str
    tool: str
    samples: List[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mb(self) -> float:
        return max(s.max_rss_kb for s in self.samples) / 1024

    @property
    def codes(self) -> str:
        return ",".join(sorted({str(s.returncode) for s in self.samples}))


def find_tool(name: str) -> Optional[str]:
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    return shutil.which(name)


TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(cmd: Sequence[str], cwd: Path, stdout: int = subprocess.DEVNULL) -> Tuple[Sample, bytes]:
    """Run to completion: wall time, CPU (reaped children included) and max RSS.

    The max RSS comes from GNU time when present: a process started straight from this
    (large) Python inherits its high-water mark through fork, so wait4's figure would
    never go below the benchmark's own size.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        prefix = [TIME, "-f", "%M", "-o", rss_file.name] if TIME else []
        start = time.perf_counter()
        proc = subprocess.Popen([*prefix, *cmd], cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL)
        out = b""
        if stdout == subprocess.PIPE:
            assert proc.stdout is not None
            out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss_kb = int(usage.ru_maxrss)  # KiB on Linux
        if TIME:
            text = rss_file.read().strip().splitlines()
            rss_kb = int(text[-1]) if text and text[-1].isdigit() else rss_kb
            if text and text[0].startswith("Command exited with non-zero status"):
                proc.returncode = int(text[0].rsplit(" ", 1)[-1])
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss_kb, proc.returncode), out


def measure(row: Row, cmd: Sequence[str], cwd: Path, runs: int) -> Row:
    run_once(cmd, cwd)  # warm the page cache and the interpreter's .pyc files
    for _ in range(runs):
        sample, _ = run_once(cmd, cwd)
        row.samples.append(sample)
    return row


def _tree_pss_kb(root: int) -> int:
    """PSS (RSS where PSS is unavailable) summed over `root` and its descendants."""
    parents: Dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            try:
                with open(f"/proc/{pid}/statm") as handle:
                    total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            except OSError:
                pass
    return total


def peak_tree_memory_mb(cmd: Sequence[str], cwd: Path) -> Optional[float]:
    """Peak summed PSS of the process tree, sampled every 10 ms; None without /proc."""
    if not os.path.isdir("/proc/self"):
        return None
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    done.set()
    sampler.join()
    return peak / 1024


def version_of(cmd: Sequence[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return "missing"
    return out.strip().splitlines()[0] if out.strip() else "unknown"


def count_tree(path: Path) -> Tuple[int, int]:
    files = lines = 0
    for directory, subdirs, names in os.walk(path):
        subdirs[:] = [d for d in subdirs if d not in ("site-packages", "__pycache__")]
        for name in names:
            if name.endswith((".py", ".pyi")):
                files += 1
                with open(os.path.join(directory, name), "rb") as handle:
                    lines += handle.read().count(b"\n")
    return files, lines


class Table(List[Row]):
    """The rows measured so far; each is printed as soon as it is measured."""

    HEADER = (
        f"{'case':<10} {'tool':<22} {'median s':>9} {'cpu s':>8} {'max RSS MB':>11} {'runs':>5} {'exit':>5}"
        f"  {'time / lint-secrets':>19}"
    )

    def __init__(self) -> None:
        super().__init__()
        print(self.HEADER + "\n" + "-" * len(self.HEADER), flush=True)

    def append(self, row: Row) -> None:
        super().append(row)
        print(self.line(row), flush=True)

    def line(self, row: Row) -> str:
        if not row.samples:
            return f"{row.case:<10} {row.tool:<22} {'skipped: ' + row.note}"
        base = next((r.wall for r in self if r.case == row.case and r.tool == "lint-secrets"), None)
        ratio = row.wall / base if base else float("nan")
        return (
            f"{row.case:<10} {row.tool:<22} {row.wall:>9.3f} {row.cpu:>8.2f} {row.rss_mb:>11.0f} "
            f"{len(row.samples):>5} {row.codes:>5}  {ratio:>18.2f}x"
        )


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark lint-secrets against ruff and bandit (issue 6).")
    parser.add_argument("--stdlib", type=Path, default=make_corpus.stdlib_dir(), help="Target 1 tree.")
    parser.add_argument(
        "--runs", type=int, default=3, help="Timed runs per tool and corpus (after one warm-up)."
    )
    parser.add_argument("--files", type=int, default=2000, help="Files in the dense corpus.")
    parser.add_argument(
        "--work", type=Path, help="Where to build the corpora (default: a temporary directory)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the corpora afterwards.")
    parser.add_argument(
        "--bandit-tree", action="store_true", help="Also run bandit on the target 1 tree (slow)."
    )
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="lint-secrets-bench-"))
    lint = [sys.executable, "-m", "lint_secrets", "check"]
    ruff = find_tool("ruff")
    bandit = find_tool("bandit")
    print(f"date        {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"machine     {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    )
    print(f"python      {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(f"lint-secrets {version_of([sys.executable, '-m', 'lint_secrets', '--version'])}")
    print(f"ruff        {version_of([ruff, '--version']) if ruff else 'missing: skipped'}")
    print(f"bandit      {version_of([bandit, '--version']) if bandit else 'missing: skipped'}")
    print(f"load avg    {os.getloadavg()[0]:.2f} at start (other work on the machine skews wall times)")

    started = time.perf_counter()
    corpus = make_corpus.build(work / "corpus", files=args.files)
    built = time.perf_counter() - started
    print(
        f"dense       {corpus.dense_files} files, {corpus.dense_lines} lines, {corpus.expected_findings} "
        f"planted findings, digest {make_corpus.digest(corpus.root)} (built in {built:.1f} s)"
    )
    tree_files, tree_lines = count_tree(args.stdlib)
    print(
        f"notebooks   {corpus.notebook_files} notebooks, {corpus.notebook_cells} cells, "
        f"{corpus.notebook_expected} planted findings"
    )
    print(
        f"project     {corpus.project_files} files, {corpus.project_expected} planted findings "
        f"({corpus.project_settings_expected} in settings.py)"
    )
    print(f"tree        {args.stdlib}: {tree_files} files, {tree_lines} lines (site-packages excluded)")
    print(f"runs        {args.runs} timed per row (pre-commit rows: {args.runs * 3}), after one warm-up\n")
    sys.stdout.flush()

    root = corpus.root
    small_runs = args.runs * 3
    pc_clean = [str(p.relative_to(root)) for p in corpus.precommit_clean]
    pc_dense = [str(p.relative_to(root)) for p in corpus.precommit_dense]
    rows = Table()

    def others(case: str, targets: List[str], runs: int, with_bandit: bool = True) -> None:
        if ruff:
            rows.append(measure(Row(case, "ruff S105-S107"), [ruff, *RUFF_ARGS, *targets], root, runs))
        else:
            rows.append(Row(case, "ruff S105-S107", note="ruff not found"))
        if not with_bandit:
            rows.append(Row(case, "bandit B105,B106", note="pass --bandit-tree to include"))
        elif bandit:
            rows.append(measure(Row(case, "bandit B105,B106"), [bandit, *BANDIT_ARGS, *targets], root, runs))
        else:
            rows.append(Row(case, "bandit B105,B106", note="bandit not found"))

    tree = str(args.stdlib)
    rows.append(measure(Row("tree", "lint-secrets"), [*lint, tree], root, args.runs))
    others("tree", [tree], args.runs, with_bandit=args.bandit_tree)
    rows.append(measure(Row("dense", "lint-secrets"), [*lint, "dense"], root, args.runs))
    rows.append(
        measure(Row("dense", "lint-secrets --jobs 1"), [*lint, "--jobs", "1", "dense"], root, args.runs)
    )
    # Every fix made by the LibCST engine and shown as a diff: the cost of --fix without
    # rewriting the corpus (a real --fix run would leave nothing to fix on the next run).
    rows.append(measure(Row("dense", "lint-secrets --diff"), [*lint, "--diff", "dense"], root, args.runs))
    others("dense", ["dense"], args.runs)
    notebooks = str(corpus.notebooks.relative_to(root))
    rows.append(measure(Row("notebooks", "lint-secrets"), [*lint, notebooks], root, args.runs))
    rows.append(
        measure(Row("notebooks", "lint-secrets --diff"), [*lint, "--diff", notebooks], root, args.runs)
    )
    if ruff:  # ruff lints notebooks too; bandit does not read them
        rows.append(
            measure(Row("notebooks", "ruff S105-S107"), [ruff, *RUFF_ARGS, notebooks], root, args.runs)
        )
    assert corpus.project is not None
    project = str(corpus.project.relative_to(root))
    settings = str((corpus.project / "app" / "settings.py").relative_to(root))
    rows.append(measure(Row("project", "lint-secrets"), [*lint, project], root, args.runs))
    others("project", [project], args.runs)
    rows.append(measure(Row("pc-config", "lint-secrets"), [*lint, settings], root, small_runs))
    others("pc-config", [settings], small_runs)
    rows.append(measure(Row("pc-clean", "lint-secrets"), [*lint, *pc_clean], root, small_runs))
    others("pc-clean", pc_clean, small_runs)
    rows.append(measure(Row("pc-dense", "lint-secrets"), [*lint, *pc_dense], root, small_runs))
    others("pc-dense", pc_dense, small_runs)

    # Peak memory of the whole process tree, and the same findings with one worker and many.
    peak = peak_tree_memory_mb([*lint, "dense"], root)
    peak_one = peak_tree_memory_mb([*lint, "--jobs", "1", "dense"], root)
    outputs = {}
    for label, extra in (("default jobs", []), ("--jobs 1", ["--jobs", "1"])):
        _, out = run_once([*lint, "--output-format", "json", *extra, "dense"], root, stdout=subprocess.PIPE)
        outputs[label] = out
    same = outputs["default jobs"] == outputs["--jobs 1"]
    try:
        found = len(json.loads(outputs["default jobs"])["findings"])
    except (ValueError, KeyError):
        found = -1

    by = {(r.case, r.tool): r for r in rows if r.samples}

    def ratio(case: str, tool: str) -> Optional[float]:
        other, ours = by.get((case, tool)), by.get((case, "lint-secrets"))
        return other.wall / ours.wall if other and ours else None

    print("\nTargets (issue 6)")
    verdicts = []
    r1 = ratio("tree", "ruff S105-S107")
    verdicts.append(
        (
            "1. tree: lint-secrets no slower than ruff",
            None if r1 is None else r1 >= 1.0,
            f"ruff/lint-secrets = {r1:.2f}x" if r1 else "ruff missing",
        )
    )
    r2 = ratio("dense", "bandit B105,B106")
    verdicts.append(
        (
            "2. dense: >= 2x bandit's throughput",
            None if r2 is None else r2 >= 2.0,
            f"bandit/lint-secrets = {r2:.2f}x" if r2 else "bandit missing",
        )
    )
    mem_note = (
        f"peak PSS of the process tree {peak:.0f} MB (--jobs 1: {peak_one:.0f} MB)" if peak else "no /proc"
    )
    verdicts.append(("2. dense: peak memory under 300 MB", None if peak is None else peak < 300, mem_note))
    verdicts.append(
        (
            "2. dense: same findings, one worker and many",
            same,
            f"{found} findings (planted {corpus.expected_findings}); JSON byte-identical: {same}",
        )
    )
    pc1, pc2 = by[("pc-clean", "lint-secrets")].wall, by[("pc-dense", "lint-secrets")].wall
    verdicts.append(("3. 5 files without Replicate under 0.15 s", pc1 < 0.15, f"{pc1:.3f} s"))
    verdicts.append(("3. 5 x 300-line Replicate files under 0.5 s", pc2 < 0.5, f"{pc2:.3f} s"))
    for name, ok, detail in verdicts:
        mark = "n/a" if ok is None else ("MET" if ok else "NOT MET")
        print(f"  {mark:<8} {name:<48} {detail}")
    _, out = run_once([*lint, "--output-format", "json", notebooks], root, stdout=subprocess.PIPE)
    try:
        in_notebooks = len(json.loads(out)["findings"])
    except (ValueError, KeyError):
        in_notebooks = -1
    print(f"  notebooks: {in_notebooks} findings (planted {corpus.notebook_expected}); checkpoints skipped")
    found_in = {}
    for label, target in (("project", project), ("pc-config", settings)):
        _, out = run_once([*lint, "--output-format", "json", target], root, stdout=subprocess.PIPE)
        try:
            found_in[label] = len(json.loads(out)["findings"])
        except (ValueError, KeyError):
            found_in[label] = -1
    print(
        f"  project: {found_in['project']} findings (planted {corpus.project_expected}); settings.py staged "
        f"alone: {found_in['pc-config']} (planted there {corpus.project_settings_expected})"
    )
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    elif args.keep:
        print(f"corpora kept in {work / 'corpus'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
