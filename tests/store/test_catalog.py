"""The run store: chunks published atomically, half-written files ignored, runs listed, views over the chunks."""

import duckdb
import pyarrow as pa
import pytest

from iadsim.store import Store


def _tables(start, count):
    rows = pa.table({"replication": list(range(start, start + count))})
    return {"fates": rows, "replications": rows}


def test_published_chunks_are_listed_and_partial_files_ignored(tmp_path):
    store = Store(tmp_path / "runs" / "iadsim.duckdb")
    record = store.create_run("minimal", "name: minimal\n", seed=1, n=10, chunk_size=4, code_version="test")
    assert record.n_chunks == 3 and store.completed_chunks(record.run_id) == set()
    store.publish_chunk(record.run_id, 0, _tables(0, 4))
    store.publish_chunk(record.run_id, 2, _tables(8, 2))
    (store.run_dir(record.run_id) / ".partial-99-replications-000001.parquet").write_bytes(b"half a file")
    (store.run_dir(record.run_id) / "fates-000001.parquet").write_bytes(b"published fates without its marker")
    assert store.completed_chunks(record.run_id) == {0, 2}
    assert [f.rsplit("/", 1)[1] for f in store.chunk_files(record.run_id, "fates")] == \
        ["fates-000000.parquet", "fates-000002.parquet"]  # the orphan fates-000001 is not read
    assert not list(store.run_dir(record.run_id).glob(".partial-*-fates-*"))  # nothing staged is left behind


def test_runs_are_catalogued_and_finished_runs_have_views(tmp_path):
    store = Store(tmp_path / "iadsim.duckdb")
    first = store.create_run("a", "text a", seed=1, n=4, chunk_size=4, code_version="test")
    second = store.create_run("b", "text b", seed=2, n=4, chunk_size=4, code_version="test")
    store.publish_chunk(second.run_id, 0, _tables(0, 4))
    store.finish(second.run_id)
    assert [r.run_id for r in store.runs()] == [first.run_id, second.run_id]
    assert store.run(first.run_id).status == "running" and store.run(second.run_id).status == "complete"
    assert store.run(second.run_id).scenario_text == "text b"
    with duckdb.connect(str(store.path), read_only=True) as connection:
        assert connection.execute(f'SELECT count(*) FROM "replications_{second.run_id}"').fetchone()[0] == 4
    with pytest.raises(KeyError):
        store.run("no-such-run")
