"""Every use of Whoosh's private API, fenced in one module (whoosh-reloaded 2.7.5 is frozen
upstream, so what is private there does not move; should it ever, tests/test_whoosh_private.py
has one contract test per private name used here, and fails on the one that changed).

Why each piece exists (bench/whoosh_private.py times each against the public API doing the same
job; bench/README.md has the figures and the rule: a piece stays while it wins by more than a
factor of two at a regional registry's size):
- Writing (FastCodec, RunPool, new_writer): Whoosh's own writer rebuilds the index several times
  slower at a regional size. It writes each single posting as a block of its own (it means
  to inline them and cannot: it calls `set_inline` for `set_inlined`), looks up every posting's
  length (nothing here is scored), asks the operating system for the file position at every
  term, and pickles the postings it sorts on disk one at a time. What is written is Whoosh's own
  segment format: the segments name Whoosh's codec, so plain Whoosh reads them.
  Private names: `W3Codec._blocklimit`, `._compression`, `._inlinelimit`;
  `W3FieldWriter._create_file`; `W3PostingsWriter._terminfo`, `._ids`, `._weights`,
  `._values`, `._inlinelimit`; `PostingPool._write_run`, `._read_run`, `._open_run`,
  `._remove_run`; `StructFile._name`; `SegmentWriter(_lk=False)`, `SegmentWriter._tempstorage`.
- Reading postings (read_postings): Whoosh's matcher decodes document numbers one by one in
  Python; a block at a time is what lets lookups keep up at a million agencies.
  Private names: `SegmentReader._terms`, `._text_to_bytes`; `W3LeafMatcher._data`,
  `._read_data`, `._next_block`, `._byteids`.
- TABLES_OF_CONTENTS: the file names of Whoosh's tables of contents, which tell a process that
  the index was rebuilt under the same generation number.
- Reading segment files in place (MappedFile): Whoosh maps a segment into memory, then copies
  each file it opens out of the mapping into a BytesIO of its own (BufferFile), the terms file
  included: 550 MB of private memory per process at a million agencies, where the mapping is
  shared by every process. MappedFile reads the mapping where it is. Private names:
  `whoosh.filedb.compound.BufferFile` (the class CompoundStorage opens files with),
  `BufferFile._buf`.
"""

from __future__ import annotations

import marshal
import pickle
import struct
from array import array
from itertools import accumulate, islice

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter, W3Segment
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.reading import TermNotFound
from whoosh.writing import PostingPool, SegmentWriter

INLINE_BELOW = 2  # terms with fewer postings are kept in their term's entry (FastCodec)
TABLES_OF_CONTENTS = "_MAIN_*.toc"  # Whoosh's file names for the index "MAIN"


def new_writer(index, lock, *, limitmb: int) -> SegmentWriter:
    """A segment writer with FastCodec and RunPool, under `lock`, taken by the caller (released
    by the writer's commit or cancel)."""
    writer = SegmentWriter(index, _lk=False, limitmb=limitmb, codec=FastCodec())
    writer.writelock = lock
    # Whoosh's writer takes no pool class (it ignores `poolclass`): its pool is replaced while
    # still empty.
    writer.pool = RunPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)
    return writer


class FastCodec(W3Codec):
    """Whoosh's own segment format, written faster. Most terms (identifiers, the agency id, rare
    words) have one posting: they are kept in the term's entry ("inlined", which 2.7.5 means to
    do but cannot: it calls `set_inline` for `set_inlined`) rather than each as a compressed
    block of the postings file (_PostingsWriter). And the terms are written without looking up
    the length of every posting (nothing is scored; for fields without lengths, each look-up is
    a file system call) to files that count their own position (_FieldWriter). What it writes
    is Whoosh's own format: its segments name Whoosh's codec, which reads them, so that the
    index's table of contents names no class of ours."""

    def __init__(self):
        super().__init__(inlinelimit=INLINE_BELOW)

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(), indexname)

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _PostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )


class _FieldWriter(W3FieldWriter):
    """Writes a segment's terms and postings: the terms' lengths are not asked for, and the
    files count their own position (_TellingFile)."""

    def _create_file(self, ext):
        return _TellingFile(super()._create_file(ext))

    def add_postings(self, schema, lengths, items):
        super().add_postings(schema, None, items)


