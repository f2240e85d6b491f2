"""Reading a data set's file as it was downloaded: CSV (a header row of the data set's
column names) or the JSON its API returns, streamed record by record whatever the
file's size, with the SHA-256 of the bytes read and a position for the progress bar.

A record comes with where it was read (`line 12` of a CSV: the line it starts on;
`record 12` of a JSON file) so that a bad row can be named."""

import csv
import hashlib
import io
import sys

import ijson

# ACLED's notes may be long; the csv module's default limit is 128 KiB a field.
csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file cannot be read as the data set's CSV or JSON at all."""


class Source(io.RawIOBase):
    """A binary file (or standard input) that hashes and counts what is read from it."""

    def __init__(self, path):
        self.path = path
        if path == "-":
            self.raw = sys.stdin.buffer
            self.size = None
        else:
            try:
                self.raw = open(path, "rb")  # noqa: SIM115 (closed by release())
            except OSError as exc:
                raise UnreadableFile(f"{path}: {exc.strerror or exc}") from exc
            try:
                self.size = self.raw.seek(0, io.SEEK_END)
                self.raw.seek(0)
            except OSError:
                self.size = None
        self.sha256 = hashlib.sha256()
        self.position = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.sha256.update(data)
        self.position += n
        return n

    def close(self):
        # The readers wrapped around this (io.TextIOWrapper) close it when they are
        # collected; the file itself stays open until release(), for drain().
        pass

    def release(self):
        if self.path != "-":
            self.raw.close()

    @property
    def checksum(self):
        return f"sha256:{self.sha256.hexdigest()}"

    def drain(self):
        """Read what is left (the checksum is of the whole file)."""
        while True:
            data = self.raw.read(1 << 16)
            if not data:
                return
            self.sha256.update(data)
            self.position += len(data)


class Records:
    """The records of a file: iterate for (where, {column: text}); `columns` is the
    header (CSV) or the keys of the first record (JSON); `format` is csv or json."""

    def __init__(self, source, *, json_keys=("data",)):
        self.source = source
        self.buffer = io.BufferedReader(source, buffer_size=1 << 16)
        self.json_keys = json_keys
        head = self.buffer.peek(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        self.format = "json" if head[:1] in (b"{", b"[") else "csv"
        self.columns = None

    def __iter__(self):
        if self.format == "json":
            return self._json()
        return self._csv()

    def _csv(self):
        text = io.TextIOWrapper(self.buffer, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            self.columns = [c.strip() for c in next(reader)]
        except StopIteration:
            raise UnreadableFile("the file is empty: no header row.") from None
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableFile(f"line 1: {exc}") from exc
        if len(set(self.columns)) != len(self.columns):
            twice = sorted({c for c in self.columns if self.columns.count(c) > 1})
            raise UnreadableFile(f"line 1: column {', '.join(twice)} is named twice.")
        width = len(self.columns)
        last = reader.line_num
        while True:
            start = last + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"line {start}: not UTF-8 text ({exc.reason}).") from exc
            except csv.Error as exc:
                raise UnreadableFile(f"line {start}: {exc}") from exc
            last = reader.line_num
            if not row:
                continue
            if len(row) != width:
                yield (
                    f"line {start}",
                    BadShape(f"{len(row)} fields where the header has {width}", row),
                )
                continue
            yield f"line {start}", dict(zip(self.columns, row, strict=True))

    def _json(self):
        events = ijson.parse(self.buffer, use_float=False)
        prefix = None
        try:
            for path, event, value in events:
                if path == "" and event == "start_array":
                    prefix = "item"
                    break
                if path == "" and event == "map_key" and value in self.json_keys:
                    prefix = f"{value}.item"
                    break
                if path == "success" and value is False:
                    raise UnreadableFile("the file is an API error reply (success: false).")
            if prefix is None:
                keys = " or ".join(f'"{k}"' for k in self.json_keys)
                raise UnreadableFile(f"JSON without a list of records (under {keys}).")
            for n, item in enumerate(ijson.items(events, prefix), start=1):
                where = f"record {n}"
                if not isinstance(item, dict):
                    yield where, BadShape("not an object", item)
                    continue
                record = {str(k): _text(v) for k, v in item.items()}
                if self.columns is None:
                    self.columns = list(record)
                yield where, record
        except ijson.JSONError as exc:
            raise UnreadableFile(f"not valid JSON: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"not UTF-8 text ({exc.reason}).") from exc


class BadShape:
    """A record that is not a row at all (a CSV line with the wrong number of fields)."""

    def __init__(self, reason, raw):
        self.reason = reason
        self.raw = raw


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
