"""The text of synthetic sources: vocabulary, English-like news prose from a seeded random
generator, and a source of about 5 KB with quotable phrases that occur once each."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

SOURCE_BYTES = 5000  # aim for about 5 KB of Markdown body per source

# -- vocabulary ----------------------------------------------------------------------------------

OUTLETS = ["The Northern Courier", "Daily Ledger", "Harbour Times", "The Meridian Post",
           "Coastal Wire", "The Evening Standard-Bearer", "Frontier Gazette", "Capital Observer",
           "The Plains Herald", "Riverside Chronicle", "Atlas News Agency", "The Weekly Dispatch"]
AUTHORS = ["Amira Haddad", "Jonas Lindqvist", "Priya Raman", "Tomasz Kowal", "Elena Marchetti",
           "Samuel Okafor", "Hana Sato", "Diego Alvarez", "Mei Chen", "Oliver Brandt"]
ORIGINS = ["Maxar", "Planet Labs", "Reuters", "Associated Press", "the defence ministry",
           "local officials", "a port authority spokesman", "the interior ministry",
           "satellite analysts at CSIS", "a regional governor", "the coast guard", "AFP",
           "an opposition monitor", "customs records", "shipping trackers"]
TOPICS = [("port", "Port closure at {p}"), ("convoy", "Convoys near {p}"),
          ("airbase", "Activity at {p} air base"), ("grain", "Grain shipments from {p}"),
          ("border", "Border crossings at {p}"), ("strike", "Strike damage in {p}"),
          ("election", "Disputed count in {p}"), ("pipeline", "Pipeline outage near {p}"),
          ("flood", "Flood response in {p}"), ("talks", "Ceasefire talks in {p}")]
SYL = ["ka", "ra", "vel", "mor", "tan", "sil", "bor", "den", "lis", "gor", "nav", "tes", "mar",
       "ost", "el", "vin", "dor", "shan", "ul", "kes", "rin", "pol", "zar", "hem"]
SUBJECTS = ["officials", "residents", "analysts", "the ministry", "the governor", "witnesses",
            "port workers", "aid groups", "military sources", "traders", "the mayor",
            "diplomats", "engineers", "the regional council", "satellite images", "drivers"]
VERBS = ["said", "reported", "confirmed", "denied", "suggested", "warned", "estimated",
         "acknowledged", "claimed", "noted", "insisted", "indicated"]
NOUNS = ["trucks", "containers", "ships", "aircraft", "checkpoints", "warehouses", "convoys",
         "cranes", "tankers", "barracks", "generators", "ferries", "patrols", "depots", "rail cars"]
ADJS = ["northern", "damaged", "temporary", "unmarked", "heavy", "civilian", "armoured",
        "empty", "overloaded", "newly built", "abandoned", "guarded", "refrigerated", "idle"]
PLACES_GENERIC = ["the harbour", "the old airfield", "the ring road", "the river crossing",
                  "the industrial zone", "the main square", "the rail yard", "the coastal highway",
                  "the customs post", "the fuel terminal", "the southern district"]
TIMES = ["on Tuesday", "late on Friday", "early this week", "over the weekend", "since Monday",
         "before dawn", "in recent days", "on Thursday evening", "last month", "this morning"]
CONNECT = ["However,", "Meanwhile,", "At the same time,", "By contrast,", "In addition,",
           "According to one account,", "Separately,", "Even so,", "For now,", "Still,"]
CLAUSES = ["which could not be independently verified", "although details remain unclear",
           "as pressure on the authorities mounted", "a claim that others disputed",
           "citing people familiar with the matter", "without giving further details",
           "in a statement posted online", "after weeks of speculation",
           "amid growing concern among residents", "in what appeared to be a planned move"]
HEADINGS = ["What officials say", "The view from the ground", "Background", "What comes next",
            "Satellite evidence", "Reactions", "The wider picture", "Open questions"]


def place_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.randint(2, 3))).capitalize()


def slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


@dataclass
class SourceSpec:
    id: str
    meta: dict
    body: str  # Markdown
    markers: list[str] = field(default_factory=list)  # quotable phrases, each once in the body


class _Text:
    """English-like news prose from one seeded random generator."""

    def __init__(self, rng: random.Random, place: str):
        self.rng, self.place = rng, place

    def sentence(self) -> str:
        r = self.rng
        kind = r.randrange(6)
        if kind == 0:
            s = (f"{r.choice(SUBJECTS).capitalize()} {r.choice(VERBS)} that {r.randint(2, 90)} "
                 f"{r.choice(ADJS)} {r.choice(NOUNS)} had been seen near {r.choice(PLACES_GENERIC)} "
                 f"{r.choice(TIMES)}")
        elif kind == 1:
            s = (f"{r.choice(CONNECT)} {r.choice(SUBJECTS)} in {self.place} {r.choice(VERBS)} the "
                 f"{r.choice(NOUNS)} were {r.choice(ADJS)}, {r.choice(CLAUSES)}")
        elif kind == 2:
            s = (f"The {r.choice(ADJS)} {r.choice(NOUNS)} at {r.choice(PLACES_GENERIC)} were moved "
                 f"{r.choice(TIMES)}, {r.choice(SUBJECTS)} {r.choice(VERBS)}")
        elif kind == 3:
            s = (f"{r.choice(SUBJECTS).capitalize()} {r.choice(VERBS)} the number of "
                 f"{r.choice(NOUNS)} had risen by {r.randint(3, 60)} percent {r.choice(TIMES)}, "
                 f"{r.choice(CLAUSES)}")
        elif kind == 4:
            s = (f"{r.choice(CONNECT)} there was no sign of {r.choice(ADJS)} {r.choice(NOUNS)} "
                 f"along {r.choice(PLACES_GENERIC)}, {r.choice(CLAUSES)}")
        else:
            s = (f"Asked about {r.choice(PLACES_GENERIC)}, {r.choice(SUBJECTS)} "
                 f"{r.choice(VERBS)} only that the situation in {self.place} was "
                 f"{r.choice(['calm', 'tense', 'changing quickly', 'under review', 'unclear'])}")
        return s + "."

    def decorated(self) -> str:
        """A sentence with some Markdown: emphasis, strong, or a link."""
        s = self.sentence()
        words = s.split(" ")
        if len(words) < 6:
            return s
        i = self.rng.randrange(1, len(words) - 3)
        n = self.rng.randint(1, 3)
        phrase = " ".join(words[i:i + n]).strip(",.")
        if not phrase:
            return s
        style = self.rng.randrange(3)
        if style == 0:
            wrapped = f"*{phrase}*"
        elif style == 1:
            wrapped = f"**{phrase}**"
        else:
            wrapped = f"[{phrase}](https://example.org/{slug(phrase) or 'x'}/{self.rng.randint(100, 999)})"
        return s.replace(phrase, wrapped, 1)


def _marker_sentence(rng: random.Random, name: str) -> tuple[str, str]:
    """A plain sentence around a place name unique in its source, and the quote taken from it."""
    n, adj, noun = rng.randint(2, 95), rng.choice(ADJS), rng.choice(NOUNS)
    subj, verb, when = rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(TIMES)
    quote = f"near {name} {verb} that {n} {adj} {noun}"
    return f"{subj.capitalize()} near {name} {verb} that {n} {adj} {noun} had left {when}.", quote


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return text.replace("*", "")


def make_source(rng: random.Random, bid: str, j: int, place: str, n_markers: int,
            published: dt.date) -> SourceSpec:
    outlet = OUTLETS[(j + rng.randrange(len(OUTLETS))) % len(OUTLETS)]
    sid = f"{slug(outlet.replace('The ', ''))}-{j + 1}"
    text = _Text(rng, place)
    names: list[str] = []
    while len(names) < n_markers:
        name = place_name(rng)
        if name not in names and name != place:
            names.append(name)
    markers = [_marker_sentence(rng, nm) for nm in names]
    # Paragraphs of 3-6 sentences; marker sentences are spread over them, never decorated.
    paras: list[str] = []
    pending = list(markers)
    size = 0
    k = 0
    heading_at = rng.randint(2, 4)
    list_at = rng.randint(4, 6)
    while size < SOURCE_BYTES - 300 or pending:
        k += 1
        if k == heading_at:
            paras.append(f"## {rng.choice(HEADINGS)}")
        if k == list_at:
            items = [f"- {text.decorated() if rng.random() < 0.3 else text.sentence()}"
                     for _ in range(rng.randint(3, 5))]
            paras.append("\n".join(items))
        sentences = [text.decorated() if rng.random() < 0.25 else text.sentence()
                     for _ in range(rng.randint(3, 6))]
        if pending and (rng.random() < 0.6 or size > SOURCE_BYTES - 1200):
            sentences.insert(rng.randrange(len(sentences) + 1), pending.pop(0)[0])
        paras.append(" ".join(sentences))
        size = sum(len(p) + 2 for p in paras)
    body = f"{text.sentence()} {text.sentence()}\n\n" + "\n\n".join(paras) + "\n"
    plain = _plain(body)
    for _, quote in markers:
        if plain.count(quote) != 1:
            raise AssertionError(f"quote {quote!r} occurs {plain.count(quote)} times in {bid}/{sid}")
    meta = {"title": f"{rng.choice(SUBJECTS).capitalize()} describe {rng.choice(ADJS)} "
                     f"{rng.choice(NOUNS)} in {place}",
            "outlet": outlet, "author": rng.choice(AUTHORS), "published": published,
            "url": f"https://news.example.com/{bid}/{sid}", "accessed": published + dt.timedelta(days=1),
            "reliability": rng.choice("ABC")}
    return SourceSpec(sid, meta, body, [q for _, q in markers])
