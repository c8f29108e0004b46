"""Mutation testing of the delivery path and the crisis net: how many planted faults do the tests catch?

Run: python bench/mutation.py [MODULE ...] [--workdir DIR] [--jobs N] [--deselect TEST] [--show]
     (needs mutmut: pip install -e ".[dev,mutation]")

MODULE is a file or folder under bot/ or storage/ (default: the outbox, the dispatcher and the sender; add
bot/safety/ for the crisis net, which takes far longer). mutmut changes the code it tests, so the script works
on a copy of this tree in DIR (default /tmp/moodbot-mutation, replaced on each run) and never touches the tree
itself. Each module is tested with the test files that matter for it (TESTS below); mutmut then runs, for each
mutant, only those of their tests that reach the mutated function. Prints per module the mutants, how many the
tests killed, the kill rate, and the survivors by name; `--show` prints each survivor's diff too.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODULES = ["storage/outbox.py", "bot/outbox/dispatcher.py", "bot/sender.py"]
_DELIVERY = [
    "tests/unit/test_outbox*.py",
    "tests/unit/test_dispatch*.py",
    "tests/e2e/test_delivery.py",
    "tests/e2e/test_checkin.py",
    "tests/e2e/test_crisis*.py",  # alerts: escalation to the fallback, sending at once
]
# The tests that matter for each part of the code, by path prefix; the first match wins.
TESTS: dict[str, list[str]] = {
    "storage/outbox.py": _DELIVERY,
    "bot/outbox/": _DELIVERY,
    "bot/sender.py": ["tests/unit/test_sender*.py", *_DELIVERY],
    "bot/safety/": [
        "tests/safety/test_*.py",
        "tests/e2e/test_crisis*.py",
        "tests/test_cli_safety.py",
        "tests/unit/test_outbox_branches.py",
    ],
}
NOT_COPIED = (".git", ".venv", "mutants", "test-output", "__pycache__", ".*_cache", ".hypothesis", ".coverage*", "*.db")
# mutmut runs every selected test once before mutating: random order there would only blur its timings.
PYTEST_ARGS = ["-p", "no:randomly", "-p", "no:cacheprovider", "-q"]
# Tests that hold a wall-clock budget, which mutmut's tracing of every call overruns.
WALL_CLOCK = [
    "tests/e2e/test_crisis_net.py::test_the_crisis_reply_does_not_wait_behind_two_thousand_scheduled_messages",
    "tests/e2e/test_crisis_net.py::test_without_the_model_the_rules_answer_within_two_seconds",
]


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(2)


def tests_for(module: str) -> list[str]:
    for prefix, patterns in TESTS.items():
        if module.startswith(prefix):
            found = sorted({str(p.relative_to(ROOT)) for pattern in patterns for p in ROOT.glob(pattern)})
            if not found:
                fail(f"no test files match {patterns} for {module}")
            return found
    fail(f"no tests are listed for {module}; add it to TESTS in {Path(__file__).name}")
    raise AssertionError  # unreachable: fail() exits


def mutmut_section(modules: list[str], tests: list[str], deselect: list[str]) -> str:
    only = [f"{m.rstrip('/')}/*" if (ROOT / m).is_dir() else m for m in modules]
    pytest_args = [*PYTEST_ARGS, *(arg for test in [*WALL_CLOCK, *deselect] for arg in ("--deselect", test))]
    # JSON string lists are valid TOML arrays.
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["bot", "storage"]\n'
        f"only_mutate = {json.dumps(only)}\n"
        f"pytest_add_cli_args = {json.dumps(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
    )


def prepare_copy(workdir: Path, section: str) -> None:
    if workdir == ROOT or ROOT in workdir.parents:
        fail(f"the work folder must be outside the project: {workdir}")
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(ROOT, workdir, ignore=shutil.ignore_patterns(*NOT_COPIED))
    pyproject = workdir / "pyproject.toml"
    if "[tool.mutmut]" in pyproject.read_text():
        fail("pyproject.toml has its own [tool.mutmut]; this script writes that section itself")
    with pyproject.open("a") as handle:
        handle.write(section)


def mutmut(workdir: Path, *args: str, log: Path | None = None) -> str:
    command = [sys.executable, "-m", "mutmut", *args]
    if log is None:
        return subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=True).stdout
    with log.open("w") as out:
        status = subprocess.run(command, cwd=workdir, stdout=out, stderr=subprocess.STDOUT).returncode
    if status != 0:
        tail = log.read_text(errors="replace")[-3000:]
        fail(f"mutmut run exited {status}; the end of {log}:\n{tail}")
    return ""


def module_file(mutant: str) -> str:
    """`storage.outbox.x_claim_due__mutmut_2` or `bot.sender.xǁSenderǁsend_text__mutmut_1` → its file."""
    dotted = re.split(r"\.xǁ|\.x_", mutant, maxsplit=1)[0]
    return dotted.replace(".", "/") + ".py"


def report(results: str, workdir: Path, show: bool) -> None:
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in results.splitlines():
        name, sep, status = line.strip().partition(": ")
        if not sep:
            continue
        by_module[module_file(name)][status] += 1
        if status == "survived":
            survivors[module_file(name)].append(name)
    print(f"{'module':<34} {'mutants':>7} {'killed':>6} {'survived':>8} {'no test':>7} {'kill rate':>9} {'reached':>8}")
    for module, counts in sorted(by_module.items()):
        total = sum(counts.values())
        killed = counts["killed"] + counts["timeout"]
        reached = total - counts["no tests"] - counts["skipped"]
        rate = f"{100 * killed / total:.1f} %" if total else "-"
        reached_rate = f"{100 * killed / reached:.1f} %" if reached else "-"
        print(
            f"{module:<34} {total:>7} {killed:>6} {counts['survived']:>8} {counts['no tests']:>7} {rate:>9} "
            f"{reached_rate:>8}"
        )
    print("(kill rate: killed or timed out, of all mutants; reached: of those that a chosen test runs)")
    for module, names in sorted(survivors.items()):
        print(f"\nsurvivors in {module} ({len(names)}):")
        for name in names:
            print(f"  {name}")
            if show:
                print("    " + mutmut(workdir, "show", name).strip().replace("\n", "\n    "))
    if survivors and not show:
        print(f"\nSee one: cd {workdir} && {sys.executable} -m mutmut show NAME")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=DEFAULT_MODULES, help="files or folders to mutate")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/moodbot-mutation"), help="where the copy goes")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--deselect", action="append", default=[], help="a test id to leave out (repeatable)")
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("mutmut") is None:
        fail('mutmut is not installed: pip install -e ".[dev,mutation]"')
    modules = [m.removeprefix("./") for m in args.modules]
    for module in modules:
        if not (ROOT / module).exists():
            fail(f"no such file or folder: {module}")
    tests = sorted({test for module in modules for test in tests_for(module)})
    workdir = args.workdir.resolve()
    prepare_copy(workdir, mutmut_section(modules, tests, args.deselect))
    print(f"mutating {', '.join(modules)} in {workdir}, testing with {len(tests)} test files")
    began = time.perf_counter()
    mutmut(workdir, "run", "--max-children", str(args.jobs), log=workdir / "mutmut-run.log")
    print(f"done in {(time.perf_counter() - began) / 60:.1f} min\n")
    report(mutmut(workdir, "results", "--all", "true"), workdir, args.show)


if __name__ == "__main__":
    main()
