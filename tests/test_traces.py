"""Trace loading: the bundled traces, every recognised public format (fixtures in tests/fixtures/, each
citing its source), column mappings, time units, memory auto, drops, and errors that name the file, the
line, the column and the value."""

import json
from pathlib import Path

import numpy as np
import pytest

from lpsched import traces
from lpsched.traces import TraceError

FIXTURES = Path(__file__).parent / "fixtures"


def test_bundled_traces_load_whole():
    conv = traces.load("conv")
    code = traces.load("code")
    assert (conv.n, code.n) == (19366, 8819)
    assert conv.name == "azure_conv"
    assert conv.a[0] == 0 and (conv.a[1:] >= conv.a[:-1]).all()
    summ = traces.summarize(conv)
    assert summ["prompt"]["median"] == 1020 and summ["output"]["max"] == 1000
    assert traces.load("arxiv", limit=5).n == 5


# (fixture, format, n, first prompts, first outputs, arrivals in steps at 100 steps/s, M auto)
FORMATS = [
    ("azure2023_conv.csv", "azure", 8, [374, 396], [44, 109], [0, 431, 454, 471, 589, 631, 774, 825], 1455),
    ("azure2024_conv.csv", "azure", 5, [1452, 584], [3, 3], [0, 4, 15, 15, 24], 1572),
    ("mooncake_conversation.jsonl", "mooncake", 30, [6758, 7322], [500, 490], None, 87169 + 402),
    ("burstgpt.csv", "burstgpt", 3, [472, 1087], [18, 230], [0, 4000, 11300], 1317),
    ("vidur_splitwise_conv.csv", "vidur", 20, [374, 396], [44, 109], None, 2221 + 15),
    ("sharegpt_llmservingsim.jsonl", "sharegpt", 8, [25, 19], [619, 119], [0, 30, 43, 52, 54, 55, 56, 76], 412 + 321),
]


@pytest.mark.parametrize("name, fmt, n, s, o, a, auto", FORMATS)
def test_every_public_format_is_recognised_from_its_columns(name, fmt, n, s, o, a, auto):
    t = traces.read(FIXTURES / name, memory="auto")
    assert t.format == fmt and t.instance.n == n and t.rows == n
    assert t.instance.s[:2].tolist() == s and t.instance.o[:2].tolist() == o
    if a is not None:
        assert t.instance.a.tolist() == a
    assert t.memory_auto and t.instance.memory == auto == int((t.instance.s + t.instance.o).max())
    assert "M = auto" in t.describe() and fmt in t.describe()
    # every fixture names its source in a comment
    assert (FIXTURES / name).read_text().startswith("# ")


def test_units_of_each_format():
    moon = traces.load(FIXTURES / "mooncake_conversation.jsonl", memory="auto")
    # timestamps 0, 3000, 5999, 9000 ms -> 0, 300, 599, 900 steps at 100 steps/s
    assert sorted(set(moon.a.tolist())) == [0, 300, 599, 900]
    # vidur's splitwise_conv is the Azure 2023 conversation trace: the same arrivals step for step
    vidur = traces.load(FIXTURES / "vidur_splitwise_conv.csv", memory="auto")
    azure = traces.load(FIXTURES / "azure2023_conv.csv", memory="auto")
    assert vidur.a[:8].tolist() == azure.a.tolist()
    # the 2024 Azure timestamps carry an offset: 0.041683 - 0.001163 s = 4 steps
    assert traces.load(FIXTURES / "azure2024_conv.csv", memory="auto").a[1] == 4
    # at 1000 steps per second BurstGPT's seconds become 1000 steps each
    assert traces.load(FIXTURES / "burstgpt.csv", memory="auto", steps_per_second=1000).a.tolist() == [0, 40000, 113000]


