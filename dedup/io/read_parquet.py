"""Parquet files: one article per row, columns mapped as JSON Lines fields are (FieldMap).

The main process opens only a file's footer (its schema and row groups) and yields one
`PendingRows` per row group, or per slice of a large one; the rows themselves are read by
`PendingRows.load` in the scan's workers (a local process or a Ray task), only the columns
an article needs, so the reading runs on all cores. Files are named by a local path or by
a URI that a pyarrow filesystem knows (file://, s3://, gs://, hdfs://), and read through
pyarrow, an optional extra: without it each Parquet input is one error, not a traceback.

Rows are numbered from 1 in the file, as lines are in JSON Lines: a row is "FILE row N" in
errors and origins, and a row without an id is the document "FILE row N". Problems with a
whole file (not Parquet, no text column, a text column of numbers) are one error naming
the file; a row with no text loses only itself. Cell values are untrusted text like any
other input: they become Articles and go through the same cleaning and display escapes.
"""

from __future__ import annotations

import datetime
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from dedup.io.decoding import MAX_DOCUMENT_BYTES, ReadFailure
from dedup.io.records import METADATA_FIELDS, FieldMap, article_from_record
from dedup.model import Article, InputError

PARQUET_SUFFIX = ".parquet"
NEEDS_PYARROW = "reading Parquet needs pyarrow: pip install 'dedup[parquet]'"
# Rows one work item reads. A row group is the smallest part of a Parquet file that can be
# read on its own, and writers make them large (pyarrow: up to a million rows; Spark: 128 MB,
# some 40,000 news articles), so a large row group is cut into slices of about this many
# rows, each an item of its own.
ROWS_PER_ITEM = 4096
# What a slice costs: Parquet cannot start reading in the middle of a row group, so the
# item of slice k decodes the k slices before it too and drops them (its columns only, a
# page at a time: its memory is one slice). A row group in n slices is decoded about n/2
# times over. Decoding a row costs some 2.5 microseconds (3.6 KB of news text, one core),
# a copy scan of it some 1.6 ms: at most 64 slices add at most some 5% to a scan. Row
# groups of more than 64 * ROWS_PER_ITEM rows get longer slices instead.
MAX_SLICES_PER_GROUP = 64
# Read-ahead while a slice is read: pages stream in blocks of this size instead of whole
# column chunks (a large row group's text column is hundreds of MB).
SLICE_BUFFER_BYTES = 4 * 2**20
# Folder names a listing of a URI skips, as pyarrow.dataset does: hidden files and the
# "_temporary", "_delta_log" or "_SUCCESS" beside the data that Spark and Hive write.
_SKIPPED_PREFIXES = (".", "_")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_COLUMNS_SHOWN = 8


def is_uri(path: str) -> bool:
    """True for "scheme://…": a URI for a pyarrow filesystem, not a local path."""
    return bool(_URI.match(path))


@dataclass(frozen=True, slots=True)
class PendingRows:
    """Rows [start, stop) of one row group of a Parquet file, still to be read."""

    path: str  # what to open: an absolute local path, or a path on `filesystem`
    name: str  # the file as errors name it
    id_prefix: str  # a row without an id is "<id_prefix> row <number>"
    row_group: int
    start: int
    stop: int
    group_rows: int  # rows in the whole row group
    first_row: int  # the file's 1-based number of row `start`
    columns: tuple[str, ...]  # the columns read: id, text and the metadata present
    fields: FieldMap
    size: int  # bytes of the file these rows stand for, for a scan's progress
    filesystem: object | None = None  # a pyarrow FileSystem for a URI; None for a local file

    @property
    def rows(self) -> str:
        last = self.first_row + self.stop - self.start - 1
        return f"row {last}" if last == self.first_row else f"rows {self.first_row}-{last}"

    def load(self) -> list[Article | InputError]:
        try:
            pa = _pyarrow()
        except ImportError:  # a Ray worker on a machine without the extra
            return [InputError(self.name, NEEDS_PYARROW)]
        try:
            table = self._read(pa)
            values = {column: _python_values(table.column(column)) for column in self.columns}
        except (OSError, ValueError, OverflowError, KeyError, pa.ArrowException) as error:
            return [InputError(self.name, f"{self.rows} cannot be read ({_short(error)}): the file is damaged, or "
                                          "was changed while dedup read it; re-export it, or remove it")]
        return _articles(values, self)

    def _read(self, pa):
        with _open(self.path, self.filesystem) as stream:
            whole = self.start == 0 and self.stop == self.group_rows
            parquet = _parquet_file(stream, buffer_size=0 if whole else SLICE_BUFFER_BYTES)
            if whole:
                table = parquet.read_row_group(self.row_group, columns=list(self.columns), use_threads=False)
                return self._all_rows(table)
            parts, offset = [], 0
            for batch in parquet.iter_batches(batch_size=self.stop - self.start, row_groups=[self.row_group],
                                              columns=list(self.columns), use_threads=False):
                low, high = max(self.start, offset), min(self.stop, offset + batch.num_rows)
                if low < high:
                    parts.append(batch.slice(low - offset, high - low))
                offset += batch.num_rows
                if offset >= self.stop:
                    break
            return self._all_rows(pa.Table.from_batches(parts) if parts else None)

    def _all_rows(self, table):
        if table is None or table.num_rows != self.stop - self.start:
            raise ValueError(f"row group {self.row_group + 1} holds fewer rows than the file's footer says")
        return table


