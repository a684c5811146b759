"""Time lint-secrets against ruff and bandit on the same trees, as issue 6 asks.

    python benchmarks/run.py [--stdlib PATH] [--runs N] [--files N] [--work DIR] [--keep]
                             [--baseline REF|none]

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

lint-secrets runs as pre-commit and `pip install` set it up: the checkout installed (not
editable) into a virtual environment of its own in the work directory, started by its
`lint-secrets` script. (An editable install's import hook adds about 50 ms to every start;
`--in-place` runs `python -m lint_secrets` from this interpreter instead.)

The baseline (issue 17: "no slower than 0.1.0"): `--baseline REF` (default: dce1c98, the
0.1.0 release) takes that commit's `lint_secrets/` out of this checkout's git history with
`git archive` into the work directory and runs it as `python -m lint_secrets check` with
PYTHONPATH pointing there, by the same interpreter (and so the same click) as the install
under test. A probe makes sure that interpreter imports the extracted package, not the
installed one; if it does not, the baseline rows say FAILED and the run ends with exit 1.
Its rows stand next to the current ones in large, dense, pc-clean and pc-dense, and the
two are timed in alternation (ABBA), so drift on a shared machine falls on both alike:
the large verdict compares times taken in the same run on the same tree, not numbers from
another day. Without git or without that commit the rows say why they were skipped and
the run goes on; `--baseline none` skips them.

Every tool runs as a subprocess, as a user would run it; the table shows the median wall
time, the median CPU time (user + system, worker processes included) and the largest
resident set of any one process. One extra run per lint-secrets configuration on the dense
corpus (and of the current code and the baseline on the large tree) samples the
proportional set size (PSS) of the whole process tree for the peak total.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_corpus

CASES = (
    "tree",
    "dense",
    "notebooks",
    "project",
    "small",
    "big",
    "large",
    "pc-clean",
    "pc-config",
    "pc-dense",
)
# 0.1.0: the last commit of 2026-11-27, the release issue 17's "no slower than now" means.
BASELINE_0_1_0 = "dce1c98368ebd485df33e5806d5890bf00b42fa8"
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


def run_once(
    cmd: Sequence[str], cwd: Path, stdout: int = subprocess.DEVNULL, env: Optional[Mapping[str, str]] = None
) -> Tuple[Sample, bytes]:
    """Run to completion: wall time, CPU (reaped children included) and max RSS.

    The max RSS comes from GNU time when present: a process started straight from this
    (large) Python inherits its high-water mark through fork, so wait4's figure would
    never go below the benchmark's own size.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss_file:
        prefix = [TIME, "-f", "%M", "-o", rss_file.name] if TIME else []
        start = time.perf_counter()
        proc = subprocess.Popen([*prefix, *cmd], cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
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


Job = Tuple[Row, Sequence[str], Optional[Mapping[str, str]]]


def measure_interleaved(jobs: Sequence[Job], cwd: Path, runs: int) -> None:
    """Time several commands in alternation, ABBA: drift on a shared machine (a neighbour's
    job starting, the CPU clock) then falls on every row alike instead of on whichever ran
    last, which matters when the rows are compared with each other."""
    for _, cmd, env in jobs:
        run_once(cmd, cwd, env=env)  # warm-up, as in measure()
    for round_number in range(runs):
        for row, cmd, env in jobs if round_number % 2 == 0 else list(reversed(jobs)):
            sample, _ = run_once(cmd, cwd, env=env)
            row.samples.append(sample)


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


def peak_tree_memory_mb(
    cmd: Sequence[str], cwd: Path, env: Optional[Mapping[str, str]] = None
) -> Optional[float]:
    """Peak summed PSS of the process tree, sampled every 10 ms; None without /proc."""
    return peak_memory_and_output(cmd, cwd, env, stdout=subprocess.DEVNULL)[0]


def peak_memory_and_output(
    cmd: Sequence[str],
    cwd: Path,
    env: Optional[Mapping[str, str]] = None,
    stdout: int = subprocess.PIPE,
) -> Tuple[Optional[float], bytes]:
    """peak_tree_memory_mb(), and what the command wrote to stdout (with the default `stdout`)."""
    if not os.path.isdir("/proc/self"):
        _, out = run_once(cmd, cwd, stdout=stdout, env=env)
        return None, out
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_pss_kb(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out = proc.stdout.read() if proc.stdout else b""
    proc.wait()
    done.set()
    sampler.join()
    return peak / 1024, out


FINDING_LINE = re.compile(rb"^\S.*:\d+:\d+: [A-Z]+\d+ ", re.MULTILINE)


def count_findings(text_report: bytes) -> int:
    """Findings in a text report (`path:line:col: CODE ...`, the same in 0.1.0 and now)."""
    return len(FINDING_LINE.findall(text_report))


CHECKOUT = Path(__file__).resolve().parent.parent


def venv_bin(work: Path, name: str) -> Path:
    """A program of the virtual environment installed() makes under `work`."""
    return work / "venv" / ("Scripts" if os.name == "nt" else "bin") / name


def installed(work: Path) -> List[str]:
    """`lint-secrets check` from a regular install of this checkout in a venv under `work`."""
    checkout = CHECKOUT
    venv = work / "venv"
    script = venv_bin(work, "lint-secrets")
    python = venv_bin(work, "python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q"]
    # The dependencies once; the checkout again each time (its version number does not change).
    subprocess.run([*pip, str(checkout)], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*pip, "--no-deps", "--force-reinstall", str(checkout)], check=True, stdout=subprocess.DEVNULL
    )
    return [str(script), "check"]


class BaselineUnavailable(Exception):
    """Why the baseline's rows are skipped (no git, no such commit, no package in it)."""


def extract_package(checkout: Path, ref: str, dest: Path) -> str:
    """Write commit `ref`'s `lint_secrets/` from `checkout`'s git history under `dest`
    (emptied first); the full commit id."""
    git = shutil.which("git")
    if git is None:
        raise BaselineUnavailable("git not found")
    # The checkout's own repository, even when started from a git hook that set GIT_DIR.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    resolved = subprocess.run(
        [git, "-C", str(checkout), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
        env=env,
    )
    if resolved.returncode != 0:
        raise BaselineUnavailable(f"{ref} is not a commit in the git history of {checkout}")
    commit = resolved.stdout.strip()
    archive = subprocess.run(
        [git, "-C", str(checkout), "archive", "--format=tar", commit, "lint_secrets"],
        capture_output=True,
        env=env,
    )
    if archive.returncode != 0:
        message = archive.stderr.decode(errors="replace").strip().splitlines()
        raise BaselineUnavailable(
            f"git archive {ref} lint_secrets failed: {message[-1] if message else archive.returncode}"
        )
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # 3.12, and security releases of 3.9-3.11
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)
    return commit


