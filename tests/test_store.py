"""The results folder: chunks saved atomically and recorded, a manifest that says what made them,
resume of only what is missing, final tables independent of chunking, folders never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.errors import UserError
from sim.executors import make_chunks, run_chunk
from sim.experiments import load_experiment, run_outcome_names
from sim.params import PARAM_NAMES
from sim.store import LABELS, ResultStore, labels_table, latest_unfinished, read_manifest
from sim.sweep import run_experiment

EXPERIMENT = """
name = "tiny"
scenarios = ["baseline", "shills"]
replicates = 3
days = 12
seed = 9
[vary]
entry_fee = [0.0, 5.0]
"""


@pytest.fixture
def experiment(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(EXPERIMENT, encoding="utf-8")
    return load_experiment(path)


@pytest.fixture
def reference(experiment, tmp_path):
    """The tiny experiment run in one go, in this process."""
    result = run_experiment(experiment, tmp_path / "ref", ["test"], progress=False)
    return (pd.read_parquet(result.path / "runs.parquet"),
            pd.read_parquet(result.path / "daily.parquet"))


def tables(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_parquet(path / "runs.parquet"), pd.read_parquet(path / "daily.parquet")


def save_some_chunks(experiment, path: Path, chunk_ids: list[int]) -> ResultStore:
    """A folder where only some chunks (of 4 runs) finished before the sweep was stopped."""
    store = ResultStore.create(path, experiment, ["test"])
    specs = experiment.run_specs()
    chunks = make_chunks([s.run_id for s in specs], [s.params for s in specs],
                         [s.seed for s in specs], experiment.days, 4)
    labels = labels_table(specs, list(experiment.vary))
    for cid in chunk_ids:
        store.save_chunk(run_chunk(chunks[cid]), labels, None)
    store.mark("interrupted")
    return store


def test_final_tables_are_sorted_and_complete(reference, experiment):
    """runs.parquet has one row per run by run_id; daily.parquet one per run and day."""
    runs, daily = reference
    assert list(runs.run_id) == list(range(experiment.n_runs))
    assert list(runs.columns[:5]) == ["run_id", "scenario", "entry_fee", "replicate", "seed"]
    assert len(daily) == experiment.n_runs * experiment.days
    assert daily[["run_id", "day"]].equals(
        daily[["run_id", "day"]].sort_values(["run_id", "day"]).reset_index(drop=True))


def test_manifest_says_what_made_the_results(reference, experiment, tmp_path):
    """The manifest is strict JSON with command, experiment, parameters, versions and status."""
    text = (tmp_path / "ref" / "manifest.json").read_text()
    manifest = json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON {c}"))
    assert manifest["status"] == "complete" and manifest["finished"] >= manifest["started"]
    assert manifest["command"] == ["test"] and manifest["seed"] == 9
    assert manifest["version"] == sim.__version__
    assert {"python", "numpy", "pandas", "mesa", "scipy"} <= set(manifest["versions"])
    assert "git_commit" in manifest
    assert manifest["experiment"]["points"] == [{"entry_fee": 0.0}, {"entry_fee": 5.0}]
    assert manifest["scenarios"]["shills"]["params"]["shills"] == 2
    assert manifest["scenarios"]["shills"]["params"]["shills_end"] == "inf"
    assert manifest["fingerprint"] == experiment.fingerprint()
    assert sum(hi - lo for c in manifest["chunks"] for lo, hi in c["run_ids"]) == 12
    assert not (tmp_path / "ref" / "parts").exists()  # merged, then removed


def test_resume_runs_only_the_missing_chunks(experiment, reference, tmp_path):
    """After chunks 0 and 2 of 3 were saved, resume runs chunk 1 and the tables match."""
    store = save_some_chunks(experiment, tmp_path / "out", [0, 2])
    assert store.done_run_ids() == set(range(4)) | set(range(8, 12))
    result = run_experiment(experiment, tmp_path / "out", ["again"], resume=True,
                            progress=False)
    assert result.ran == 4
    for got, want in zip(tables(tmp_path / "out"), reference):
        pd.testing.assert_frame_equal(got, want)
    assert read_manifest(tmp_path / "out")["resumed"][0]["command"] == ["again"]


def test_chunks_saved_but_not_recorded_are_run_again(experiment, reference, tmp_path):
    """A part file on disk that the manifest does not list (killed mid-save) is dropped."""
    store = save_some_chunks(experiment, tmp_path / "out", [0, 1])
    manifest = read_manifest(store.path)
    manifest["chunks"] = manifest["chunks"][:1]  # chunk 1 written, manifest not yet updated
    (store.path / "manifest.json").write_text(json.dumps(manifest))
    result = run_experiment(experiment, store.path, ["again"], resume=True, progress=False)
    assert result.ran == 8
    for got, want in zip(tables(store.path), reference):
        pd.testing.assert_frame_equal(got, want)


def test_final_tables_do_not_depend_on_chunk_size(experiment, reference, tmp_path):
    """Chunks of 1 run or of all runs give the same final tables."""
    for size in (1, 12):
        result = run_experiment(experiment, tmp_path / f"c{size}", ["t"], chunk_size=size,
                                progress=False)
        for got, want in zip(tables(result.path), reference):
            pd.testing.assert_frame_equal(got, want)


def test_an_existing_folder_is_not_overwritten(experiment, tmp_path):
    """Without --resume or --force, an existing folder is refused; --force replaces it."""
    run_experiment(experiment, tmp_path / "out", ["t"], progress=False)
    with pytest.raises(UserError, match="already exists: use --resume.*--force"):
        run_experiment(experiment, tmp_path / "out", ["t"], progress=False)
    result = run_experiment(experiment, tmp_path / "out", ["t"], force=True, progress=False)
    assert result.ran == experiment.n_runs


def test_force_never_deletes_a_folder_that_is_not_results(experiment, tmp_path):
    """--force on a folder holding other files (no manifest) is refused and keeps them."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(UserError, match="not a commsim results folder"):
        run_experiment(experiment, tmp_path / "mine", ["t"], force=True, progress=False)
    assert (tmp_path / "mine" / "thesis.tex").read_text() == "precious"