def read_parquet(path: str, name: str, fields: FieldMap, id_prefix: str | None = None,
                 filesystem: object | None = None) -> Iterator[PendingRows | InputError]:
    """The row groups of a Parquet file as work items, or the one error that stops the file;
    `path` is local unless a pyarrow `filesystem` is given, `name` is how errors call it."""
    try:
        pa = _pyarrow()
    except ImportError:
        yield InputError(name, NEEDS_PYARROW)
        return
    try:
        with _open(path, filesystem) as stream:
            size = _size(stream)
            if size == 0:
                raise ReadFailure("empty file: remove it, or check that whatever wrote it finished")
            parquet = _parquet_file(stream)
            metadata, schema = parquet.metadata, parquet.schema_arrow
        items = list(_items(path, name, fields, id_prefix or name, filesystem, metadata, schema, size))
    except ReadFailure as failure:
        yield InputError(name, failure.message)
        return
    except OSError as error:
        yield InputError(name, f"cannot read: {error.strerror or _short(error)}")
        return
    except (ValueError, pa.ArrowException) as error:  # ArrowInvalid: "Parquet magic bytes not found", ...
        yield InputError(name, f"not a Parquet file, or a damaged or truncated one ({_short(error)}): "
                               "re-export it, or remove it")
        return
    yield from items


def read_parquet_uri(uri: str, fields: FieldMap) -> Iterator[PendingRows | InputError]:
    """A .parquet file, or every .parquet file under a folder, named by a URI."""
    try:
        pa = _pyarrow()
        from pyarrow import fs  # noqa: PLC0415 -- an optional extra
    except ImportError:
        yield InputError(uri, NEEDS_PYARROW)
        return
    try:
        filesystem, path = fs.FileSystem.from_uri(uri)
        info = filesystem.get_file_info(path)
        listing = []
        if info.type == fs.FileType.Directory:
            listing = filesystem.get_file_info(fs.FileSelector(path, recursive=True))
    except (OSError, ValueError, pa.ArrowException) as error:  # an unknown scheme (ArrowInvalid), no access, ...
        yield InputError(uri, f"cannot open ({_short(error)}): check the URI and your access to it; "
                              "dedup reads Parquet from file://, s3://, gs:// and hdfs:// URIs")
        return
    if info.type == fs.FileType.NotFound:
        yield InputError(uri, "no such file or folder: check the URI")
    elif info.type == fs.FileType.Directory:
        folder = path.rstrip("/")
        parquet_files = sorted(file for file in _file_paths(listing, fs) if _listed(file[len(folder):]))
        if not parquet_files:
            yield InputError(uri, f"no {PARQUET_SUFFIX} files under this folder: check the URI")
        for file_path in parquet_files:
            relative = file_path[len(folder):].lstrip("/")
            yield from read_parquet(file_path, f"{uri.rstrip('/')}/{relative}", fields, relative, filesystem)
    elif not path.lower().endswith(PARQUET_SUFFIX):
        yield InputError(uri, f"not a {PARQUET_SUFFIX} file: from a URI dedup reads Parquet only; "
                              "download other files and name them as local paths")
    else:
        yield from read_parquet(path, uri, fields, None, filesystem)


