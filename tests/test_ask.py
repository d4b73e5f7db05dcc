"""commsim ask: the operator's question, answered; its verdict checked against a paired sweep
done by hand with run_batch."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from sim import run_batch
from sim.ask import commands as ask_commands
from sim.cli import cli as commsim_cli
from sim.cli import main
from sim.experiments import replicate_seed
from sim.params import resolve
from sim.report.compare import paired_difference
from tests.browser import chromium, new_page, requires_chromium

HORIZON, DAYS, BLOCK, CAP = 90, 180, 20, 60
OPTIONS = {"2 shills": {"shills": 2}, "9.9-yuan fee": {"entry_fee": 9.9}}
QUESTION = ["ask", "--members", "300", "--option", "2 shills: shills=2",
            "--option", "9.9-yuan fee: entry_fee=9.9", "--horizon", str(HORIZON),
            "--replicates", str(BLOCK), "--max-replicates", str(CAP), "--seed", "0"]


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def asked(tmp_path_factory):
    """The operator's question: "2 shill accounts or a 9.9-yuan fee, to keep my 300-person group
    alive past three months?", with the numbers in JSON and the page in HTML."""
    folder = tmp_path_factory.mktemp("ask")
    runner = CliRunner()
    done = runner.invoke(commsim_cli, [*QUESTION, "--json", str(folder / "answer.json"),
                                       "--html", str(folder / "answer.html")],
                         obj={"command": ["commsim"]}, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.output, json.loads((folder / "answer.json").read_text()), folder


def by_hand(replicates: int) -> dict[str, np.ndarray]:
    """The same question as a paired sweep written out: replicate r of each option gets the
    experiments' seed of replicate r; still active on day 90 = lived at least 90 days."""
    seeds = [replicate_seed(0, r) for r in range(replicates)]
    params = [resolve({"members_target": 300, **sets}) for sets in OPTIONS.values()]
    runs = run_batch([p for p in params for _ in seeds], seeds * len(params), DAYS,
                     summary=True).runs
    active = (runs["lifetime"].to_numpy() >= HORIZON).astype(float)
    return {label: active[i * replicates:(i + 1) * replicates]
            for i, label in enumerate(OPTIONS)}


def clear(active: dict[str, np.ndarray], level: float) -> tuple[bool, float]:
    a, b = active["9.9-yuan fee"], active["2 shills"]
    ci = paired_difference(a, b, 2000, 0, level)
    return ci.low > 0 or ci.high < 0, ci.estimate


def test_ask_verdict_matches_a_paired_sweep_done_by_hand(asked):
    """The shares still active on day 90, their difference, when the runs stopped and the
    verdict's winner all equal what a hand-made paired sweep of the same size gives."""
    text, answer, _ = asked
    n = answer["replicates"]
    assert n % BLOCK == 0 and BLOCK <= n <= CAP
    active = by_hand(n)
    shares = {o["label"]: o["active"]["share"] for o in answer["options"]}
    for label in OPTIONS:
        assert shares[label] == pytest.approx(active[label].mean())
    level = 1 - 0.05 / (CAP // BLOCK)  # the check interval: Bonferroni over 3 planned checks
    is_clear, diff = clear(active, level)
    assert answer["differences"][0]["active"]["value"] == pytest.approx(diff)
    # the runs stopped at the first block where the answer was clear, else at the cap
    assert answer["stopped"] == ("clear" if is_clear else "cap")
    if is_clear:
        assert n == BLOCK or not clear(by_hand(n - BLOCK), level)[0]
    else:
        assert n == CAP
    verdict = " ".join(text.split())
    if is_clear:
        winner = "9.9-yuan fee" if diff > 0 else "2 shills"
        assert f'"{winner}" keeps the group active past day 90 more often' in verdict
    else:
        assert "No clear winner" in verdict or "leans ahead" in verdict
    for words in (f"{shares['2 shills']:.0%}", f"{shares['9.9-yuan fee']:.0%}",
                  "chance still active on day 90", "median lifetime", "members who joined",
                  "people invited", "cost by day 90 (yuan)", "not calibrated", "head to head"):
        assert words in verdict, words


def test_ask_invites_enough_people_for_300_members_under_each_option(asked):
    """Members wanted, not invitations: each option invites what 300 eventual joiners need (more
    under a fee), and most of them are in by the end of the run."""
    _, answer, _ = asked
    arms = {o["label"]: o for o in answer["options"]}
    assert arms["9.9-yuan fee"]["invitations"] > 2 * arms["2 shills"]["invitations"]
    for arm in arms.values():
        # the invitations are what 300 joiners need once all have answered; by day 180 about three
        # in four have (late arrivals come in waves of mean 153 days, stragglers after 278)
        assert 0.7 < arm["joined"]["value"] / 300 < 1.05
        assert arm["invited"]["value"] == arm["invitations"]


def test_ask_writes_the_answer_as_a_self_contained_page(asked):
    """The page holds the verdict, the survival curves and plotly.js itself (no network)."""
    text, answer, folder = asked
    page = (folder / "answer.html").read_text()
    assert "fig-survival" in page and "fig-active" in page
    assert "Which option keeps the group active past day 90?" in page
    assert page.count("<script") == page.count("<script>") + page.count("<script charset=")
    assert "window.Plotly" in page or "Plotly.newPlot" in page  # the library and its figures
    assert answer["verdict"][0].split(":")[0].replace('"', "&quot;") in page


@pytest.mark.parametrize("args, words", [
    (["ask", "--members", "300", "--option", "a: shills=2"], "at least two options"),
    (["ask", "--members", "300", "--invitations", "300", "--option", "a: shills=2",
      "--option", "b: entry_fee=9.9"], "--members and --invitations contradict"),
    (["ask", "--option", "a: shils=2", "--option", "b: entry_fee=9.9"],
     "unknown parameter 'shils' (did you mean 'shills'?)"),
    (["ask", "--option", "a: shills=2", "--option", "a: entry_fee=9.9"], "used twice"),
    (["ask", "--members", "900", "--option", "a: shills=2", "--option", "b: entry_fee=9.9"],
     "platform_cap = 500"),
])
def test_ask_mistakes_are_one_line_errors(capsys, args, words):
    """Bad questions: exit 2, one line naming what is wrong, nothing run."""
    code, out, err = cli(capsys, *args)
    assert code == 2 and words in err and err.startswith("commsim: error:")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_ask_refuses_to_overwrite_a_page(capsys, tmp_path):
    """--html onto an existing file without --force: exit 2, the file untouched."""
    page = tmp_path / "mine.html"
    page.write_text("keep me")
    code, _, err = cli(capsys, "ask", "--option", "a: shills=2", "--option", "b: shills=1",
                       "--html", str(page))
    assert code == 2 and "--force" in err and page.read_text() == "keep me"


def test_ask_prompts_for_what_is_missing_on_a_terminal(monkeypatch):
    """On a terminal, missing answers are asked for: members, fee, cap, two options, the
    horizon; the answers given are the question answered."""
    monkeypatch.setattr(ask_commands, "_interactive", lambda: True)
    typed = "\n".join(["120", "5", "300", "2 shills: shills=2", "content: content_every=1",
                       "30"]) + "\n"
    done = CliRunner().invoke(commsim_cli, ["ask", "--replicates", "4", "--max-replicates", "4",
                                            "--days", "40"], input=typed,
                              obj={"command": ["commsim"]}, catch_exceptions=False)
    assert done.exit_code == 0, done.output
    for words in ("How many members", "Entry fee", "Most members", "Option 1", "Option 2",
                  "which day", "chance still active on day 30", '"content"',
                  "120 members wanted, entry fee 5 yuan, platform cap 300 members"):
        assert words in done.output, words


@requires_chromium
def test_the_page_draws_both_figures_offline_in_chromium(asked):
    """The page opens in chromium with no network request and no console error; the survival
    figure has a curve and a band per option, the bar figure one bar per option, and the
    legend names the options."""
    _, _, folder = asked
    with chromium() as browser:
        page, errors = new_page(browser)
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((folder / "answer.html").as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length == 2",
                               timeout=30_000)
        traces = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
            .map(d => d.data.map((t, i) => ({name: t.name || '', n: d.calcdata[i].length})))""")
        legend = page.evaluate(
            "() => document.querySelector('#fig-survival .legend').textContent")
        page.close()
    assert errors == []
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests
    survival, bars = traces
    assert [t["name"] for t in survival if t["name"]] == list(OPTIONS)
    assert all(t["n"] > 2 for t in survival) and bars[0]["n"] == len(OPTIONS)
    assert all(label in legend for label in OPTIONS)


def test_ask_stops_at_the_first_block_where_the_answer_is_clear(capsys, tmp_path):
    """Daily knowledge posts against nothing (a large effect, P5): the runs stop before the cap,
    at the first block whose check interval (95% shared over 4 planned checks) excludes zero,
    as a hand-made paired sweep of the same seeds shows; the verdict names the winner."""
    code, out, _ = cli(capsys, "ask", "--invitations", "100", "--option", "as is:",
                       "--option", "posts: content_every=1", "--horizon", "90", "--days", "120",
                       "--replicates", "10", "--max-replicates", "40", "--seed", "5",
                       "--json", str(tmp_path / "a.json"))
    assert code == 0
    answer = json.loads((tmp_path / "a.json").read_text())
    n = answer["replicates"]
    assert answer["stopped"] == "clear" and n < 40

    def hand(count: int) -> tuple[bool, float]:
        seeds = [replicate_seed(5, r) for r in range(count)]
        arms = [resolve({"group_size": 100}), resolve({"group_size": 100, "content_every": 1})]
        runs = run_batch([p for p in arms for _ in seeds], seeds * 2, 120, summary=True).runs
        active = (runs["lifetime"].to_numpy() >= 90).astype(float)
        ci = paired_difference(active[count:], active[:count], 2000, 5, 1 - 0.05 / 4)
        return ci.low > 0 or ci.high < 0, ci.estimate

    is_clear, diff = hand(n)
    assert is_clear and diff > 0
    assert answer["differences"][0]["active"]["value"] == pytest.approx(diff)
    assert n == 10 or not hand(n - 10)[0]
    assert '"posts" keeps the group active past day 90 more often than "as is"' in \
        " ".join(out.split())


def test_ask_names_the_calibration_of_a_calibrated_scenario(capsys, tmp_path):
    """A scenario written by `commsim calibrate` says what it was fitted to; ask repeats it
    instead of the warning that the defaults are not fitted to the group."""
    (tmp_path / "club.toml").write_text(
        'name = "club"\ndescription = "baseline calibrated to 1 group of club.parquet: '
        'activity_median fitted"\n[params]\nactivity_median = 0.03\n')
    code, out, _ = cli(capsys, "--scenario-dir", str(tmp_path), "ask", "--scenario", "club",
                       "--invitations", "60", "--option", "a: shills=1", "--option", "b:",
                       "--horizon", "20", "--days", "30", "--replicates", "3",
                       "--max-replicates", "3")
    text = " ".join(out.split())
    assert code == 0
    assert "scenario 'club': baseline calibrated to 1 group of club.parquet" in text
    assert "not calibrated" not in text
