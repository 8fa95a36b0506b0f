"""RowLog: append-only keyed CSV logs (resume, truncated last line, a log of another format)."""

import pytest

from lpsched.rowlog import RowLog


def test_resume_keeps_rows_and_cuts_a_truncated_last_line(tmp_path):
    path = tmp_path / "log.csv"
    with RowLog(path, ["key", "value"]) as log:
        log.append({"key": "a", "value": 1})
        log.append({"key": "b", "value": None})
    with path.open("a") as fh:
        fh.write("c,3")                               # a writer killed mid-line
    rows = RowLog(path, ["key", "value"]).rows()
    assert [(r["key"], r["value"]) for r in rows] == [("a", "1"), ("b", "")]
    assert path.read_text().endswith("b,\n")


def test_a_log_with_other_columns_is_refused_and_left_unchanged(tmp_path):
    path = tmp_path / "log.csv"
    with RowLog(path, ["key", "value"]) as log:
        log.append({"key": "a", "value": 1})
    before = path.read_text()
    log = RowLog(path, ["key", "value", "start"])
    with pytest.raises(ValueError, match=r"missing: start; not written by this run: -"):
        log.read_and_open()
    with pytest.raises(ValueError, match=r"missing: -; not written by this run: value"):
        RowLog(path, ["key"]).rows()
    assert path.read_text() == before


def test_same_columns_in_another_order_append_under_the_file_header(tmp_path):
    path = tmp_path / "log.csv"
    with RowLog(path, ["key", "x", "y"]) as log:
        log.append({"key": "a", "x": 1, "y": 2})
    with RowLog(path, ["key", "y", "x"]) as log:
        assert [r["key"] for r in log.read_and_open()] == ["a"]
        log.append({"key": "b", "x": 3, "y": 4})
    rows = RowLog(path, ["key", "x", "y"]).rows()
    assert [(r["key"], r["x"], r["y"]) for r in rows] == [("a", "1", "2"), ("b", "3", "4")]


def test_an_empty_file_gets_a_header(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("")
    with RowLog(path, ["key", "v"]) as log:
        assert log.read_and_open() == []
        log.append({"key": "a", "v": 5})
    assert path.read_text().splitlines() == ["key,v", "a,5"]
