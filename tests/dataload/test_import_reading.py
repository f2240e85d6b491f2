"""The importers' file reading and date derivation, apart from the database."""

import datetime
import io

import pytest

from conflictapi import partialdates
from dataload.importing.acled import edtf_of
from dataload.importing.common import _simple_bounds
from dataload.importing.reading import BadShape, Records, Source, UnreadableFile


def records(tmp_path, data, **kwargs):
    path = tmp_path / "file"
    path.write_bytes(data)
    source = Source(str(path))
    return source, list(Records(source, **kwargs))


@pytest.mark.parametrize("precision", [1, 2, 3])
def test_import_dates_derive_as_the_edtf_grammar_does(precision):
    day = datetime.date(2023, 12, 1)
    while day < datetime.date(2024, 4, 1):
        text = edtf_of(day, precision)
        bounds = partialdates.parse(text)
        assert _simple_bounds(text) == (bounds.start, bounds.end, bounds.precision), text
        assert bounds.start == day  # event_date reads back
        day += datetime.timedelta(days=1)
    assert _simple_bounds("2014?") is None and _simple_bounds("2014-10~") is None


def test_csv_records_name_the_line_they_start_on(tmp_path):
    data = b'a,b\n1,"two\nlines"\n3\n4,5\n'
    source, rows = records(tmp_path, data)
    assert [where for where, _ in rows] == ["line 2", "line 4", "line 5"]
    assert rows[0][1] == {"a": "1", "b": "two\nlines"}
    assert isinstance(rows[1][1], BadShape)
    source.drain()
    assert source.checksum.startswith("sha256:") and source.position == len(data)


def test_json_records_in_an_envelope_or_a_bare_list(tmp_path):
    _, rows = records(tmp_path, b'{"status": 200, "data": [{"a": 1, "b": null}], "count": 1}')
    assert rows == [("record 1", {"a": "1", "b": ""})]
    _, rows = records(tmp_path, b'[{"a": "x"}, 5]')
    assert rows[0] == ("record 1", {"a": "x"}) and isinstance(rows[1][1], BadShape)
    _, rows = records(tmp_path, b'{"TotalCount": 1, "Result": [{"id": 7}]}', json_keys=("Result",))
    assert rows == [("record 1", {"id": "7"})]
    with pytest.raises(UnreadableFile, match="API error"):
        records(tmp_path, b'{"status": 403, "success": false, "error": []}')
    with pytest.raises(UnreadableFile, match="without a list"):
        records(tmp_path, b'{"status": 200}')


def test_standard_input_is_read_and_hashed(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"a\n1\n")))
    source = Source("-")
    assert list(Records(source)) == [("line 2", {"a": "1"})]
    assert source.size is None and source.position == 4