IMPORT_PROBE = "import lint_secrets; print(lint_secrets.__file__); print(lint_secrets.__version__)"


def imported_package(python: str, cwd: Path, env: Optional[Mapping[str, str]] = None) -> Tuple[Path, str]:
    """Where `python` imports lint_secrets from when started in `cwd` with `env`, and its version."""
    probe = subprocess.run(
        [python, "-c", IMPORT_PROBE], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )
    lines = probe.stdout.split("\n")
    if probe.returncode != 0 or len(lines) < 2:
        error = probe.stderr.strip().splitlines()
        raise BaselineUnavailable(f"FAILED: {python} cannot import it: {error[-1] if error else '?'}")
    return Path(lines[0]).resolve(), lines[1]


@dataclass
class Baseline:
    """An older lint-secrets from this checkout's history, run by the interpreter under test."""

    label: str  # the rows' tool name: "lint-secrets 0.1.0"
    cmd: List[str] = field(default_factory=list)  # python -m lint_secrets check
    env: Optional[Dict[str, str]] = None  # PYTHONPATH with the extracted package first
    skipped: str = ""  # why it does not run; "" when it does
    described: str = ""  # the header line
    asked: bool = True  # False with --baseline none: no rows at all

    @property
    def failed(self) -> bool:
        return self.skipped.startswith("FAILED")


