"""Atom feeds: one entry per version of a briefing, for the site and for each briefing.

Built with xml.etree, so titles and change descriptions are always escaped text. Without
`site_url` links are relative to the feed file (feed readers resolve them against the feed's
own address) and ids are name-based UUIDs; with it, both are absolute URLs.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..analysis.changes import Story
from ..analysis.words import describe
from ..urls import Urls, page_of

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 does not allow (ESC, NUL, BEL... which a YAML escape can put in a title):
# ElementTree writes them as they are, and a feed reader then rejects the whole feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SITE_ENTRIES = 50  # the site feed carries the newest versions of all briefings


@dataclass(frozen=True)
class Entry:
    briefing: str
    title: str
    as_of: str
    text: str
    page: str  # the page an entry links to, e.g. "khmeimim/changes"
    fragment: str


def isolated(text: str) -> str:
    """A right-to-left title between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a feed
    reader shows plain text, where "<Arabic title> · as of 2025-10-15" would pull the date across
    the title (a page uses <bdi> for the same)."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return f"\u2068{text}\u2069"
    return text


def entries(story: Story, title: str) -> list[Entry]:
    """One entry per version, newest first; the first version says it is the first."""
    target = "changes" if story.steps else "summary"
    title = isolated(title)
    out = []
    for step in story.steps:
        lines = [describe(c) for c in step.items] or ["No change to facts, statements, questions or sources."]
        out.append(Entry(story.briefing, f"{title} · as of {step.as_of}", step.as_of,
                         f"Changes since {step.since}:\n" + "\n".join(f"- {x}" for x in lines),
                         page_of(story.briefing, target), f"v-{step.as_of}"))
    first = story.steps[-1].since if story.steps else story.as_of
    out.append(Entry(story.briefing, f"{title} · as of {first}", first, "The first version of this briefing.",
                     page_of(story.briefing, target), f"v-{first}" if story.steps else ""))
    return out


def atom(entries_: list[Entry], *, feed_title: str, feed_dir: str, home: str, urls: Urls,
         site_url: str | None, site_name: str) -> str:
    """An Atom document; `feed_dir` is the site folder the feed file is in ("" for the root)."""
    def href(page: str, fragment: str = "") -> str:
        url = urls.url(page)
        if site_url:
            return site_url.rstrip("/") + "/" + url + (f"#{fragment}" if fragment else "")
        rel = posixpath.relpath("/" + url, "/" + feed_dir) if feed_dir else url
        if url.endswith("/") and not rel.endswith("/"):
            rel += "/"
        rel = "./" if rel in ("./", ".", "") else rel
        return rel + (f"#{fragment}" if fragment else "")

    def ident(*parts: str) -> str:
        if site_url:
            return href(*parts)
        return uuid.uuid5(uuid.NAMESPACE_URL, "briefgen:" + "\0".join((site_name, *parts))).urn

    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = feed_title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = ident(home, "feed")
    newest = max((e.as_of for e in entries_), default="1970-01-01")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest}T00:00:00Z"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=href(home))
    self_page = f"{feed_dir}feed.xml"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml",
                  href=(site_url.rstrip("/") + "/" + self_page) if site_url else "feed.xml")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site_name or "briefgen"
    ET.SubElement(feed, f"{{{ATOM}}}generator").text = "briefgen"
    for e in entries_:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}title").text = e.title
        ET.SubElement(node, f"{{{ATOM}}}id").text = ident(e.page, e.fragment or e.as_of)
        ET.SubElement(node, f"{{{ATOM}}}updated").text = f"{e.as_of}T00:00:00Z"
        ET.SubElement(node, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=href(e.page, e.fragment))
        ET.SubElement(node, f"{{{ATOM}}}link", rel="related", type="text/html",
                      href=href(page_of(e.briefing, "summary")))
        ET.SubElement(node, f"{{{ATOM}}}summary", type="text").text = e.text
    for node in feed.iter():
        node.text = _NOT_XML.sub("", node.text) if node.text else node.text
        for key, value in node.attrib.items():
            node.attrib[key] = _NOT_XML.sub("", value)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def briefing_feed(story: Story, title: str, urls: Urls, site_url: str | None, site_name: str) -> str:
    """`<briefing>/feed.xml`: every version of one briefing (made where the briefing renders)."""
    return atom(entries(story, title), feed_title=title, feed_dir=f"{story.briefing}/",
                home=page_of(story.briefing, "summary"), urls=urls, site_url=site_url, site_name=site_name)


def site_feed(stories: list[tuple[Story, str]], urls: Urls, site_url: str | None, site_name: str) -> str:
    """`feed.xml`: the newest versions of all briefings; `stories`: each with its briefing's title."""
    everything = [e for story, title in stories for e in entries(story, title)]
    everything.sort(key=lambda e: (e.as_of, e.briefing), reverse=True)
    return atom(everything[:SITE_ENTRIES], feed_title=site_name or "Briefings", feed_dir="",
                home="index", urls=urls, site_url=site_url, site_name=site_name)