class _PostingsWriter(W3PostingsWriter):
    """Keeps the postings of a term with fewer than INLINE_BELOW in the term's entry, each with
    its value: an empty one for fields that keep none (Whoosh reads a posting without a value
    as a str, which its writer refuses when segments merge)."""

    def finish_postings(self):
        terminfo = self._terminfo
        if self.written() or len(self) >= self._inlinelimit:
            return super().finish_postings()
        terminfo.add_block(self)
        values = self._values or [b""] * len(self._ids)
        terminfo.set_inlined(self._ids, self._weights, values)
        self._terminfo = None
        return terminfo


class RunPool(PostingPool):
    """Whoosh's pool of a writer's postings, which it sorts in runs on disk when they outgrow
    `limitmb`, with the runs written and read a few thousand postings at a time: Whoosh pickles
    them to the file one by one, and reading a file item by item costs a Python call per
    field. Each chunk is its length, then its postings marshalled."""

    CHUNK = 4096
    _LENGTH = struct.Struct("<I")

    def _write_run(self, f, items):
        items = iter(items)
        while chunk := list(islice(items, self.CHUNK)):
            data = marshal.dumps(chunk)
            f.write(self._LENGTH.pack(len(data)))
            f.write(data)
        f.close()

    def _read_run(self, path):
        f = self._open_run(path)
        try:
            while header := f.read(self._LENGTH.size):
                yield from marshal.loads(f.read(self._LENGTH.unpack(header)[0]))
        finally:
            f.close()
            self._remove_run(path)


class _TellingFile(StructFile):
    """A segment file being written that counts its own position: Python's buffered files ask
    the operating system at every tell(), and Whoosh asks at every term."""

    def __init__(self, f: StructFile):
        super().__init__(f.file, name=f._name, onclose=f.onclose)
        self.is_real = False  # so that write_array writes through write()
        self._at = f.file.tell()

    def write(self, data):
        self._at += len(data)
        return self.file.write(data)

    def write_pickle(self, obj, protocol=-1):
        self.write(pickle.dumps(obj, protocol))

    def tell(self):
        return self._at

    def seek(self, *args):
        found = self.file.seek(*args)
        self._at = self.file.tell()
        return found


def read_postings(leaf, field: str, text: str) -> np.ndarray:
    """A term's document numbers in a segment, read a block at a time (Whoosh's own iterator
    decodes them one by one in Python)."""
    try:
        matcher = leaf._terms.matcher(
            field, leaf._text_to_bytes(field, text), leaf.schema[field].format
        )
    except (KeyError, TermNotFound):
        return np.empty(0, dtype=np.int32)
    if type(matcher) is not W3LeafMatcher:
        return np.fromiter(matcher.all_ids(), dtype=np.int32)
    found = array("i")
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids = matcher._data[0]
        found.extend(ids if matcher._byteids else accumulate(ids))
        matcher._next_block()
    return np.frombuffer(found, dtype=np.int32)


class _InPlace:
    """A read-only file over a buffer (a slice of a segment's mapping), read where it is:
    what BytesIO does for reading, without its copy of the buffer."""

    def __init__(self, buf: memoryview):
        self._buf = buf
        self._at = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(self._at + size, len(self._buf))
        found = bytes(self._buf[self._at : end])
        self._at = max(self._at, end)
        return found

    def readline(self, size: int | None = -1) -> bytes:
        rest = self._buf[self._at :]
        at = bytes(rest[: size if size is not None and size >= 0 else len(rest)]).find(b"\n")
        return self.read(at + 1 if at >= 0 else size)

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, position: int, whence: int = 0) -> int:
        base = (0, self._at, len(self._buf))[whence]
        if base + position < 0:
            raise ValueError("negative seek position")
        self._at = base + position
        return self._at

    def tell(self) -> int:
        return self._at

    def write(self, _data) -> int:
        raise OSError("a segment file is read-only")

    def close(self) -> None:
        self._buf = memoryview(b"")


class MappedFile(BufferFile):
    """BufferFile (Whoosh's file over a slice of a mapped segment), read in place."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = memoryview(buf)
        self.file = _InPlace(self._buf)

    def subset(self, position, length, name=None):
        return MappedFile(self._buf[position : position + length], name=name or self._name)


compound.BufferFile = MappedFile  # what CompoundStorage.open_file makes