def _file_paths(listing, fs) -> Iterator[str]:
    for entry in listing:
        try:
            if entry.type == fs.FileType.File:
                yield entry.path
        except UnicodeDecodeError:  # a name that is not UTF-8, which pyarrow cannot open either
            continue


def _listed(relative: str) -> bool:
    parts = relative.strip("/").split("/")
    return parts[-1].lower().endswith(PARQUET_SUFFIX) and not any(part.startswith(_SKIPPED_PREFIXES) for part in parts)


def _items(path: str, name: str, fields: FieldMap, id_prefix: str, filesystem, metadata, schema,
           size: int) -> Iterator[PendingRows]:
    total = metadata.num_rows
    if total == 0:
        raise ReadFailure("empty input, no rows: check that whatever wrote it finished")
    columns = _columns(schema, fields)
    opened = path if filesystem is not None else os.path.abspath(path)  # a worker's working folder may differ
    done = 0
    for group in range(metadata.num_row_groups):
        group_rows = metadata.row_group(group).num_rows
        if group_rows == 0:
            continue
        step = math.ceil(group_rows / min(MAX_SLICES_PER_GROUP, math.ceil(group_rows / ROWS_PER_ITEM)))
        for start in range(0, group_rows, step):
            stop = min(group_rows, start + step)
            # The file's bytes shared out by rows, so that the items' sizes add up to the file's.
            share = size * (done + stop - start) // total - size * done // total
            yield PendingRows(opened, name, id_prefix, group, start, stop, group_rows, done + 1, columns, fields,
                              share, filesystem)
            done += stop - start


def _columns(schema, fields: FieldMap) -> tuple[str, ...]:
    """The columns to read; a ReadFailure when the id or text column is missing or holds
    something other than text (for the text) or plain values (for the id)."""
    pa = _pyarrow()
    names = schema.names
    more = f" and {len(names) - _COLUMNS_SHOWN} more" if len(names) > _COLUMNS_SHOWN else ""
    shown = ", ".join(names[:_COLUMNS_SHOWN]) + more
    for column, option, what in ((fields.text_field, "--text-field", "text"), (fields.id_field, "--id-field", "id")):
        if column not in names:
            raise ReadFailure(f"no {column!r} column (columns: {shown or 'none'}); "
                              f"name the {what} column with {option} COLUMN")
    text_type = schema.field(fields.text_field).type
    if not _is_text(pa, text_type):
        cast = ", or write it as a string column" if _is_binary(pa, text_type) else ""
        raise ReadFailure(f"the {fields.text_field!r} column holds {text_type}, not text: name the text column "
                          f"with --text-field COLUMN{cast}")
    id_type = schema.field(fields.id_field).type
    if not (_is_plain(pa, id_type) or pa.types.is_null(id_type)):
        raise ReadFailure(f"the {fields.id_field!r} column holds {id_type}, not ids (text or numbers): "
                          "name the id column with --id-field COLUMN")
    # Metadata columns are optional: one holding lists or bytes is left out, as any other column is.
    metadata = [column for column in METADATA_FIELDS if column in names and _is_plain(pa, schema.field(column).type)]
    return tuple(dict.fromkeys([fields.id_field, fields.text_field, *metadata]))


def _is_text(pa, data_type) -> bool:
    if pa.types.is_dictionary(data_type):
        return _is_text(pa, data_type.value_type)
    return (pa.types.is_string(data_type) or pa.types.is_large_string(data_type)
            or getattr(pa.types, "is_string_view", lambda _: False)(data_type))


def _is_binary(pa, data_type) -> bool:
    if pa.types.is_dictionary(data_type):
        return _is_binary(pa, data_type.value_type)
    return (pa.types.is_binary(data_type) or pa.types.is_large_binary(data_type)
            or pa.types.is_fixed_size_binary(data_type) or getattr(pa.types, "is_binary_view", lambda _: False)(data_type))