def prepare_baseline(ref: str, python: str, work: Path, cwd: Path, checkout: Path = CHECKOUT) -> Baseline:
    """Extract `ref` into `work` and make sure `python`, started in `cwd` as the timed runs
    are, imports that code and not the lint-secrets installed in its site-packages."""
    default_label = "lint-secrets 0.1.0" if ref == BASELINE_0_1_0 else f"lint-secrets {ref}"
    if ref.lower() == "none":
        return Baseline(
            "lint-secrets (baseline)",
            skipped="--baseline none",
            described="none (--baseline none)",
            asked=False,
        )
    dest = work / "baseline"
    try:
        commit = extract_package(checkout, ref, dest)
        # PYTHONPATH comes before site-packages on sys.path, and after the start directory.
        kept = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(dest), *([kept] if kept else [])])}
        where, version = imported_package(python, cwd, env)
        if not where.is_relative_to(dest.resolve()):
            raise BaselineUnavailable(
                f"FAILED: {python} imports lint_secrets from {where.parent}, not from {dest}"
            )
        _, current_version = imported_package(python, cwd)
    except BaselineUnavailable as why:
        return Baseline(default_label, skipped=str(why), described=f"{ref}: skipped: {why}")
    label = f"lint-secrets {version}" if version != current_version else f"lint-secrets {ref}"
    return Baseline(
        label,
        cmd=[python, "-m", "lint_secrets", "check"],
        env=env,
        described=f"{label} = commit {commit[:10]} in {dest}, run as `PYTHONPATH={dest} {python} "
        f"-m lint_secrets check` (imports {where.parent})",
    )


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
        f"{'case':<10} {'tool':<28} {'median s':>9} {'cpu s':>8} {'max RSS MB':>11} {'runs':>5} {'exit':>5}"
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
            return f"{row.case:<10} {row.tool:<28} {'skipped: ' + row.note}"
        base = next((r.wall for r in self if r.case == row.case and r.tool == "lint-secrets"), None)
        ratio = row.wall / base if base else float("nan")
        return (
            f"{row.case:<10} {row.tool:<28} {row.wall:>9.3f} {row.cpu:>8.2f} {row.rss_mb:>11.0f} "
            f"{len(row.samples):>5} {row.codes:>5}  {ratio:>18.2f}x"
        )


def _noise(row: Row) -> float:
    """The run-to-run spread of a row: what a sub-second target may miss by."""
    walls = sorted(sample.wall for sample in row.samples)
    return walls[-1] - walls[0] if walls else 0.0


def _spread(row: Row) -> str:
    return f"median {row.wall:.3f} s over {len(row.samples)} runs, spread {_noise(row):.3f} s"


def _against(row: Row, baseline: Row) -> str:
    """A row's median against the baseline's: both times, their ratio, the baseline's noise."""
    return (
        f"{row.wall:.2f} s against {baseline.wall:.2f} s = {row.wall / baseline.wall:.2f}x "
        f"(noise {_noise(baseline):.2f} s)"
    )


