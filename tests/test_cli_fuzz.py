"""Fuzz the CLI: bad numbers, bad JSON shapes and bad files must give a one-line error (exit 2) or a
result, never a traceback.

Each example runs ``lpsched.cli.main`` in-process on a cheap base command of a verb with one option set
to a drawn value; any exception other than argparse's ``SystemExit`` fails the test, and so does an error
message that is not one line or a ``--json`` output that is not valid JSON.  Verbs covered: simulate,
compare, trace, sweep, adversary, cr, uncertainty, sortedf-select, sortedf-study (``opt``, ``jaillet``,
``reductions`` and ``verify`` are checked elsewhere).  Examples are derandomised and bounded, so the
module runs in seconds and the same way every time.
"""

from __future__ import annotations

import contextlib
import io
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lpsched.cli import main

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# the numbers people mistype and the values argparse's int/float accept but the model does not
BAD = ["0", "-0", "-1", "-7", "1.5", "0.5", "nan", "NaN", "inf", "-inf", "Infinity", "1e400", "1e-300", "true",
       "False", "", " ", "abc", "3,4", "1e3", "99999999999999999999999", "2e9", "0x10", "None", "[1]", "{}",
       "-1e-9", "9007199254740993"]
bad_value = st.one_of(st.sampled_from(BAD), st.text(string.printable, max_size=6))


def run(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)``: exit code, stdout, stderr; any exception but SystemExit propagates (a failure)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:             # argparse: a usage line and one error line
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def check(argv: list[str]) -> None:
    code, out, err = run(argv)
    assert "Traceback" not in err and "Traceback" not in out, (argv, err)
    assert code in (0, 1, 2), (argv, code, err)
    if code == 2:
        lines = [x for x in err.strip().splitlines() if not x.startswith("usage:") and not x.startswith(" ")]
        assert len(lines) == 1 and "error" in lines[0], (argv, err)
    elif "--json" in argv and code == 0:
        json.loads(out)


BASE = {
    "simulate": (["simulate", "--workload", "uniform", "--n", "8", "-p", "fcfs"],
                 ["--n", "-M", "--memory", "--seed", "--arrival-rate", "--steps-per-second", "--point", "--logt",
                  "--intervals", "--columns", "--time-unit", "-p"]),
    "compare": (["compare", "--workload", "uniform", "--n", "8", "-p", "fcfs,hsf,amin", "--json"],
                ["--n", "-M", "--seed", "--arrival-rate", "--point", "--logt", "--intervals", "-p"]),
    "trace": (["trace", "code", "--n", "20"], ["--memory", "--n", "--steps-per-second", "--columns", "--time-unit"]),
    "adversary": (["adversary", "-p", "fcfs", "--benchmark", "hsf", "--iterations", "4", "--restarts", "1",
                   "--param", "n=4", "--param", "memory=12"],
                  ["--iterations", "--restarts", "--seed", "--time-budget", "-p"]),
    "cr": (["cr", "4"], ["--lower", "--fit", "--method"]),
    "uncertainty": (["uncertainty", "c7", "--n", "40", "--seeds", "1"],
                    ["--n", "--seeds", "--seed", "--s", "--memory", "--sigma", "--error", "--rate"]),
    "sortedf-select": (["sortedf-select", "--workload", "uniform", "--n", "8"], ["--n", "-M", "--eps", "--seed"]),
    "sortedf-study": (["sortedf-study", "w3", "--M", "16"], ["--M", "--trials", "--n", "--eps", "--seed"]),
}


@pytest.mark.parametrize("verb", sorted(BASE) + ["sweep", "cr-u", "uncertainty-claims"])
@FUZZ
@given(data=st.data())
def test_bad_numbers_never_give_a_traceback(verb, data, tmp_path):
    value = data.draw(bad_value, label="value")
    if verb == "sweep":
        cfg = tmp_path / "g.json"
        cfg.write_text(json.dumps({"policy": ["amin"], "workload": ["uniform"], "n": [5]}))
        option = data.draw(st.sampled_from(["--jobs", "--point", "--logt", "--intervals"]), label="option")
        argv = ["sweep", str(cfg), "--out", str(tmp_path / "r.csv"), "--backend", "serial", "--json", option, value]
    elif verb == "cr-u":
        argv = ["cr", value]
    elif verb == "uncertainty-claims":
        claim = data.draw(st.sampled_from(["c8", "t1", "c2"]), label="claim")
        option = data.draw(st.sampled_from(["--l", "--u", "--nl-nu", "--batches", "--loads", "--memory"]), label="opt")
        argv = ["uncertainty", claim, "--n", "40", option, value]
    else:
        base, options = BASE[verb]
        argv = base + [data.draw(st.sampled_from(options), label="option"), value]
    check(argv)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.sampled_from([-1, 0, 1, 3, 2 ** 60, 10 ** 9]),
              st.sampled_from([float("nan"), float("inf"), 1.5, -0.0]), st.text(string.ascii_letters, max_size=5),
              st.sampled_from(["fcfs", "amin", "lmsys", "uniform", "buckets", "overlap:2", "point:0.5"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(["policy", "workload", "n", "memory", "arrival_rate",
                                                             "prediction", "seed", "colour"]), inner, max_size=4)),
    max_leaves=8)


@FUZZ
@given(config=json_values)
def test_any_sweep_grid_json_gives_rows_or_one_error(config, tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps(config))
    out = tmp_path / "r.csv"
    if out.exists():
        out.unlink()
    check(["sweep", str(path), "--out", str(out), "--backend", "serial", "--json"])


@FUZZ
@given(family=st.sampled_from(["random", "two_type", "interval"]),
       key=st.sampled_from(["n", "memory", "smax", "online", "max_requests", "lower", "upper", "s", "bogus", ""]),
       value=json_values)
def test_any_adversary_param_gives_a_result_or_one_error(family, key, value):
    check(["adversary", "-p", "fcfs", "--family", family, "--benchmark", "hsf", "--iterations", "3", "--restarts", "1",
           "--param", f"{key}={json.dumps(value)}"])


file_text = st.one_of(
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
    st.text(max_size=60),
    json_values.map(json.dumps),
    st.lists(st.sampled_from(["prompt,output", "prompt,output,arrival", "input_length,output_length,timestamp",
                              "1,2", "3,4,5", "0,1", "nan,2", "1,2,inf", "x,y", '{"prompt": 1, "output": 2}',
                              '{"input_toks": 5, "output_toks": 1e999}', "# comment", "", "\x00"]),
             max_size=5).map("\n".join),
)


@FUZZ
@given(text=file_text, suffix=st.sampled_from([".csv", ".jsonl", ".json", ".txt"]),
       verb=st.sampled_from(["simulate", "trace"]))
def test_any_trace_file_gives_a_result_or_one_error(text, suffix, verb, tmp_path):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else text)
    argv = ["simulate", "-p", "fcfs", "--trace", str(path), "--json"] if verb == "simulate" else ["trace", str(path)]
    check(argv)
