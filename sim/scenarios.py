"""Scenario files: named sets of parameter overrides extending one another, down from ``baseline``.

A scenario file (``scenarios/<name>.toml``) holds::

    name = "fee_99"                       # optional; must match the file name
    description = "A 99-yuan entry fee"   # one or more sentences
    principles = ["P7", "P20"]            # the principles of the source articles it tests
    extends = "baseline"                  # the scenario it builds on (the default)
    days = 180                            # default run length (inherited; 180 at the root)
    seed = 0                              # default master seed (inherited; 0 at the root)

    [params]                              # flat overrides, names from sim/params.py
    entry_fee = 99.0

The chain of ``extends`` is merged from ``baseline`` down (a child's value wins), then validated
with :func:`sim.params.resolve`. Every mistake raises :class:`~sim.errors.UserError` naming the
file, the key, the value and what was expected.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sim.errors import Mistakes, UserError, UserErrors, closest
from sim.params import PARAM_NAMES, Params, resolve, to_dict, toml_value

ROOT = "baseline"
DEFAULT_DAYS = 180
MAX_DAYS = 3650
MAX_SEED = 2**63 - 1
PRINCIPLES = tuple(f"P{i}" for i in range(1, 31))  # P1-P30 of the source articles (sim.principles)
SCENARIO_KEYS = ("name", "description", "principles", "extends", "days", "seed", "params")
_PRINCIPLE = re.compile(r"^P\d+$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
NAME_RULE = "letters, digits, '-' and '_'"
PATHS_HINT = "a path is followed only with commsim --allow-paths"


def check_name(name: object, where: str) -> str:
    """``name`` if it is a plain name (letters, digits, ``-``, ``_``), since names become file and
    folder names; ``where`` says whose name it is (``"x.toml: name"``).

    Raises:
        UserError: a path (``/``, ``..``), spaces, dots or other characters.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise UserError(f"{where} = {toml_value(name)} is not allowed: expected a name of "
                        f"{NAME_RULE} (it names files and folders, so it cannot be a path)")
    return name


def inside(path: Path, folders: Iterable[Path]) -> bool:
    """Is ``path`` (links resolved) inside one of ``folders``?"""
    real = Path(path).resolve()
    return any(real.is_relative_to(Path(f).resolve()) for f in folders)