def _mb(megabytes: Optional[float]) -> str:
    return f"{megabytes:.0f} MB" if megabytes else "n/a (no /proc)"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark lint-secrets against ruff and bandit (issue 6).")
    parser.add_argument("--stdlib", type=Path, default=make_corpus.stdlib_dir(), help="Target 1 tree.")
    parser.add_argument(
        "--runs", type=int, default=5, help="Timed runs per tool and corpus (after one warm-up)."
    )
    parser.add_argument("--files", type=int, default=2000, help="Files in the dense corpus.")
    parser.add_argument(
        "--work", type=Path, help="Where to build the corpora (default: a temporary directory)."
    )
    parser.add_argument("--keep", action="store_true", help="Keep the corpora afterwards.")
    parser.add_argument(
        "--large-tree-files",
        type=int,
        default=50_000,
        help="Files in the large generated tree, 10%% calling Replicate (0: skip it).",
    )
    parser.add_argument(
        "--cases",
        default=",".join(CASES),
        help=f"Comma-separated cases to run (default: all of {','.join(CASES)}).",
    )
    parser.add_argument(
        "--big-file-mb",
        type=float,
        default=20.0,
        help="Size of the one-big-file case (also run at a quarter).",
    )
    parser.add_argument(
        "--bandit-tree", action="store_true", help="Also run bandit on the target 1 tree (slow)."
    )
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="Run `python -m lint_secrets` from this interpreter instead of a fresh install.",
    )
    parser.add_argument(
        "--baseline",
        default=BASELINE_0_1_0,
        metavar="REF",
        help="The older lint-secrets timed next to this one, a commit of this checkout's history "
        "(default: dce1c98, the 0.1.0 release; `none`: skip it).",
    )
    args = parser.parse_args(argv)

    # Absolute: the tools run in the corpus directory, the baseline by a PYTHONPATH into `work`.
    work = (args.work or Path(tempfile.mkdtemp(prefix="lint-secrets-bench-"))).resolve()
    lint = [sys.executable, "-m", "lint_secrets", "check"] if args.in_place else installed(work)
    python = sys.executable if args.in_place else str(venv_bin(work, "python"))
    ruff = find_tool("ruff")
    bandit = find_tool("bandit")
    print(f"date        {time.strftime('%Y-%m-%d %H:%M %Z')}")
    print(
        f"machine     {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    )
    print(f"python      {platform.python_implementation()} {platform.python_version()} ({sys.executable})")
    print(f"lint-secrets {version_of([*lint[:-1], '--version'])} ({' '.join(lint[:-1])})")
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
    pool = make_corpus.chunk_pool(args.stdlib)
    small = make_corpus.build_small_project(corpus.root / "small", pool)
    quarter = make_corpus.build_big_file(corpus.root / "big" / "quarter.py", pool, args.big_file_mb / 4)
    big = make_corpus.build_big_file(corpus.root / "big" / "whole.py", pool, args.big_file_mb)
    large = (
        make_corpus.build_large_tree(corpus.root / "large", pool, args.large_tree_files)
        if args.large_tree_files and "large" in args.cases
        else None
    )
    print(f"small       {small.files} files, {small.lines} lines, {small.expected} planted findings")
    for label, built in (("big/4", quarter), ("big", big)):
        megabytes = built.path.stat().st_size / 2**20
        print(
            f"{label:<11} one file, {megabytes:.1f} MB, {built.lines} lines, "
            f"{built.expected} planted findings"
        )
    if large:
        print(
            f"large       {large.files} files ({large.replicate_files} calling Replicate), "
            f"{large.lines} lines, {large.expected} planted findings"
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
    baseline = prepare_baseline(args.baseline, python, work, corpus.root)
    print(f"baseline    {baseline.described}")
    if baseline.failed:
        print(f"            the baseline's rows are NOT measured: {baseline.skipped}")
    print(f"runs        {args.runs} timed per row (pre-commit rows: {args.runs * 3}), after one warm-up\n")
    sys.stdout.flush()

    root = corpus.root
    small_runs = args.runs * 3
    pc_clean = [str(p.relative_to(root)) for p in corpus.precommit_clean]
    pc_dense = [str(p.relative_to(root)) for p in corpus.precommit_dense]
    rows = Table()
    wanted = {case.strip() for case in args.cases.split(",")}

    def bench(case: str, tool: str, cmd: Sequence[str], runs: int) -> None:
        if case.split("/")[0] in wanted:
            rows.append(measure(Row(case, tool), cmd, root, runs))

    def bench_with_baseline(case: str, tool: str, arguments: Sequence[str], runs: int) -> None:
        """The current `tool` row, then the baseline's with the same arguments, timed in alternation."""
        if case.split("/")[0] not in wanted:
            return
        current = Row(case, tool)
        old = Row(case, baseline.label + tool[len("lint-secrets") :])
        if baseline.skipped:
            rows.append(measure(current, [*lint, *arguments], root, runs))
            old.note = baseline.skipped
            if not baseline.asked:
                return
        else:
            measure_interleaved(
                [(current, [*lint, *arguments], None), (old, [*baseline.cmd, *arguments], baseline.env)],
                root,
                runs,
            )
            rows.append(current)
        rows.append(old)

    def others(case: str, targets: List[str], runs: int, with_bandit: bool = True) -> None:
        if case not in wanted:
            return
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
    bench("tree", "lint-secrets", [*lint, tree], args.runs)
    others("tree", [tree], args.runs, with_bandit=args.bandit_tree)
    bench_with_baseline("dense", "lint-secrets", ["dense"], args.runs)
    bench("dense", "lint-secrets --jobs 1", [*lint, "--jobs", "1", "dense"], args.runs)
    # Every fix made by the LibCST engine and shown as a diff: the cost of --fix without
    # rewriting the corpus (a real --fix run would leave nothing to fix on the next run).
    bench("dense", "lint-secrets --diff", [*lint, "--diff", "dense"], args.runs)
    others("dense", ["dense"], args.runs)
    notebooks = str(corpus.notebooks.relative_to(root))
    bench("notebooks", "lint-secrets", [*lint, notebooks], args.runs)
    bench("notebooks", "lint-secrets --diff", [*lint, "--diff", notebooks], args.runs)
    if ruff:  # ruff lints notebooks too; bandit does not read them
        bench("notebooks", "ruff S105-S107", [ruff, *RUFF_ARGS, notebooks], args.runs)
    assert corpus.project is not None
    project = str(corpus.project.relative_to(root))
    settings = str((corpus.project / "app" / "settings.py").relative_to(root))
    bench("project", "lint-secrets", [*lint, project], args.runs)
    others("project", [project], args.runs)
    bench("pc-config", "lint-secrets", [*lint, settings], small_runs)
    others("pc-config", [settings], small_runs)
    bench("small", "lint-secrets", [*lint, "small"], small_runs)
    bench("small", "lint-secrets --jobs 1", [*lint, "--jobs", "1", "small"], small_runs)
    bench("big/4", "lint-secrets", [*lint, "big/quarter.py"], args.runs)
    bench("big", "lint-secrets", [*lint, "big/whole.py"], args.runs)
    if large:
        bench_with_baseline("large", "lint-secrets", ["large"], args.runs)
        bench_with_baseline("large", "lint-secrets --jobs 1", ["--jobs", "1", "large"], args.runs)
    bench_with_baseline("pc-clean", "lint-secrets", pc_clean, small_runs)
    others("pc-clean", pc_clean, small_runs)
    bench_with_baseline("pc-dense", "lint-secrets", pc_dense, small_runs)
    others("pc-dense", pc_dense, small_runs)

    by = {(r.case, r.tool): r for r in rows if r.samples}

    def ratio(case: str, tool: str) -> Optional[float]:
        other, ours = by.get((case, tool)), by.get((case, "lint-secrets"))
        return other.wall / ours.wall if other and ours else None

    print("\nTargets (issue 17)")
    verdicts: List[Tuple[str, Optional[bool], str]] = []
    if "tree" in wanted:
        r1 = ratio("tree", "ruff S105-S107")
        verdicts.append(
            (
                "tree: wall <= 0.5x ruff's",
                None if r1 is None else r1 >= 2.0,
                f"lint-secrets/ruff = {1 / r1:.2f}x" if r1 else "ruff missing",
            )
        )
    if "dense" in wanted:
        r2 = ratio("dense", "bandit B105,B106")
        verdicts.append(
            (
                "dense: >= 4x bandit's throughput",
                None if r2 is None else r2 >= 4.0,
                f"bandit/lint-secrets = {r2:.2f}x" if r2 else "bandit missing",
            )
        )
        # Peak memory of the whole process tree, and the same findings with one worker and many.
        peak = peak_tree_memory_mb([*lint, "dense"], root)
        peak_one = peak_tree_memory_mb([*lint, "--jobs", "1", "dense"], root)
        outputs = {}
        for label, extra in (("default jobs", []), ("--jobs 1", ["--jobs", "1"])):
            _, out = run_once(
                [*lint, "--output-format", "json", *extra, "dense"], root, stdout=subprocess.PIPE
            )
            outputs[label] = out
        same = outputs["default jobs"] == outputs["--jobs 1"]
        try:
            found = len(json.loads(outputs["default jobs"])["findings"])
        except (ValueError, KeyError):
            found = -1
        mem_note = (
            f"peak PSS of the process tree {peak:.0f} MB (--jobs 1: {peak_one:.0f} MB)"
            if peak
            else "no /proc"
        )
        verdicts.append(("dense: peak memory under 300 MB", None if peak is None else peak < 300, mem_note))
        verdicts.append(
            (
                "dense: same findings, one worker and many",
                same,
                f"{found} findings (planted {corpus.expected_findings}); JSON byte-identical: {same}",
            )
        )
    if "pc-clean" in wanted:
        pc1 = by[("pc-clean", "lint-secrets")]
        verdicts.append(("5 files without Replicate under 0.1 s", pc1.wall < 0.1, _spread(pc1)))
    if "pc-dense" in wanted:
        pc2 = by[("pc-dense", "lint-secrets")]
        verdicts.append(("5 files that call Replicate under 0.2 s", pc2.wall < 0.2, _spread(pc2)))
    if "small" in wanted:
        pool_row, one_row = by[("small", "lint-secrets")], by[("small", "lint-secrets --jobs 1")]
        verdicts.append(
            (
                f"{small.files} small files: default never slower than --jobs 1",
                pool_row.wall <= one_row.wall + _noise(one_row),
                f"default {pool_row.wall:.3f} s, --jobs 1 {one_row.wall:.3f} s "
                f"(noise {_noise(one_row):.3f} s)",
            )
        )
    if "big" in wanted:
        quarter_row, big_row = by[("big/4", "lint-secrets")], by[("big", "lint-secrets")]
        growth = big_row.cpu / quarter_row.cpu if quarter_row.cpu else float("inf")
        verdicts.append(
            (
                "one big file: linear in size and findings",
                growth < 5.0,
                f"4x the file ({big.expected} vs {quarter.expected} findings) cost {growth:.2f}x the CPU",
            )
        )
    if large and "large" in wanted:
        large_row, large_one = by[("large", "lint-secrets")], by[("large", "lint-secrets --jobs 1")]
        large_peak, large_out = peak_memory_and_output([*lint, "large"], root)
        old_name = baseline.label[len("lint-secrets ") :].strip("()")
        now = (
            f"pool {large_row.wall:.1f} s, --jobs 1 {large_one.wall:.1f} s, peak PSS {_mb(large_peak)}, "
            f"{count_findings(large_out)} findings"
        )
        if baseline.skipped:
            verdicts.append(
                (f"{large.files:,}-file tree: no slower than {old_name}", None, f"{now}; {baseline.skipped}")
            )
        else:
            old_pool = by[("large", baseline.label)]
            old_one = by[("large", f"{baseline.label} --jobs 1")]
            old_peak, old_out = peak_memory_and_output([*baseline.cmd, "large"], root, baseline.env)
            verdicts.append(
                (
                    f"{large.files:,}-file tree: no slower than {old_name}",
                    large_row.wall <= old_pool.wall + _noise(old_pool)
                    and large_one.wall <= old_one.wall + _noise(old_one),
                    f"pool {_against(large_row, old_pool)}; --jobs 1 {_against(large_one, old_one)}; "
                    f"peak PSS {_mb(large_peak)} against {_mb(old_peak)}; findings "
                    f"{count_findings(large_out)} against {count_findings(old_out)}",
                )
            )
    for name, ok, detail in verdicts:
        mark = "n/a" if ok is None else ("MET" if ok else "NOT MET")
        print(f"  {mark:<8} {name:<48} {detail}")
    if "notebooks" in wanted:
        _, out = run_once([*lint, "--output-format", "json", notebooks], root, stdout=subprocess.PIPE)
        try:
            in_notebooks = len(json.loads(out)["findings"])
        except (ValueError, KeyError):
            in_notebooks = -1
        print(
            f"  notebooks: {in_notebooks} findings (planted {corpus.notebook_expected}); checkpoints skipped"
        )
    found_in = {}
    for label, target in (("project", project), ("pc-config", settings)):
        if label not in wanted:
            continue
        _, out = run_once([*lint, "--output-format", "json", target], root, stdout=subprocess.PIPE)
        try:
            found_in[label] = len(json.loads(out)["findings"])
        except (ValueError, KeyError):
            found_in[label] = -1
    if "project" in found_in:
        print(f"  project: {found_in['project']} findings (planted {corpus.project_expected})")
    if "pc-config" in found_in:
        print(
            f"  settings.py staged alone: {found_in['pc-config']} findings "
            f"(planted there {corpus.project_settings_expected})"
        )
    if baseline.failed:
        print(f"\nthe baseline was NOT measured: {baseline.skipped}")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    elif args.keep:
        print(f"corpora kept in {work / 'corpus'}")
    return 1 if baseline.failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
