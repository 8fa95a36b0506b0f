"""Every command in the README runs (tests/test_readme.py extracts them from its code blocks).

Commands are the lines of the README's code blocks that start with ``lpsched``, ``python -m lpsched`` or
``make``; a line may hold several, separated by ``;``.  Left out: ``lpsched verify`` (its output is tested
in tests/test_verify.py and regenerates the "Results" section, which is skipped whole) and ``make test``
(this suite).  ``make demo`` runs its first step, ``python -m lpsched.demo``, at full size, and the
figures the quick start quotes are checked against what it computes.  Long commands run at a smaller size
(:func:`shrink`: fewer trials, smaller n, a local Dask cluster for the scheduler address); everything else
runs as written, from a temporary folder (fixture paths made absolute).  The Python example runs too, and
each ``expression  # value`` line is checked.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.M)
    return {p.split("\n", 1)[0].strip(): p for p in parts[1:]}


def code_lines(text: str) -> list[str]:
    """Lines of fenced (non-Python) and indented code blocks, outside the Results section."""
    out, fence = [], None
    for name, body in sections(text).items():
        if name == "Results":
            continue
        for line in body.splitlines():
            if line.startswith("```"):
                fence = None if fence is not None else line[3:].strip()
                continue
            if fence is not None:
                if fence != "python":
                    out.append(line)
            elif line.startswith("    "):
                out.append(line.strip())
    return out


def commands(text: str) -> list[list[str]]:
    """Each command line as a list of commands (``;``-separated), comments removed."""
    found = []
    for line in code_lines(text):
        line = line.strip()
        if not re.match(r"(lpsched |python -m lpsched |make )", line):
            continue
        body = line.split(" # ")[0].split("  #")[0].strip()
        found.append([c.strip() for c in body.split(";") if c.strip()])
    return found


def shrink(argv: list[str]) -> list[str]:
    """The same command at a size a test can afford."""
    a = list(argv)

    def cap(flag: str, most: int) -> None:
        if flag in a:
            i = a.index(flag) + 1
            a[i] = str(min(int(a[i]), most))

    verb = a[0]
    if verb == "uncertainty":
        cap("--n", 300)
    elif verb == "jaillet":
        cap("--trials", 3)
    elif verb == "reductions":
        cap("--count", 4)
    elif verb == "opt":
        cap("--jaillet", 8)
        cap("--time-limit", 20)
    elif verb == "sortedf-study" and "--M" in a:
        i = a.index("--M") + 1
        a[i] = ",".join(m for m in a[i].split(",") if int(m) <= 256)
    elif verb == "cr" and len(a) > 1 and a[1].isdigit():
        a[1] = str(min(int(a[1]), 20000))
    elif verb == "adversary" and "--iterations" not in a:
        a += ["--iterations", "20", "--restarts", "2"]
    elif verb in ("compare", "simulate") and "--trace" in a and a[a.index("--trace") + 1] in ("conv", "code") \
            and "--n" not in a:
        a += ["--n", "1000"]
    return a


def run_cli(argv: list[str]) -> str:
    from lpsched.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    assert code == 0, f"lpsched {' '.join(argv)} exited with {code}"
    return out.getvalue()


def test_readme_lists_commands():
    found = [c for line in commands(README.read_text()) for c in line]
    assert any(c.startswith("lpsched simulate -p amin --workload lmsys --n 2000 --json") for c in found)
    assert any(c.startswith("make demo") for c in found) and len(found) > 15


def test_every_readme_command_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    text = README.read_text()
    grid = re.search(r"# grid\.json: (\{.*\})", text)
    assert grid, "the README says what grid.json holds"
    (tmp_path / "grid.json").write_text(grid.group(1))
    cluster = None
    ran = []
    try:
        for line in commands(text):
            for command in line:
                argv = shlex.split(command)
                argv = [str(ROOT / x) if x.startswith("tests/fixtures/") else x for x in argv]
                if argv[:2] == ["lpsched", "verify"] or argv[:2] == ["make", "test"] or argv[0] == "make":
                    continue                   # see the module docstring; make demo: test_demo_figures
                if argv[0] == "python":
                    res = subprocess.run([sys.executable] + argv[1:3] + shrink(argv[3:]), capture_output=True,
                                         text=True, timeout=600)
                    assert res.returncode == 0, res.stderr
                    if "--json" in argv:
                        json.loads(res.stdout)
                    ran.append(command)
                    continue
                argv = shrink(argv[1:])
                if "--scheduler" in argv:
                    distributed = pytest.importorskip("distributed")
                    if cluster is None:
                        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                                           dashboard_address=None)
                    argv[argv.index("--scheduler") + 1] = cluster.scheduler_address
                out = run_cli(argv)
                if "--json" in argv:
                    json.loads(out)
                ran.append(command)
    finally:
        if cluster is not None:
            cluster.close()
    assert (tmp_path / "c2.png").exists() and (tmp_path / "worst.json").exists() and (tmp_path / "rows.csv").exists()
    assert len(ran) >= 20


def test_the_python_example_runs_and_says_what_it_prints():
    from lpsched import ScheduleError

    body = sections(README.read_text())["The model"]
    code = re.search(r"```python\n(.*?)```", body, flags=re.S).group(1)
    env: dict = {}
    checked = 0
    for line in code.splitlines():
        stmt, _, comment = line.partition("  #")
        if not stmt.strip():
            continue
        comment = comment.strip()
        if comment.startswith("ScheduleError"):
            with pytest.raises(ScheduleError, match=re.escape(comment.split(": ", 1)[1].rstrip(". ").rstrip("."))):
                eval(stmt, env)
            checked += 1
        elif comment:
            assert eval(stmt, env) == ast.literal_eval(comment), line
            checked += 1
        else:
            exec(stmt, env)
    assert checked == 2


def test_demo_figures(tmp_path):
    """``make demo``'s first step at full size; the quick start's numbers are what it computes."""
    import pandas as pd

    res = subprocess.run([sys.executable, "-m", "lpsched.demo", "--out", str(tmp_path)], capture_output=True,
                         text=True, timeout=900, env={**__import__("os").environ, "MPLBACKEND": "Agg"})
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "demo.png").stat().st_size > 50_000
    table = pd.read_csv(tmp_path / "metrics.csv").set_index("policy")
    assert table.loc["mcsf", "same_as"] == "hsf" and table.loc["priority", "same_as"] == "fcfs"
    mean = lambda p: table.loc[p, "mean_latency"] / 100   # noqa: E731  (seconds at 100 steps per second)
    quick = sections(README.read_text())["Quick start"]
    sorted_f = next(p for p in table.index if p.startswith("sorted_f"))
    for text in (f"H-SF {mean('hsf'):.1f} s", f"FCFS {mean('fcfs'):.1f} s", f"vLLM {mean('vllm'):.1f} s",
                 f"Sorted-F {mean(sorted_f):.1f} s"):
        assert text in " ".join(quick.split()), f"README quick start should say {text!r}"
    assert "error" not in table or table["error"].isna().all()


@pytest.mark.slow
def test_benchmark_choice_tables_are_what_their_commands_print():
    """The two tables of "Benchmark choice" are the output of the two commands above them (the whole
    Azure trace: about 20 s)."""
    import pandas as pd

    body = next(b for name, b in sections(README.read_text()).items() if name.startswith("Benchmark choice"))
    cmds = re.findall(r"^lpsched (compare .*)$", body, flags=re.M)
    tables = re.findall(r"^\| policy \|.*\n\|[-|:]+\|\n((?:\|.*\|\n)+)", body, flags=re.M)
    assert len(cmds) == len(tables) == 2
    for command, table in zip(cmds, tables):
        argv = [str(ROOT / x) if x.startswith("tests/fixtures/") else x for x in shlex.split(command)]
        got = pd.read_csv(io.StringIO(run_cli(argv + ["--csv"]))).set_index("policy")
        got.index = [_without_selector(p) for p in got.index]
        for row in table.strip().splitlines():
            name, mean, p90, span, tct = [c.strip() for c in row.strip("|").split("|")]
            r = got.loc[name.split("`")[1]]
            assert [mean, p90, span, tct] == [f"{r.mean_latency:,.1f}", f"{r.per_token_latency_p90:,.2f}",
                                              f"{r.makespan:,}", f"{r.tct:,}"], (command, name)


def _without_selector(name: str) -> str:
    """``sorted_f[offline,local_swap]`` -> ``sorted_f[offline]``: the README's rows do not repeat the selector."""
    from lpsched.sortedf.selection import selectors

    base, _, tags = name.partition("[")
    kept = [x for x in tags.rstrip("]").split(",") if x and x not in selectors()]
    return f"{base}[{','.join(kept)}]" if kept else base