@dataclass
class Scenario:
    """A scenario with its ``extends`` chain merged and its parameters resolved."""

    name: str
    description: str
    principles: tuple[str, ...]
    extends: str | None
    overrides: dict[str, Any]  # merged from baseline down; only what differs from the defaults
    params: Params
    days: int
    seed: int
    path: Path | None
    chain: tuple[str, ...] = field(default=())  # names from the root down to this scenario

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data (for manifests): its chain, overrides and all parameters."""
        return {"name": self.name, "description": self.description,
                "principles": list(self.principles), "extends": self.extends,
                "chain": list(self.chain), "days": self.days, "seed": self.seed,
                "path": str(self.path) if self.path else None,
                "overrides": dict(self.overrides), "params": to_dict(self.params)}


# -- reading TOML files ---------------------------------------------------------------------------

def read_toml(path: Path) -> dict[str, Any]:
    """The TOML table of a file.

    Raises:
        UserError: the file is missing or unreadable, or not valid TOML (with the line).
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        if "line" not in message:  # "at end of document": say which line that is
            lines = path.read_text(encoding="utf-8", errors="replace").count("\n") + 1
            message += f" (the document ends on line {lines})"
        raise UserError(f"{path}: invalid TOML: {message}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"{path}: cannot read the file: {err}") from None


def check_keys(data: dict[str, Any], allowed: Sequence[str], where: str, hint: str = "") -> None:
    """Refuse a key that is not in ``allowed``, naming it and the closest allowed key."""
    mistakes = [UserError(f"{where}: unknown key '{key}'{closest(key, allowed)}; allowed keys: "
                          f"{', '.join(allowed)}{hint}") for key in data if key not in allowed]
    if len(mistakes) == 1:
        raise mistakes[0]
    if mistakes:
        raise UserErrors(mistakes)


def expect(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
           what: str) -> Any:
    """``data[key]`` if present and of type ``kind`` (bools are not numbers), else None."""
    if key not in data:
        return None
    value = data[key]
    is_bool = isinstance(value, bool)
    bool_ok = kind is bool or (isinstance(kind, tuple) and bool in kind)
    if not isinstance(value, kind) or (is_bool and not bool_ok):
        raise UserError(f"{where}: {key} = {toml_value(value)} is not allowed: expected {what}")
    return value


def expect_int(data: dict[str, Any], key: str, lo: int, hi: int, where: str) -> int | None:
    """``data[key]`` if present: a whole number in [lo, hi]."""
    what = f"a whole number from {lo} to {hi}"
    value = expect(data, key, int, where, what)
    if value is not None and not lo <= value <= hi:
        raise UserError(f"{where}: {key} = {toml_value(value)} is not allowed: expected {what}")
    return value


def expect_strings(data: dict[str, Any], key: str, where: str) -> list[str] | None:
    """``data[key]`` if present: a list of strings."""
    value = expect(data, key, list, where, "a list of strings, e.g. [\"a\", \"b\"]")
    if value is not None:
        for item in value:
            if not isinstance(item, str):
                raise UserError(f"{where}: {key} holds {toml_value(item)}: expected a list of "
                                "strings, "
                                "e.g. [\"a\", \"b\"]")
    return value


# -- finding scenario files -----------------------------------------------------------------------

def bundled_dir() -> Path:
    """The ``scenarios/`` folder shipped beside the ``sim`` package (at the repository root)."""
    return Path(__file__).resolve().parent.parent / "scenarios"


def scenario_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """Folders searched for scenarios by name: ``extra`` first (they shadow), then the bundled."""
    dirs = [Path(d) for d in extra] + [bundled_dir()]
    unique: list[Path] = []
    for d in dirs:
        if d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


def known_names(dirs: Iterable[Path]) -> list[str]:
    """Names of the scenario files in ``dirs``."""
    return sorted({p.stem for d in dirs if Path(d).is_dir() for p in Path(d).glob("*.toml")})


def is_path(name_or_path: str | Path) -> bool:
    """Does the argument name a file rather than a scenario (a ``.toml`` suffix or a folder)?"""
    text = str(name_or_path)
    return isinstance(name_or_path, Path) or text.endswith(".toml") or "/" in text or "\\" in text


def find_scenario(name: str, dirs: Sequence[Path], where: str = "") -> Path:
    """The file of the scenario called ``name`` in the first of ``dirs`` that has it.

    Raises:
        UserError: no such scenario, listing the known ones.
    """
    for d in dirs:
        candidate = Path(d) / f"{name}.toml"
        if candidate.is_file():
            return candidate
    known = known_names(dirs)
    prefix = f"{where}: " if where else ""
    raise UserError(f"{prefix}unknown scenario '{name}'{closest(name, known)}; known scenarios: "
                    f"{', '.join(known) or '(none)'}")


# -- loading --------------------------------------------------------------------------------------

def _read_scenario(path: Path) -> dict[str, Any]:
    """The checked top-level values of one scenario file (its own params validated alone)."""
    data = read_toml(path)
    where = str(path)
    m = Mistakes()  # every mistake of the file at once, not the first only
    m.get(check_keys, data, SCENARIO_KEYS, where,
          hint=" (parameters go in the [params] table)" if set(data) & set(PARAM_NAMES) else "")
    name = m.get(expect, data, "name", str, where, "a string") or path.stem
    m.get(check_name, name, f"{where}: name" if "name" in data else f"{where}: the name taken "
          "from the file name")
    if name != path.stem:
        m.add(UserError(f"{where}: name = {toml_value(name)} does not match the file name "
                        f"'{path.name}': rename one so that scenarios are found by name"))
    principles = m.get(expect_strings, data, "principles", where) or []
    for p in principles:
        if not _PRINCIPLE.match(p) or p not in PRINCIPLES:
            m.add(UserError(f"{where}: principles holds {toml_value(p)}: expected principle "
                            "numbers P1 to P30 of the source articles, e.g. \"P7\""))
    extends = m.get(expect, data, "extends", str, where, "the name of another scenario")
    if extends is None and name != ROOT:
        extends = ROOT
    params = m.get(expect, data, "params", dict, where, "a [params] table of parameter overrides")
    params = dict(params or {})
    m.get(resolve, params, source=f"{where} [params]")  # errors name this file, not a descendant
    out = {"name": name,
           "description": m.get(expect, data, "description", str, where, "a string") or "",
           "principles": tuple(principles), "extends": extends, "params": params,
           "days": m.get(expect_int, data, "days", 1, MAX_DAYS, where),
           "seed": m.get(expect_int, data, "seed", 0, MAX_SEED, where)}
    m.raise_all()
    return out


def _parent_path(path: Path, extends: str, dirs: Sequence[Path], allow_paths: bool) -> Path:
    """The file ``extends`` names: a scenario name, searched beside ``path`` and in ``dirs``; a
    path (relative to ``path``'s folder) only with ``allow_paths``."""
    where = f"{path}: extends = {toml_value(extends)}"
    if _NAME.match(extends):
        return find_scenario(extends, [path.parent, *dirs], where=where)
    if not allow_paths:
        raise UserError(f"{where} is not allowed: expected the name of a scenario ({NAME_RULE}) "
                        f"in the scenario folders or beside this file; {PATHS_HINT}")
    parent = Path(extends) if Path(extends).is_absolute() else path.parent / extends
    parent = parent if parent.suffix == ".toml" else parent.with_name(parent.name + ".toml")
    if not parent.is_file():
        raise UserError(f"{where}: no such file {parent}")
    return parent


def _load(path: Path, dirs: Sequence[Path], seen: tuple[Path, ...],
          allow_paths: bool = False) -> Scenario:
    raw = _read_scenario(path)
    if path.resolve() in seen:
        cycle = " -> ".join([p.stem for p in seen] + [path.stem])
        raise UserError(f"{path}: extends makes a cycle: {cycle}")
    parent = None
    if raw["extends"] is not None:
        parent_path = _parent_path(path, raw["extends"], dirs, allow_paths)
        parent = _load(parent_path, dirs, (*seen, path.resolve()), allow_paths)
    overrides = {**(parent.overrides if parent else {}), **raw["params"]}
    days = raw["days"] or (parent.days if parent else DEFAULT_DAYS)
    seed = raw["seed"] if raw["seed"] is not None else (parent.seed if parent else 0)
    return Scenario(name=raw["name"], description=raw["description"],
                    principles=raw["principles"], extends=raw["extends"], overrides=overrides,
                    params=resolve(overrides, source=str(path)), days=days, seed=seed,
                    path=path, chain=(*(parent.chain if parent else ()), raw["name"]))


def load_scenario(name_or_path: str | Path, dirs: Iterable[str | Path] = (),
                  allow_paths: bool = False) -> Scenario:
    """A scenario by name (searched in ``dirs`` then the bundled folder) or by file path.

    Args:
        name_or_path: a scenario name (``"fee_99"``) or a path to a ``.toml`` file.
        dirs: extra folders searched before the bundled ``scenarios/``.
        allow_paths: let ``extends`` in the files name a path (relative to the file) rather
            than a scenario name.

    Raises:
        UserError: a missing file or unknown name, bad TOML, an unknown key, a bad value, an
            unknown scenario in ``extends`` or a cycle of ``extends``.
    """
    search = scenario_dirs(dirs)
    if is_path(name_or_path):
        path = Path(name_or_path)
        if not path.is_file():
            raise UserError(f"{path}: no such file")
    else:
        path = find_scenario(str(name_or_path), search)
    return _load(path, search, (), allow_paths)


def list_scenarios(dirs: Iterable[str | Path] = ()) -> list[Scenario]:
    """Every scenario found in ``dirs`` and the bundled folder, sorted by name."""
    search = scenario_dirs(dirs)
    return [load_scenario(name, dirs) for name in known_names(search)]


def validate_file(path: str | Path, dirs: Iterable[str | Path] = (),
                  allow_paths: bool = False) -> Scenario:
    """Load a scenario file without running it; raises :class:`UserError` on any mistake."""
    return load_scenario(Path(path), dirs, allow_paths)


# -- overrides from the command line --------------------------------------------------------------

def parse_assignment(text: str, source: str = "--set") -> tuple[str, Any]:
    """``key=value`` with the value read as TOML (``99``, ``true``, ``inf``, ``"expert"``).

    A value that is not valid TOML is kept as a bare string, so ``shill_roles=expert`` works;
    :func:`sim.params.resolve` then refuses it for a numeric parameter with a clear message.

    Raises:
        UserError: no ``=``, or no key before it.
    """
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise UserError(f"{source} {toml_value(text)}: expected key=value, "
                        f"e.g. {source} entry_fee=99")
    if key not in PARAM_NAMES:
        raise UserError(f"{source} {toml_value(text)}: unknown parameter '{key}'"
                        f"{closest(key, PARAM_NAMES)}; 'commsim show baseline' lists them all")
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    return key, parsed


def with_overrides(scenario: Scenario, overrides: dict[str, Any], source: str = "--set"
                   ) -> Scenario:
    """A copy of ``scenario`` with ``overrides`` applied on top, validated (errors name source)."""
    if not overrides:
        return scenario
    resolve(overrides, source=source)
    merged = {**scenario.overrides, **overrides}
    return Scenario(name=scenario.name, description=scenario.description,
                    principles=scenario.principles, extends=scenario.extends, overrides=merged,
                    params=resolve(merged, source=source), days=scenario.days, seed=scenario.seed,
                    path=scenario.path, chain=scenario.chain)
