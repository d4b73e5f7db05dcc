"""Imports keep no names: group and chat names are hashed like members unless kept on purpose,
the generic CSV's members and phone numbers are hashed, and the iOS folder or zip of a WhatsApp
export is read like its _chat.txt."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from sim.io import detect_format, import_events, read_events, write_events
from sim.io.common import hash_member
from sim.io.privacy import find_group, hash_group, is_phone, mask_phones

FIX = Path(__file__).resolve().parent / "fixtures" / "io"
GARDEN = FIX / "whatsapp" / "Garden Club"
PEOPLE = FIX / "csv" / "people.csv"
SALT = "test-salt"
CLEAR = ("Garden", "Rosa", "7700", "Ann", "Lee", "555", "john", "example.com")


def leaks(path: Path) -> list[str]:
    """The clear names or numbers of the fixtures found anywhere in a file's bytes."""
    data = path.read_bytes()
    return [word for word in CLEAR if word.encode() in data]


def test_whatsapp_ios_folder_is_read_through_its_chat_file():
    """The folder (chat and media) is detected and read like its _chat.txt, named by the folder."""
    assert detect_format(GARDEN) == "whatsapp"
    folder = import_events(GARDEN, salt=SALT, keep_group_names=True)
    file = import_events(GARDEN / "_chat.txt", salt=SALT, keep_group_names=True)
    pd.testing.assert_frame_equal(folder, file)
    assert set(folder["group"]) == {"Garden Club"}
    assert list(folder["event"]) == ["join", "join", "message", "message", "message"]


def test_whatsapp_zip_is_read_without_unpacking(tmp_path):
    """A .zip of the iOS folder gives the same events, the group named after the zip."""
    archive = tmp_path / "WhatsApp Chat - Garden Club.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for file in GARDEN.iterdir():
            z.write(file, f"Garden Club/{file.name}")
    assert detect_format(archive) == "whatsapp"
    zipped = import_events(archive, salt=SALT, keep_group_names=True)
    pd.testing.assert_frame_equal(zipped, import_events(GARDEN, salt=SALT,
                                                        keep_group_names=True))
    assert not any(p.name == "_chat.txt" for p in tmp_path.rglob("*"))


def test_group_names_are_hashed_by_default_and_nothing_clear_is_written(tmp_path):
    """Without keep_group_names the group is its salted hash; the file holds no name at all."""
    events = import_events(GARDEN, salt=SALT)
    assert set(events["group"]) == {hash_group(SALT, "Garden Club")}
    assert hash_group(SALT, "Garden Club") != hash_member(SALT, "Garden Club")
    assert events["member"].str.fullmatch(r"[0-9a-f]{12}").all()
    write_events(events, tmp_path / "e.parquet")
    assert leaks(tmp_path / "e.parquet") == []


def test_generic_csv_hashes_members_phone_numbers_and_groups(tmp_path):
    """CSV members (names, phone numbers, e-mails) and group names become salted hashes."""
    events = import_events(PEOPLE, salt=SALT)
    assert set(events["member"]) == {hash_member(SALT, m) for m in
                                     ("Ann Lee", "+1 (415) 555-0134", "john.doe@example.com")}
    assert events["group"].str.fullmatch(r"[0-9a-f]{12}").all()
    assert events["group"].nunique() == 2
    write_events(events, tmp_path / "e.parquet")
    assert leaks(tmp_path / "e.parquet") == []


def test_kept_group_names_lose_their_phone_numbers():
    """--keep-group-names keeps the words but a phone number in a name is hashed all the same."""
    events = import_events(PEOPLE, salt=SALT, keep_group_names=True)
    names = set(events["group"])
    assert "hr-complaint-john-doe" in names
    (phone_group,) = names - {"hr-complaint-john-doe"}
    assert phone_group.startswith("Ann Lee and Bo (phone-") and "555" not in phone_group


@pytest.mark.parametrize("text, phone", [
    ("+44 7700 900123", True), ("+1 (415) 555-0134", True), ("07700900123", True),
    ("2024-03-05", False), ("05/03/2024", False), ("Club 42", False), ("2024", False),
])
def test_what_counts_as_a_phone_number(text, phone):
    """7 to 15 digits in phone punctuation, but not dates or short numbers."""
    assert is_phone(text) is phone
    assert (mask_phones(SALT, f"x {text} y") != f"x {text} y") is phone


def test_reading_a_csv_log_hashes_it_like_an_import():
    """measure and calibrate read a CSV log through read_events: hashed the same way."""
    pd.testing.assert_frame_equal(read_events(PEOPLE, salt=SALT),
                                  import_events(PEOPLE, salt=SALT))
    kept = read_events(PEOPLE, keep_group_names=True, salt=SALT)
    assert "hr-complaint-john-doe" in set(kept["group"])


def test_a_group_is_found_by_the_name_the_user_knows():
    """calibrate --group NAME finds the group stored as NAME's hash (same salt)."""
    known = [hash_group(SALT, "Garden Club"), "kept name"]
    assert find_group("Garden Club", known, SALT) == known[0]
    assert find_group("kept name", known, SALT) == "kept name"
    assert find_group("other", known, SALT) == "other"  # unknown: the caller says so


def commsim(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COMMSIM_SALT"}
    env["XDG_CONFIG_HOME"] = str(cwd / "config")
    return subprocess.run([sys.executable, "-m", "sim", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_import_command_writes_no_name_and_says_what_is_kept(tmp_path):
    """commsim import of the CSV: no clear name in the file; the privacy line says what is kept;
    --keep-group-names keeps group names only."""
    result = commsim("import", PEOPLE, "-o", "people.parquet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "phone numbers are stored as salted hashes" in result.stdout
    assert "group names too" in result.stdout
    assert leaks(tmp_path / "people.parquet") == []
    kept = commsim("import", PEOPLE, "--keep-group-names", "-o", "kept.parquet", cwd=tmp_path)
    assert kept.returncode == 0, kept.stderr
    assert "group names are kept" in kept.stdout
    table = pd.read_parquet(tmp_path / "kept.parquet")
    assert "hr-complaint-john-doe" in set(table["group"])
    assert not table["member"].str.contains("Ann|555|john").any()
