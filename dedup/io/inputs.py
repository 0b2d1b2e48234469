"""What the user names on the command line, turned into a stream of documents to scan.

A path may be a directory (searched recursively for the file types below), a .jsonl,
.csv, .parquet or single-document file, a URI of a .parquet file or of a folder of them
(file://, s3://, gs://, hdfs://: dedup.io.read_parquet), or `-` for JSON Lines on standard
input. Missing paths and directories without a single readable file are errors in the
stream, not exceptions: the scan reports them and goes on with the rest.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator

from dedup.io.read_csv import read_csv
from dedup.io.read_files import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    TEXT_SUFFIXES,
    PendingFile,
    shown_path,
)
from dedup.io.read_jsonl import PendingLine, read_jsonl, read_jsonl_stream
from dedup.io.read_parquet import (
    PARQUET_SUFFIX,
    PendingRows,
    is_uri,
    read_parquet,
    read_parquet_uri,
)
from dedup.io.records import FieldMap
from dedup.model import Article, InputError

STDIN = "-"
SCANNED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + (".jsonl", ".csv", PARQUET_SUFFIX)

# What a reader yields: an article, an error, or an item to be read later (in a worker)
# with its `load()` method.
Pending = PendingFile | PendingLine | PendingRows
Document = Article | Pending | InputError


def read_inputs(paths: Iterable[str], fields: FieldMap = FieldMap(), encoding: str = "utf-8",
                follow_symlinks: bool = False) -> Iterator[Document]:
    """The documents under `paths`. Inside a folder, links are followed only to files in
    that folder unless `follow_symlinks` (then to any file and folder, each folder once)."""
    for path in paths:
        path = str(path)
        if path == STDIN:
            if sys.stdin is None:  # `dedup scan - <&-`
                yield InputError("<stdin>", "standard input is closed: pipe JSON Lines into dedup, or name the files")
            else:
                yield from read_jsonl_stream(sys.stdin.buffer, "<stdin>", fields, encoding)
        elif is_uri(path) and not os.path.exists(path):
            yield from read_parquet_uri(path, fields)
        elif os.path.isdir(path):
            yield from _read_directory(path, fields, encoding, follow_symlinks)
        elif os.path.isfile(path):
            yield from _read_file(path, shown_path(os.path.normpath(path)), fields, encoding, named=True)
        elif os.path.lexists(path):
            yield InputError(path, "not a regular file or directory (a pipe, socket or device): name a file or folder")
        else:
            yield InputError(path, "no such file or directory: check the path")


def input_size(paths: Iterable[str], follow_symlinks: bool = False) -> int | None:
    """The bytes a scan of `paths` will read, for a progress bar's total: the sizes of the
    files named and of those a folder holds; None when standard input is a pipe, whose
    length nobody knows before its end, or for a URI (knowing would take a listing)."""
    total = 0
    for path in paths:
        path = str(path)
        if path == STDIN:
            size = _stdin_size()
            if size is None:
                return None
            total += size
        elif is_uri(path) and not os.path.exists(path):
            return None
        elif os.path.isdir(path):
            total += sum(_size(found) for found, problem in _walk(path, follow_symlinks)
                         if problem is None and (follow_symlinks or not os.path.islink(found) or _inside(found, path)))
        elif os.path.isfile(path):
            total += _size(path)
    return total


def document_size(item: Document) -> int:
    """The bytes of input `item` stands for: a JSON line's, a file's, its share of a Parquet
    file's, or for an article read already (a CSV row, an Article given to `dedup.scan`)
    its text's."""
    if isinstance(item, PendingLine):
        return len(item.raw)
    if isinstance(item, PendingRows):
        return item.size
    if isinstance(item, PendingFile):
        return _size(item.path)
    if isinstance(item, Article):
        return len(item.text.encode("utf-8", "surrogatepass"))
    return 0


def document_count(item: Document) -> int:
    """How many documents `item` may give: the rows of a Parquet item, else one (a .json
    file's list is the exception nobody can count before reading it). Worker batches that
    count these, not items, stay of one size whatever the inputs are."""
    if isinstance(item, PendingRows):
        return item.stop - item.start
    return 1


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _stdin_size() -> int | None:
    """What is left of standard input when it is a file (`dedup scan - < corpus.jsonl`)."""
    try:
        descriptor = sys.stdin.fileno()
        info = os.fstat(descriptor)
    except (AttributeError, OSError, ValueError):  # closed, or not a file at all (a test's StringIO)
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        position = os.lseek(descriptor, 0, os.SEEK_CUR)
    except OSError:
        position = 0
    return max(0, info.st_size - position)


def _read_file(path: str, doc_id: str, fields: FieldMap, encoding: str, named: bool = False) -> Iterator[Document]:
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".jsonl":
        yield from read_jsonl(path, fields, encoding, id_prefix=doc_id)
    elif suffix == ".csv":
        yield from read_csv(path, fields, encoding, id_prefix=doc_id)
    elif suffix == PARQUET_SUFFIX:
        yield from read_parquet(path, shown_path(path), fields, id_prefix=doc_id)
    else:
        # Any other file named explicitly is read as a single document (plain text unless
        # its suffix says HTML or JSON); binary content is refused when it is loaded.
        yield PendingFile(path, doc_id, fields, encoding, named)


def _read_directory(root: str, fields: FieldMap, encoding: str, follow_symlinks: bool) -> Iterator[Document]:
    found = False
    for path, problem in _walk(root, follow_symlinks):
        if problem:
            yield InputError(path, problem)
            found = found or path == root  # the folder itself is unreadable: that is the one message
            continue
        found = True
        if not follow_symlinks and os.path.islink(path) and not _inside(path, root):
            yield InputError(path, "a link to a file outside this folder: skipped; pass --follow-symlinks "
                                   "or name the file itself to scan it")
        elif not _is_regular_file(path):
            yield InputError(path, "not a regular file (a pipe, socket or device): skipped; dedup reads files")
        else:
            yield from _read_file(path, shown_path(os.path.relpath(path, root)), fields, encoding)
    if not found:
        yield InputError(root, f"no {', '.join(SCANNED_SUFFIXES)} files in this directory: check the path")


def _walk(root: str, follow_symlinks: bool = False) -> Iterator[tuple[str, str | None]]:
    """(path, None) for each file to scan under `root`, or (folder, problem) for a folder
    that cannot be read; in the order os.walk gives (a folder's files, then its folders,
    sorted), without recursion, so no depth of folders is too deep. Hidden folders (.git,
    .cache) hold no articles. Links to folders are followed only with `follow_symlinks`,
    and then each real folder is walked once, so a link loop ends."""
    stack, walked = [root], set()
    while stack:
        directory = stack.pop()
        if follow_symlinks:
            real = os.path.realpath(directory)
            if real in walked:
                continue
            walked.add(real)
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            yield directory, f"cannot read this folder ({error.strerror}): check its permissions; its files were not scanned"
            continue
        folders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=follow_symlinks):
                folders.append(entry.path)
            elif entry.is_symlink() and entry.is_dir() and not _inside(entry.path, root):
                # (a link to a folder inside the corpus is skipped silently: its files are read there)
                yield entry.path, "a link to a folder outside this folder: skipped; pass --follow-symlinks to scan it"
            elif os.path.splitext(entry.name)[1].lower() in SCANNED_SUFFIXES:
                yield entry.path, None
        stack.extend(reversed(folders))


def _inside(path: str, root: str) -> bool:
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root


def _is_regular_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False
