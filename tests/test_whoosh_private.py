"""Contracts with Whoosh's private API (registry/search/whoosh_private.py): one test per private
name the registry relies on, so that a Whoosh that changed fails here, on the name that moved,
and the behaviour built on them (a segment Whoosh itself reads, postings read a block at a
time, postings sorted on disk, both ways of matching documents against postings)."""

from __future__ import annotations

import inspect
import io
import mmap
import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import (
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.fields import ID, KEYWORD, Schema
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.reading import SegmentReader
from whoosh.writing import PostingPool, SegmentWriter

from registry.search import whoosh_index as ours
from registry.search.whoosh_private import (
    TABLES_OF_CONTENTS,
    MappedFile,
    new_writer,
    read_postings,
)


def source(obj) -> str:
    return inspect.getsource(obj)


# -- one contract per private name --------------------------------------------------------------
@pytest.mark.parametrize("name", ["_blocklimit", "_compression", "_inlinelimit"])
def test_w3codec_keeps_its_settings_as(name):
    assert hasattr(W3Codec(), name)


def test_w3fieldwriter_creates_its_files_through_create_file():
    assert callable(W3FieldWriter._create_file)
    assert "self._create_file(" in source(W3FieldWriter)


@pytest.mark.parametrize("name", ["_terminfo", "_ids", "_weights", "_values", "_inlinelimit"])
def test_w3postingswriter_keeps_a_terms_postings_in(name):
    assert f"self.{name}" in source(W3PostingsWriter)


def test_w3terminfo_can_hold_inlined_postings():
    assert callable(W3TermInfo.set_inlined)
    assert list(inspect.signature(W3TermInfo.set_inlined).parameters) == [
        "self",
        "ids",
        "weights",
        "values",
    ]


@pytest.mark.parametrize("name", ["_write_run", "_read_run", "_open_run", "_remove_run"])
def test_postingpool_sorts_runs_on_disk_with(name):
    assert callable(getattr(PostingPool, name))


def test_structfile_keeps_its_name_as_name():
    assert "self._name" in source(StructFile.__init__)


def test_segmentwriter_takes_lk_and_keeps_tempstorage():
    assert "_lk" in inspect.signature(SegmentWriter.__init__).parameters
    assert "self._tempstorage" in source(SegmentWriter.__init__)
    assert "self.pool" in source(SegmentWriter.__init__)


def test_segmentreader_keeps_its_terms_in_terms():
    assert "self._terms" in source(SegmentReader)


def test_segmentreader_turns_text_into_term_bytes_with_text_to_bytes():
    assert callable(SegmentReader._text_to_bytes)


@pytest.mark.parametrize("name", ["self._data", "def _read_data", "def _next_block", "_byteids"])
def test_w3leafmatcher_reads_blocks_through(name):
    assert name in source(W3LeafMatcher)


def test_compound_storage_opens_its_files_with_the_module_s_bufferfile():
    assert "BufferFile(buf" in source(compound.CompoundStorage.open_file)
    assert issubclass(MappedFile, BufferFile) and compound.BufferFile is MappedFile


def test_bufferfile_reads_slices_of_buf():
    assert "self._buf[" in source(BufferFile.get)


# -- what is built on them ------------------------------------------------------------------------
SCHEMA = Schema(id=ID(unique=True), word=KEYWORD)


def write(directory, documents, limitmb=128):
    index = whoosh_index.create_in(str(directory), SCHEMA)
    lock = index.lock("WRITELOCK")
    assert lock.acquire()
    writer = new_writer(index, lock, limitmb=limitmb)
    for number, words in documents:
        writer.add_document(id=str(number), word=words)
    writer.commit()
    return index


@pytest.fixture
def written(tmp_path):
    # 5,000 documents hold "common" (postings over several blocks, past BISECT_UP_TO); each
    # holds a word of its own (one posting: inlined in the term's entry).
    documents = [(n, f"common own{n}" + (" even" if n % 2 == 0 else "")) for n in range(5000)]
    return write(tmp_path, documents)


def test_whoosh_itself_reads_what_the_registry_writes(written, tmp_path):
    assert len(list(tmp_path.glob(TABLES_OF_CONTENTS))) == 1
    with whoosh_index.open_dir(str(tmp_path)).searcher() as searcher:  # plain Whoosh
        assert searcher.doc_count() == 5000
        assert searcher.document_number(id="4321") is not None
        assert len(list(searcher.postings("word", "common").all_ids())) == 5000
        assert list(searcher.postings("word", "own17").all_ids()) == [17]


@pytest.mark.parametrize(
    "term, expected",
    [
        ("common", list(range(5000))),
        ("even", list(range(0, 5000, 2))),
        ("own4999", [4999]),
        ("nothing", []),
    ],
)
def test_postings_read_a_block_at_a_time_are_whooshs(written, term, expected):
    with written.searcher() as searcher:
        ((leaf, _offset),) = searcher.leaf_searchers()
        read = read_postings(leaf.reader(), "word", term)
        assert read.dtype == np.int32 and read.tolist() == expected


def test_postings_sorted_on_disk_come_back_whole(tmp_path):
    # A tiny memory limit makes the pool write sorted runs to disk and merge them back.
    documents = [(n, " ".join(f"w{(n * k) % 997}" for k in range(1, 40))) for n in range(3000)]
    index = write(tmp_path, documents, limitmb=1)
    with index.searcher() as searcher:
        for word in ("w0", "w1", "w996"):
            expected = sorted(n for n, words in documents if word in words.split())
            assert sorted(searcher.postings("word", word).all_ids()) == expected


class _Held:
    def __init__(self, postings):
        self.postings_of = postings

    def postings(self, _leaf, _field, text):
        return self.postings_of[text]


@pytest.mark.parametrize("size", [100, ours.BISECT_UP_TO, ours.BISECT_UP_TO + 1, 20_000])
def test_both_ways_of_matching_documents_against_postings_agree(size):
    rng = np.random.default_rng(size)
    postings = {
        "a": np.unique(rng.integers(0, 60_000, 9_000)).astype(np.int32),
        "b": np.unique(rng.integers(0, 60_000, 40)).astype(np.int32),
    }
    docs = np.sort(rng.choice(60_000, size, replace=False)).astype(np.int32)
    assert len(docs) == size
    held = ours._Docs([(None, 0, _Held(postings))], [("word", "a"), ("word", "b")])
    expected = np.isin(docs, np.concatenate(list(postings.values())))
    assert held.hold_local(0, docs).tolist() == expected.tolist()


def test_a_segment_file_is_read_in_place_from_the_mapping_not_copied(written):
    with written.searcher() as searcher:
        ((leaf, _offset),) = searcher.leaf_searchers()
        storage = leaf.reader()._storage.a  # an OverlayStorage over the compound segment
        assert isinstance(storage, compound.CompoundStorage)
        opened = storage.open_file(storage.list()[0])
        assert isinstance(opened, MappedFile)
        assert isinstance(opened._buf.obj, mmap.mmap)  # a view of the segment's mapping
        assert not isinstance(opened.file, io.BytesIO)


@pytest.mark.parametrize("seed", range(5))
def test_a_file_read_in_place_reads_as_bytesio_does(seed):
    rng = random.Random(seed)
    data = bytes(rng.choice(b"ab\n\x00") for _ in range(500))
    ours, theirs = MappedFile(memoryview(data)).file, io.BytesIO(data)
    for _ in range(200):
        step = rng.choice(["read", "readline", "seek", "tell"])
        if step == "read":
            size = rng.choice([-1, 0, 1, 7, 600])
            assert ours.read(size) == theirs.read(size)
        elif step == "readline":
            size = rng.choice([-1, 3, 50])
            assert ours.readline(size) == theirs.readline(size)
        elif step == "seek":
            position, whence = rng.choice([(rng.randrange(520), 0), (rng.randrange(20), 1), (0, 2)])
            assert ours.seek(position, whence) == theirs.seek(position, whence)
        assert ours.tell() == theirs.tell()
    ours.seek(0), theirs.seek(0)
    assert list(ours) == list(theirs)
    sub = MappedFile(memoryview(data)).subset(10, 20)
    assert sub.read(100) == data[10:30]