def _is_plain(pa, data_type) -> bool:
    """Text, a number, a date or a flag: a value a person reads as text."""
    if pa.types.is_dictionary(data_type):
        return _is_plain(pa, data_type.value_type)
    return (_is_text(pa, data_type) or pa.types.is_integer(data_type) or pa.types.is_floating(data_type)
            or pa.types.is_decimal(data_type) or pa.types.is_boolean(data_type) or pa.types.is_temporal(data_type))


class _NotUtf8(bytes):
    """The bytes of a string cell that are not UTF-8: Parquet promises UTF-8, so the file is damaged."""


def _articles(values: dict[str, list], item: PendingRows) -> list[Article | InputError]:
    fields = item.fields
    results: list[Article | InputError] = []
    for offset, text in enumerate(values[fields.text_field]):
        row = item.first_row + offset
        where = f"{item.name} row {row}"
        try:
            _check_text(text, fields.text_field)
            record = {column: _plain(cells[offset]) for column, cells in values.items()}
            results.append(article_from_record(record, f"{item.id_prefix} row {row}", where, fields))
        except ReadFailure as failure:
            results.append(InputError(where, failure.message))
    return results


def _check_text(text: object, column: str) -> None:
    if text is None:
        raise ReadFailure(f"the {column!r} column is null in this row: fill in the text or remove the row")
    if isinstance(text, _NotUtf8):
        raise ReadFailure(f"the {column!r} column is not valid UTF-8 in this row: the file is damaged; "
                          "re-export it, or remove the row")
    if not isinstance(text, str):  # the file was replaced after its footer was read
        raise ReadFailure(f"the {column!r} column holds {type(text).__name__}, not text: "
                          "name the text column with --text-field COLUMN")
    if not text.strip():
        raise ReadFailure(f"the {column!r} column is empty in this row: fill in the text or remove the row")
    if len(text) > MAX_DOCUMENT_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        raise ReadFailure(f"the {column!r} column is longer than the {MAX_DOCUMENT_BYTES // 2**20} MB dedup reads "
                          "as one document: split the text, or remove the row")


def _python_values(column) -> list:
    """A column's cells as Python values. A string whose bytes are not UTF-8 becomes
    `_NotUtf8` (pyarrow's own conversion gives up on the whole column); times that Python
    cannot hold (years past 9999, nanoseconds without pandas) are taken as Arrow writes them."""
    pa = _pyarrow()
    try:
        return column.to_pylist()
    except UnicodeDecodeError:
        return [_cell(pa, scalar) for scalar in column]
    except (ValueError, OverflowError):
        if not pa.types.is_temporal(column.type):
            raise
        import pyarrow.compute as pc  # noqa: PLC0415

        return pc.cast(column, pa.string()).to_pylist()


def _cell(pa, scalar) -> object:
    try:
        return scalar.as_py()
    except UnicodeDecodeError:
        if isinstance(scalar, pa.DictionaryScalar):
            scalar = scalar.value
        return _NotUtf8(scalar.as_buffer().to_pybytes())


def _plain(value: object) -> object:
    """A cell as article_from_record reads a JSON value: dates and times in ISO 8601, and
    the broken characters of a damaged string as U+FFFD."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, _NotUtf8):
        return value.decode("utf-8", "replace")
    return value


def _pyarrow():
    import pyarrow  # noqa: PLC0415 -- an optional extra: `pip install 'dedup[parquet]'`
    import pyarrow.parquet  # noqa: F401, PLC0415

    return pyarrow


def _open(path: str, filesystem):
    """The file, opened by Python when it is local (so names that are not UTF-8 open too)."""
    return open(path, "rb") if filesystem is None else filesystem.open_input_file(path)


def _size(stream) -> int:
    return stream.size() if hasattr(stream, "size") else os.fstat(stream.fileno()).st_size


def _parquet_file(stream, buffer_size: int = 0):
    import pyarrow.parquet as pq  # noqa: PLC0415

    return pq.ParquetFile(stream, buffer_size=buffer_size, pre_buffer=buffer_size == 0)


def _short(error: BaseException) -> str:
    """An exception's message on one line, no longer than a line should be."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:159] + "…"
