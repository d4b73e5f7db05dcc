"""The practitioners' principles P1-P30 in our own words, and docs/principles.md built from them.

P1-P21 are those of the project's digest (domain.md); P22-P30 were found in the articles beyond it.

Each principle has a short title, a paraphrase, the source article(s) (files ``seeds/000`` to
``seeds/004`` of the project's reading list, Chinese practitioners' articles) and, where the model
has no lesson for it, what is missing. :func:`principles_markdown` adds, from the code, the levers
(``sim.levers.LEVERS``), parameters (their ``source``), scenarios (``principles = [...]``),
lessons (``sim.lessons.LESSONS``) and tests that cover each one. ``python -m sim.principles >
docs/principles.md`` rewrites the page; tests/test_docs_generated.py fails when it is stale.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Principle:
    title: str
    words: str  # our paraphrase
    seeds: str  # source articles
    gap: str = ""  # what the model lacks, when no lesson tests it


PRINCIPLES: dict[str, Principle] = {
    "P1": Principle("The three-month silence law (3个月沉寂定律)",
                    "A new group buzzes for a few weeks and then goes quiet, usually within about "
                    "three months, unless the operator keeps recruiting, activating, retaining "
                    "and converting members.", "000"),
    "P2": Principle("Shill accounts (马甲)",
                    "Newcomers rarely speak first. An operator who plays extra accounts, one that "
                    "asks beginner questions and one that answers like an expert, gets real "
                    "members talking; the talk spreads outward from the owner through core and "
                    "active members to the lurkers.", "000"),
    "P3": Principle("The owner's persona (群主人设)",
                    "The owner sets the tone: warm, honest, answering every question, naming the "
                    "asker and praising good questions, and bringing topics of some depth. A "
                    "stiff owner silences the group.", "000"),
    "P4": Principle("Talk to members first (用户调研)",
                    "Before inviting people to a valuable group, talk to each one. Expect most "
                    "(70-80%) to say nothing useful, some (10-20%) to chat a little and a few "
                    "(5-10%) to engage deeply.", "000"),
    "P5": Principle("Content is the core (内容为王)",
                    "A group that waits for members to fill it dies. It needs content of its own: "
                    "habits (a daily check-in, levels, awards for the best notes) and knowledge "
                    "(a daily digest, reading, questions and answers).", "000"),
    "P6": Principle("A purpose and a budget",
                    "Decide what the group is for, what it sells and what it may cost before "
                    "building it: running groups costs more than people expect.", "000, 002"),
    "P7": Principle("Entry thresholds (门槛)",
                    "The higher the bar to get in, the fewer members who drift, lurk or spam. A "
                    "fee is the best bar (a 99-yuan group holds together better than a 1-yuan "
                    "one); tasks before entry work too, because effort makes people value what "
                    "they joined.", "002"),
    "P8": Principle("Rules and moderation (群规)",
                    "State the rules on entry (no ads, game or bargain links, no porn, violence, "
                    "politics or abuse) and remove whoever breaks them, telling the group why.",
                    "002"),
    "P9": Principle("Authority and temper (刺头)",
                    "Some members pick fights without breaking a rule. A public quarrel hurts the "
                    "group's trust in everyone; handle them in private and remove them only when "
                    "they are out of control.", "002"),
    "P10": Principle("Know every member (ABCD)",
                     "Know where members live, what they can spend and what they want; sort them "
                     "into A (able and willing to buy), B (willing, not able), C (able, not "
                     "willing) and D (neither), and spend the operator's effort where it pays "
                     "(the private-domain lever aims one-to-one chats at one class).", "002"),
    "P11": Principle("Move members into the private domain (私域)",
                     "Have members add the operator as a friend, so that they are not lost when a "
                     "group dissolves: the friend list belongs to the operator, outlives the "
                     "group, and lets the operator invite friends again and talk to them one to "
                     "one (at a cost in the operator's time).", "000, 002"),
    "P12": Principle("Group size and the small-group effect (小群效应)",
                     "Keep groups to 150-200 people and never above about 350 (WeChat and QQ "
                     "stop at 500): big groups are loose and silent, small ones close and "
                     "lively. People are active in only 4-6 small groups.", "004"),
    "P13": Principle("Know, trust, interact (认识、信任、互动)",
                     "A good community is one whose members know each other, trust each other "
                     "and talk to each other often.", "004"),
    "P14": Principle("Similarity binds (物以类聚)",
                     "People bond with those who live nearby, share their interests or are of "
                     "their age.", "004"),
    "P15": Principle("Cadence of commercial content (商业信息)",
                     "Content need not come daily, but selling must never: too many sales posts "
                     "get the account muted or blocked.", "004"),
    "P16": Principle("Habit and rhythm (打卡)",
                     "A ritual at a fixed time every day builds a habit (one famous account "
                     "posted a voice message at about 6:20 each morning); meeting offline "
                     "strengthens the bonds.", "004"),
    "P17": Principle("Waking sleepers (红包)",
                     "Small cash gifts (red packets) wake dormant members; offline events that "
                     "members organise and leaders who give value keep a community alive.", "004"),
    "P18": Principle("Recruitment limits and referral (裂变)",
                     "An account can add only about 20 friends a day, so growth comes from "
                     "sharing: in one campaign 21,000 users sent 46,000 gifts (2.2 each) and "
                     "brought 5,000 new users; people share more into small groups than into a "
                     "public feed.", "004"),
    "P19": Principle("A concrete campaign (两周十个群)",
                     "Build 10 groups of 200+ job seekers in two weeks, with at least half of each "
                     "group having spoken once; after the first week each had only a few dozen "
                     "members.", "003"),
    "P20": Principle("The profit formula (利润)",
                     "Profit is traffic times conversion rate times (price minus acquisition "
                     "cost). A follower is worth roughly 12-80 yuan a year depending on the "
                     "platform; paid communities charge 199-299 yuan.", "000, 004"),
    "P21": Principle("Participation (参与感)",
                     "Members want to be seen: naming them (@-mentions) makes them readier to "
                     "talk. Involve users in the product, give them an identity, let everyone "
                     "help each other.", "000, 004"),
    # P22-P30: in the articles but not in the project's digest (domain.md); numbered here.
    "P22": Principle("Repeat purchase and the funnel (复购)",
                     "Groups exist to raise repeat purchase: lead people from meeting to trust, a "
                     "first sale, word of mouth, referral and buying again, so that one sale "
                     "becomes a long-term customer; stickiness is what makes them come back.",
                     "000"),
    "P23": Principle("Serve before you sell (先服务后索取)",
                     "Start from members' real needs: give them service and content first and "
                     "ask for money later, or the group's marketing fails.", "001"),
    "P24": Principle("Poaching: private friending and splinter groups (私加好友、私拉小群)",
                     "Among those who make trouble in a group are members who privately add "
                     "others as friends and pull them into small groups of their own; the "
                     "operator has to deal with them at once, or the group loses members to "
                     "them.", "002"),
    "P25": Principle("Group-wide mute (禁言)",
                     "The operator can mute the whole group to keep order; members often keep "
                     "chatting after being told, and the operator must step in. A muted group "
                     "keeps out ads and arguments but does not talk.", "002"),
    "P26": Principle("Check-in with removal of those who skip it (打卡踢人)",
                     "A group can require every member to check in daily (e.g. write two hundred "
                     "characters) and remove whoever does not; the lively chat group becomes an "
                     "orderly check-in group.", "003"),
    "P27": Principle("Competition between groups for the same members",
                     "People are active in only 4-6 small groups (用户活跃在4-6个小群体中), so "
                     "every group competes for its members' attention with the others they sit "
                     "in: a rival group that reaches them takes attention, and some members.",
                     "004"),
    "P28": Principle("A pair of opposites binds a group (对立)",
                     "Besides similarity (P14), a pair of opposites, two sides in 'harmonious "
                     "conflict' over something they share (men and women, the two parties of a "
                     "deal, supply and demand), gives a community strong attraction and "
                     "cohesion (强大的吸引力和凝聚力), and opens the door to selling.", "004",
                     "seeds/004 (section 社群的活跃和收入都遵循一个基本原则, after the three "
                     "similarities of place, age and interest) states the "
                     "claim and its examples in one sentence, and adds that two marathon runners "
                     "of similar strength who never met easily help each other; it says nothing "
                     "of how opposites bind (who talks to, answers, befriends or stays for whom), "
                     "how strongly, or with what result in any group, and no other article "
                     "(seeds/000-003) mentions 对立 (seeds/000's one 對手 is a business "
                     "competitor). The model's members have no "
                     "side; a rule for it would be invented, not read from the articles, so "
                     "P28 is not modelled"),
    "P29": Principle("The quality of the recruitment channel (渠道)",
                     "Traffic is not enough; precise traffic is what operators lack. Without a "
                     "bar, whoever sees the group comes to watch, and the users who come are "
                     "imprecise, against the group's goal; traffic grows dearer, so each friend "
                     "counts. The model sets a cheap broad channel (many onlookers from anywhere) "
                     "against a dear targeted one (people who fit the topic) at the same spend.",
                     "000, 002"),
    "P30": Principle("The owner's authority: expertise and endorsement (背书)",
                     "The owner must have the last word, established from the start in two ways: "
                     "showing expertise while helping members, and endorsement: people look up "
                     "to someone stronger, so when the owner is a known name, members read what "
                     "he says and many follow the activities he starts. The model buys the "
                     "backing for a price a day: newcomers start trusting the owner more and the "
                     "owner's answers weigh more.", "002"),
}

_RANGE = re.compile(r"P(\d+)(?:\s*-\s*P?(\d+))?")


def parse(text: str) -> list[str]:
    """P-numbers in a text, ranges expanded: 'P8-P9, P21' -> ['P8', 'P9', 'P21']."""
    found = []
    for a, b in _RANGE.findall(text):
        found += [f"P{i}" for i in range(int(a), int(b or a) + 1)]
    return found


def _pattern_tests(root: Path) -> dict[str, list[str]]:
    """Tests of tests/test_patterns.py whose docstring starts with 'Pn:'."""
    path = root / "tests" / "test_patterns.py"
    found: dict[str, list[str]] = {}
    if not path.is_file():
        return found
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node) or ""
            head = doc.split(":", 1)[0]
            for p in parse(head) if re.fullmatch(r"[P\d, -]+", head) else []:
                found.setdefault(p, []).append(f"tests/test_patterns.py::{node.name}")
    return found


def coverage(root: Path | None = None) -> dict[str, dict[str, list[str]]]:
    """Per principle: the lessons, levers, parameters, scenarios and tests that cover it."""
    from sim.lessons import LESSONS
    from sim.levers import LEVERS
    from sim.params import PARAM_NAMES, info
    from sim.scenarios import list_scenarios

    root = root or Path(__file__).resolve().parent.parent
    cover = {p: {"lessons": [], "levers": [], "params": [], "scenarios": [], "tests": []}
             for p in PRINCIPLES}
    for name, lesson in LESSONS.items():
        for p in parse(lesson.principle):
            cover[p]["lessons"].append(name)
            cover[p]["tests"].append("tests/test_lessons.py::"
                                     f"test_lesson_verdict_and_direction_of_effect[{name}]")
    for lever in LEVERS:
        module = type(lever).__module__.rsplit(".", 1)[-1]
        for p in lever.principles:
            cover[p]["levers"].append(f"{module} (`{lever.switch}`)")
    for key in PARAM_NAMES:
        for p in dict.fromkeys(parse(info(key)["source"])):
            cover[p]["params"].append(key)
    for s in list_scenarios():
        for p in s.principles:
            cover[p]["scenarios"].append(s.name)
    for p, tests in _pattern_tests(root).items():
        cover[p]["tests"] += tests
    return cover


def _list(items: list[str], code: bool = True) -> str:
    if not items:
        return "none"
    return ", ".join(f"`{x}`" if code and "`" not in x else x for x in items)


def principles_markdown() -> str:
    """The page docs/principles.md."""
    cover = coverage()
    out = ["# The principles P1-P30", "",
           "Generated by `python -m sim.principles > docs/principles.md` (a test fails when this "
           "page is stale). The principles are the folk wisdom of practitioners' articles about "
           "running chat groups (the files `seeds/000` to `seeds/004` of the project's reading "
           "list, in Chinese), here in our own words. They are claims to test, not facts: each "
           "lesson (`commsim lesson NAME`) runs a paired experiment and gives a verdict. Code "
           "and messages cite them by number. For each: the levers (`--set` the name in "
           "backticks to switch it on), the parameters whose source it is, the bundled scenarios "
           "that illustrate it, the lesson and the tests.", "",
           "| # | principle | lesson |", "|---|---|---|"]
    for p, pr in PRINCIPLES.items():
        lessons = cover[p]["lessons"]
        out.append(f"| [{p}](#{p.lower()}) | {pr.title} | "
                   f"{_list(lessons) if lessons else 'not tested by a lesson'} |")
    for p, pr in PRINCIPLES.items():
        c = cover[p]
        out += ["", f"## {p}", "", f"**{pr.title}.** {pr.words} (article: seeds/{pr.seeds})", ""]
        out.append(f"- lesson: {_list(c['lessons'])}"
                   + (f" (`commsim lesson {c['lessons'][0]}`)" if c["lessons"] else ""))
        out.append(f"- levers: {_list(c['levers'], code=False)}" if c["levers"] or not c["params"]
                   else "- levers: none of its own: a rule of the model or a property of the "
                        "world, set by the parameters below")
        out.append(f"- parameters: {_list(c['params'])}")
        out.append(f"- scenarios: {_list(c['scenarios'])}")
        out.append(f"- tests: {_list(c['tests'])}")
        if not c["lessons"]:
            out.append(f"- not covered by a lesson: {pr.gap}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":  # python -m sim.principles > docs/principles.md
    print(principles_markdown(), end="")