def test_resume_refuses_another_experiment(experiment, tmp_path):
    """Resuming a folder with a changed experiment is refused, naming what differs."""
    save_some_chunks(experiment, tmp_path / "out", [0])
    changed = tmp_path / "tiny.toml"
    changed.write_text(EXPERIMENT.replace("replicates = 3", "replicates = 4"))
    with pytest.raises(UserError, match="holds another experiment: its points|its replicates"):
        run_experiment(load_experiment(changed), tmp_path / "out", ["t"], resume=True,
                       progress=False)


def test_resume_of_a_complete_folder_runs_nothing(experiment, tmp_path):
    """A complete folder resumed is left as it is."""
    run_experiment(experiment, tmp_path / "out", ["t"], progress=False)
    before = tables(tmp_path / "out")
    result = run_experiment(experiment, tmp_path / "out", ["t"], resume=True, progress=False)
    assert result.ran == 0
    for got, want in zip(tables(tmp_path / "out"), before):
        pd.testing.assert_frame_equal(got, want)


def test_resume_without_a_folder_is_refused(experiment, tmp_path):
    """--resume on a folder with no manifest says there is nothing to resume."""
    with pytest.raises(UserError, match="nothing to resume"):
        run_experiment(experiment, tmp_path / "none", ["t"], resume=True, progress=False)


def test_latest_unfinished_finds_the_newest_interrupted_folder(experiment, tmp_path):
    """--resume without --out picks the newest unfinished folder of that experiment."""
    root = tmp_path / "results"
    save_some_chunks(experiment, root / "tiny-20260101T000000Z", [0])
    run_experiment(experiment, root / "tiny-20260102T000000Z", ["t"], progress=False)
    assert latest_unfinished("tiny", root) == root / "tiny-20260101T000000Z"
    assert latest_unfinished("other", root) is None


def test_labels_never_collide_with_outcome_columns():
    """Varied parameters and labels can sit beside the outcomes in runs.parquet."""
    assert not (set(PARAM_NAMES) | set(LABELS)) & set(run_outcome_names())
