"""What an imported event table may keep: the last step of every import.

Chat and group names often name people ("WhatsApp Chat with Ann Lee", a Telegram chat, a Slack
channel such as ``hr-complaint-john-doe``), so they are replaced by salted hashes like members
(:func:`hash_group`), unless the user asks to keep them (``--keep-group-names``). Kept names
still lose any phone number in them (:func:`mask_phones`). The generic CSV log's members are
hashed too: it may hold names or phone numbers, and hashing ids that are already anonymous does
no harm (they stay consistent within a file and across files hashed with the same salt).
"""

from __future__ import annotations

import re

import pandas as pd

from sim.io.common import hash_member

GROUP_PREFIX = "group\x1f"  # hashed apart from members: a group and a member of one name differ
PHONE_PREFIX = "phone\x1f"
MIN_DIGITS, MAX_DIGITS = 7, 15  # E.164 numbers have at most 15 digits; local ones 7 or more
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().\-/]*\d(?!\w)")
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$")


def hash_group(salt: str, name: str) -> str:
    """The salted hash a group or chat name is stored as (12 hex digits, like a member's)."""
    return hash_member(salt, GROUP_PREFIX + name)


def is_phone(text: str) -> bool:
    """Does ``text`` look like a phone number (7 to 15 digits, not a date)?"""
    digits = sum(c.isdigit() for c in text)
    return MIN_DIGITS <= digits <= MAX_DIGITS and not _DATE.match(text.strip())


def mask_phones(salt: str, text: str) -> str:
    """``text`` with every phone-number-like part replaced by ``phone-<hash of its digits>``."""
    def replace(m: re.Match[str]) -> str:
        found = m.group(0)
        if not is_phone(found):
            return found
        digits = "".join(c for c in found if c.isdigit())
        return "phone-" + hash_member(salt, PHONE_PREFIX + digits)[:8]
    return _PHONE.sub(replace, text)


def protect(events: pd.DataFrame, salt: str, keep_group_names: bool = False,
            hash_members: bool = False) -> pd.DataFrame:
    """The event table as it may be written: group names hashed (or, kept, without phone
    numbers), and with ``hash_members`` the member column hashed as well.

    Args:
        events: an event table whose groups are names as found in the export.
        salt: the user's salt (:func:`sim.io.load_salt`).
        keep_group_names: keep group and chat names (phone numbers in them are still hashed).
        hash_members: hash the member column (members of the generic CSV, kept as found).
    """
    out = events.copy()
    names = pd.unique(out["group"])
    if keep_group_names:
        mapping = {n: mask_phones(salt, str(n)) for n in names}
    else:
        mapping = {n: hash_group(salt, str(n)) for n in names}
    out["group"] = out["group"].map(mapping).astype(str)
    if hash_members:
        members = {m: hash_member(salt, str(m)) for m in pd.unique(out["member"])}
        out["member"] = out["member"].map(members).astype(str)
    return out


def find_group(name: str, known: list[str], salt: str | None) -> str:
    """The stored group ``name`` stands for: itself when stored so, else its hash when that is
    stored (the user gives the name they know; the table holds its hash)."""
    if name in known or salt is None:
        return name
    hashed = hash_group(salt, name)
    return hashed if hashed in known else name
