import json

import pytest

from lpsched import traces
from lpsched.traces import TraceError


def test_bundled_traces_load_whole():
    conv = traces.load("conv")
    code = traces.load("code")
    assert (conv.n, code.n) == (19366, 8819)
    assert conv.a[0] == 0 and (conv.a[1:] >= conv.a[:-1]).all()
    summ = traces.summarize(conv)
    assert summ["prompt"]["median"] == 1020 and summ["output"]["max"] == 1000
    assert traces.load("arxiv", limit=5).n == 5


def test_azure_time_conversion(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("TIMESTAMP,ContextTokens,GeneratedTokens\n"
                    "2023-11-16 18:15:46.0000000,10,5\n"
                    "2023-11-16 18:15:47.5000000,20,6\n")
    inst = traces.load(path, steps_per_second=10)
    assert inst.a.tolist() == [0, 15] and inst.s.tolist() == [10, 20]


@pytest.mark.parametrize("body, message", [
    ("2023-11-16 18:15:46.0,10,5\n2023-11-16 18:15:47.0,x,6\n", r"t.csv, line 3: column 'ContextTokens' = 'x' is not a number"),
    ("2023-11-16 18:15:46.0,10,5\n2023-11-16 18:15:47.0,1.5,6\n", "line 3: column 'ContextTokens' = '1.5' is not an integer"),
    ("2023-11-16 18:15:46.0,10,0\n", "line 2: column 'GeneratedTokens' = '0' must be >= 1"),
    ("2023-11-16 18:15:46.0,10,5\n2023-11-16 18:15:45.0,10,5\n", "line 3: arrival '2023-11-16 18:15:45.0' is earlier"),
    ("2023-11-16 18:15:46.0,10\n", "line 2: 2 fields, the header has 3"),
    ("yesterday,10,5\n", "line 2: column 'TIMESTAMP' = 'yesterday' is not a time"),
    ("2023-11-16 18:15:46.0,16000,5000\n", "request 0 has s \\+ o = 16000 \\+ 5000 > memory = 16492"),
])
def test_malformed_rows_name_the_line(tmp_path, body, message):
    path = tmp_path / "t.csv"
    path.write_text("TIMESTAMP,ContextTokens,GeneratedTokens\n" + body)
    with pytest.raises(TraceError, match=message):
        traces.load(path)


def test_generic_csv_and_jsonl_with_mapping(tmp_path):
    csv_path = tmp_path / "g.csv"
    csv_path.write_text("in,out,when\n3,4,0\n5,6,2.5\n")
    inst = traces.load(csv_path, columns={"prompt": "in", "output": "out", "arrival": "when"}, steps_per_second=2)
    assert inst.s.tolist() == [3, 5] and inst.a.tolist() == [0, 5]
    jl = tmp_path / "g.jsonl"
    jl.write_text(json.dumps({"prompt": 1, "output": 2}) + "\n\n" + json.dumps({"prompt": 3, "output": 4}) + "\n")
    assert traces.load(jl).o.tolist() == [2, 4]
    jl.write_text('{"prompt": 1, "output": 2}\n{"prompt": 1\n')
    with pytest.raises(TraceError, match="g.jsonl, line 2: malformed JSON"):
        traces.load(jl)
    with pytest.raises(TraceError, match="line 2: missing column 'nope'"):
        traces.load(csv_path, columns={"prompt": "nope"})
    with pytest.raises(ValueError, match="unknown column roles"):
        traces.load(csv_path, columns={"size": "in"})


def test_instance_json_and_missing_file(tmp_path):
    from lpsched import Instance

    path = tmp_path / "i.json"
    Instance(10, [1, 2], [3, 4]).to_json(path)
    assert traces.load(path).n == 2
    with pytest.raises(FileNotFoundError, match="does not exist"):
        traces.load(tmp_path / "none.csv")
    with pytest.raises(TraceError, match="the file is empty"):
        (tmp_path / "e.csv").write_text("")
        traces.load(tmp_path / "e.csv", columns={})


def test_oversize_requests_dropped_only_on_request():
    with pytest.raises(TraceError, match="request 5442 has s \\+ o = 14050 \\+ 39 > memory = 8192"):
        traces.load("conv", memory=8192)
    inst = traces.load("conv", memory=8192, drop_oversize=True)
    assert inst.n == 19365 and "1 requests with s + o > M dropped" in inst.name