def test_azure_2024_timestamp_without_fraction(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("TIMESTAMP,ContextTokens,GeneratedTokens\n"
                    "2024-05-12 00:00:00+00:00,10,5\n2024-05-12 00:00:01.5+00:00,20,6\n")
    assert traces.load(path, steps_per_second=10).a.tolist() == [0, 15]


def test_memory_auto_or_drop_oversize_on_mooncake():
    path = FIXTURES / "mooncake_conversation.jsonl"
    with pytest.raises(TraceError, match=r"line 10: request 6 has s \+ o = 23141 \+ 453 > memory = 16492 "
                                         r"\(8 such rows; the largest s \+ o is 87571\)"):
        traces.load(path)
    t = traces.read(path, drop_oversize=True)
    assert t.dropped_oversize == 8 and t.instance.n == 22 and "8 requests with s + o > M dropped" in t.describe()
    assert t.instance.name.endswith("(8 requests with s + o > M dropped)")


def test_generic_columns_mapping_and_time_units(tmp_path):
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("in,out,when\n3,4,0\n5,6,2.5\n")
    inst = traces.load(csv_path, columns={"prompt": "in", "output": "out", "arrival": "when"}, steps_per_second=2)
    assert inst.s.tolist() == [3, 5] and inst.a.tolist() == [0, 5]
    assert traces.load(csv_path, columns="prompt=in,output=out,arrival=when", time_unit="ms").a.tolist() == [0, 0]
    with pytest.raises(TraceError, match=r"line 3, column 'when': value 2.5 is not an integer number of steps"):
        traces.load(csv_path, columns="prompt=in,output=out,arrival=when", time_unit="step")
    jl = tmp_path / "g.jsonl"
    jl.write_text(json.dumps({"prompt": 1, "output": 2}) + "\n\n" + json.dumps({"prompt": 3, "output": 4}) + "\n")
    assert traces.load(jl).o.tolist() == [2, 4]
    # a header the formats do not know, with common names: guessed and said
    guess = tmp_path / "guess.csv"
    guess.write_text("prompt_tokens,completion_tokens,arrival_time\n3,4,0.0\n5,6,0.5\n")
    t = traces.read(guess)
    assert t.format == "generic" and t.columns["arrival"] == "arrival_time" and t.instance.a.tolist() == [0, 50]
    assert "guessed" in t.describe()


@pytest.mark.parametrize("columns, message", [
    ({"prompt": "nope"}, "line 2: missing column 'nope'"),
    ({"size": "in"}, "unknown column role 'size'"),
    ("prompt", "is not ROLE=COLUMN"),
    ("prompt=in,prompt=out", "gives the role 'prompt' twice"),
])
def test_bad_column_mappings(tmp_path, columns, message):
    path = tmp_path / "g.csv"
    path.write_text("in,out\n3,4\n")
    with pytest.raises(ValueError, match=message):
        traces.load(path, columns=columns)


def test_unknown_columns_say_how_to_map_them(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("x,y\n1,2\n")
    with pytest.raises(TraceError, match=r"u.csv, line 2: no prompt/output columns recognised among \['x', 'y'\]; "
                                         r"give them with --columns"):
        traces.load(path)


@pytest.mark.parametrize("body, message", [
    ("2023-11-16 18:15:46.0,10,5\n2023-11-16 18:15:47.0,x,6\n",
     r"t.csv, line 3, column 'ContextTokens': value 'x' is not a number"),
    ("2023-11-16 18:15:46.0,10,5\n2023-11-16 18:15:47.0,1.5,6\n", r"line 3, column 'ContextTokens': value '1.5' is not an integer"),
    ("2023-11-16 18:15:46.0,10,0\n", r"line 2, column 'GeneratedTokens': value '0' must be >= 1 .*--drop-zero"),
    ("2023-11-16 18:15:46.0,10,-3\n", r"line 2, column 'GeneratedTokens': value '-3' must be >= 1"),
    ("2023-11-16 18:15:46.0,10,5\n2023-11-16 18:15:45.0,10,5\n",
     r"line 3, column 'TIMESTAMP': value '2023-11-16 18:15:45.0': arrival is earlier than the previous row's \(line 2\)"),
    ("2023-11-16 18:15:46.0,10\n", "line 2: 2 fields, the header has 3"),
    ("yesterday,10,5\n", "line 2, column 'TIMESTAMP': value 'yesterday' is not a time"),
    ("2023-11-16 18:15:46.0,nan,5\n", "line 2, column 'ContextTokens': value 'nan' is not an integer"),
    ("2023-11-16 18:15:46.0,1e400,5\n", "value '1e400' is not an integer"),
    ("2023-11-16 18:15:46.0,99999999999999999999,5\n", "is larger than 2\\^53"),
    ("2023-11-16 18:15:46.0,16000,5000\n", r"line 2: request 0 has s \+ o = 16000 \+ 5000 > memory = 16492"),
])
def test_malformed_rows_name_file_line_column_and_value(tmp_path, body, message):
    path = tmp_path / "t.csv"
    path.write_text("TIMESTAMP,ContextTokens,GeneratedTokens\n" + body)
    with pytest.raises(TraceError, match=message):
        traces.load(path)


def test_nan_and_infinite_arrivals_name_the_line(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("prompt,output,arrival\n1,2,0\n3,4,nan\n")
    with pytest.raises(TraceError, match=r"n.csv, line 3, column 'arrival': value 'nan' is not a finite time"):
        traces.load(path)
    jl = tmp_path / "n.jsonl"
    jl.write_text('{"input_length": 5, "output_length": 3, "timestamp": 0}\n'
                  '{"input_length": 5, "output_length": 3, "timestamp": Infinity}\n')
    with pytest.raises(TraceError, match=r"n.jsonl, line 2, column 'timestamp': value inf is not a finite time"):
        traces.load(jl)
    jl.write_text('{"input_length": true, "output_length": 3, "timestamp": 0}\n')
    with pytest.raises(TraceError, match=r"line 1, column 'input_length': value True is not a number"):
        traces.load(jl)
    with pytest.raises(TraceError, match="over 2\\^53"):
        traces.load(FIXTURES / "burstgpt.csv", memory="auto", steps_per_second=1e300)


def test_zero_token_rows_are_dropped_and_counted_only_on_request(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n"
                    "5,ChatGPT,472,18,490,Conversation log\n6,GPT-4,300,0,300,API log\n45,ChatGPT,1087,230,1317,Conversation log\n")
    with pytest.raises(TraceError, match="line 3, column 'Response tokens': value '0' must be >= 1"):
        traces.load(path)
    t = traces.read(path, drop_zero=True)
    assert t.dropped_zero == 1 and t.instance.n == 2 and t.instance.a.tolist() == [0, 4000]
    assert "1 rows with 0 prompt or output tokens dropped" in t.describe()


def test_malformed_files(tmp_path):
    jl = tmp_path / "g.jsonl"
    jl.write_text('{"prompt": 1, "output": 2}\n{"prompt": 1\n')
    with pytest.raises(TraceError, match="g.jsonl, line 2: malformed JSON"):
        traces.load(jl)
    jl.write_text('{"prompt": 1, "output": 2}\n[1, 2]\n')
    with pytest.raises(TraceError, match="line 2: expected a JSON object, got list"):
        traces.load(jl)
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(TraceError, match="not a text file"):
        traces.load(binary)
    with pytest.raises(TraceError, match="the file is empty"):
        (tmp_path / "e.csv").write_text("# only a comment\n")
        traces.load(tmp_path / "e.csv")
    with pytest.raises(TraceError, match="is a directory"):
        traces.load(tmp_path)


def test_instance_json_and_missing_file(tmp_path):
    from lpsched import Instance

    path = tmp_path / "i.json"
    Instance(10, [1, 2], [3, 4]).to_json(path)
    assert traces.load(path).n == 2
    assert traces.read(path).format == "instance-json"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        traces.load(tmp_path / "none.csv")
    (tmp_path / "bad.json").write_text('{"memory": Infinity, "s": [1], "o": [1]}')
    with pytest.raises(TraceError, match="bad.json: memory = inf must be an integer"):
        traces.load(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text('[1, 2]')
    with pytest.raises(TraceError, match="list.json: instance JSON must be an object, got list"):
        traces.load(tmp_path / "list.json")


def test_oversize_requests_dropped_only_on_request():
    with pytest.raises(TraceError, match=r"request 5442 has s \+ o = 14050 \+ 39 > memory = 8192"):
        traces.load("conv", memory=8192)
    inst = traces.load("conv", memory=8192, drop_oversize=True)
    assert inst.n == 19365 and "1 requests with s + o > M dropped" in inst.name
    assert traces.load("conv", memory="auto").memory == 14050 + 39


def test_parse_memory_and_bad_arguments():
    assert traces.parse_memory("auto") == "auto" and traces.parse_memory("64") == 64
    for bad in ("0", "1", "-5", "x", True, 2.5, 2 ** 60):
        with pytest.raises(ValueError, match="memory"):
            traces.parse_memory(bad)
    for rate in (0, -1, float("nan"), float("inf"), True):
        with pytest.raises(TraceError, match="steps_per_second"):
            traces.load("conv", limit=3, steps_per_second=rate)
    with pytest.raises(TraceError, match="limit = 0"):
        traces.load("conv", limit=0)
    with pytest.raises(TraceError, match="time unit 'h'"):
        traces.load("conv", limit=3, time_unit="h")
    assert np.isfinite(traces.summarize(traces.load("conv", limit=3))["s_plus_o_max_over_M"])


def test_instance_json_booleans_are_not_numbers(tmp_path):
    path = tmp_path / "b.json"
    path.write_text('{"memory": 10, "s": [true, 3], "o": [1, 1]}')
    with pytest.raises(TraceError, match=r"b.json: s\[0\] = true is not a number"):
        traces.load(path)
