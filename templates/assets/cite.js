/* Select-to-cite on source pages: select words, press "Cite", and paste the line it copies,
   `- <source-id>: "<words>"`, under a statement's `cite:` in briefing.yml. The words are grown
   to the shortest stretch that occurs exactly once in the source, so the citation verifies.

   Only where the build put the source's text in the page (#bg-cite-data: under `serve`, or with
   the plugin's `select_to_cite: true`): each block's text as `check` normalised it, and the rules
   it used (briefgen/text/citedata.py). The selection is normalised here by those same rules and
   found in those same strings, so this script and `check` cannot disagree on what occurs once.

   Security: page text is read with textContent-like node data and written with textContent;
   nothing is ever parsed as HTML. */
(function () {
  "use strict";

  var holder = document.getElementById("bg-cite-data");
  var article = document.querySelector("article.bg-source");
  if (!holder || !article || !window.getSelection) return;
  var data;
  try {
    data = JSON.parse(holder.textContent);
  } catch (e) {
    return;
  }
  var make = window.briefgenDom.make;
  var INVISIBLE = new Set(data.rules.invisible), SPACES = new Set(data.rules.spaces);
  var FOLD = new Map(Object.entries(data.rules.fold)), DASH = data.rules.dash;
  var UNQUOTED = new Set(data.rules.unquoted || ""), MARKS = new Set(data.rules.marks || "");
  var MAX_GROWTH = 80;  // words added at most: a stretch longer than that is no useful quote

  var blocks = data.blocks.map(function (b) { return { id: b[0], text: b[1], afterDrop: b[2] }; });
  var byId = new Map(blocks.map(function (b, k) { return [b.id, k]; }));
  // As check joins them (quotes.py): no normalised quote holds "\n", so none spans two blocks.
  var joined = blocks.map(function (b) { return b.text; }).join("\n");

  // -- the normalisation of check (briefgen/text/normalise.py), with where each character came from
  function normalise(raw) {
    var out = [], at = [], space = false;
    for (var i = 0; i < raw.length; i++) {
      var ch = raw[i];
      if (INVISIBLE.has(ch)) continue;  // removed, and a whitespace run goes on across it
      if (SPACES.has(ch)) {
        if (!space) { out.push(" "); at.push(i); }
        space = true;
        continue;
      }
      space = false;
      out.push(FOLD.has(ch) ? FOLD.get(ch) : ch);
      at.push(i);
    }
    var text = [], map = [];
    for (var k = 0; k < out.length; k++) {
      // A space beside a dash is dropped, and so are spaces at either end.
      if (out[k] === " " && (k === 0 || k === out.length - 1 || out[k - 1] === DASH || out[k + 1] === DASH)) continue;
      text.push(out[k]);
      map.push(at[k]);
    }
    return { text: text.join(""), at: map };
  }

  // -- the reader text of a block: its text nodes, without the notes briefgen put in it ---------
  function readerNodes(el) {
    var nodes = [];
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        if (n.nodeType === Node.TEXT_NODE) return NodeFilter.FILTER_ACCEPT;
        // "Cited in" notes and counts are no part of the article; a nested block has its own text.
        if (n.hasAttribute("data-search-exclude") || byId.has(n.id)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_SKIP;
      }
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function offsetIn(nodes, node, offset) {
    // The reader-text offset of a selection boundary: inside a text node, or before the first
    // text node at or after it (a boundary inside a note counts as where the note is).
    var point = document.createRange();
    point.setStart(node, offset);
    var pos = 0;
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i] === node) return pos + offset;
      if (point.comparePoint(nodes[i], 0) >= 0) return pos;
      pos += nodes[i].data.length;
    }
    return pos;
  }

  // What of each block the range covers, as [start, end) in its normalised text.
  function parts(range) {
    var out = [];
    blocks.forEach(function (b, k) {
      var el = document.getElementById(b.id);
      if (!el || !article.contains(el) || !range.intersectsNode(el)) return;
      var nodes = readerNodes(el);
      var raw = nodes.map(function (n) { return n.data; }).join("");
      var s = offsetIn(nodes, range.startContainer, range.startOffset);
      var e = offsetIn(nodes, range.endContainer, range.endOffset);
      if (e <= s) return;
      var norm = normalise(raw), ns = 0, ne = 0;
      if (norm.text === b.text) {
        while (ns < norm.at.length && norm.at[ns] < s) ns++;
        ne = ns;
        while (ne < norm.at.length && norm.at[ne] < e) ne++;
      } else {  // the page's text differs from check's (a template of the project's own): by the words
        var words = normalise(raw.slice(s, e)).text;
        ns = words ? b.text.indexOf(words) : -1;
        if (ns < 0) return;
        ne = ns + words.length;
      }
      while (ns < ne && b.text[ns] === " ") ns++;
      while (ne > ns && b.text[ne - 1] === " ") ne--;
      // With the page's own characters when they are check's (`raw`, `at`): the quote is copied as spelt.
      if (ne > ns) out.push({ k: k, start: ns, end: ne, raw: norm.text === b.text ? raw : null, at: norm.at });
    });
    return out;
  }

  // -- growing the words until they occur once ------------------------------------------------------
  function count(needle, enough) {
    var n = 0, pos = joined.indexOf(needle);
    while (pos !== -1 && n < enough) {
      n++;
      pos = joined.indexOf(needle, pos + 1);  // overlapping ones too, as check counts
    }
    return n;
  }

  function wordStarts(text, from) {
    var out = [from], p = from;
    while (p > 0 && out.length <= MAX_GROWTH) {
      var q = text[p - 1] === " " ? p - 2 : p - 1;
      p = q < 0 ? 0 : text.lastIndexOf(" ", q) + 1;
      out.push(p);
    }
    return out;
  }

  function wordEnds(text, from) {
    var out = [from], p = from;
    while (p < text.length && out.length <= MAX_GROWTH) {
      var q = text[p] === " " ? p + 1 : p;
      p = text.indexOf(" ", q);
      if (p === -1) p = text.length;
      out.push(p);
    }
    return out;
  }

  // The fewest whole words added (on either side, within the block) that make the stretch occur
  // once; of those, the shortest, and the one grown to the right when two are as short.
  function grow(part) {
    var text = blocks[part.k].text, base = 0;
    for (var b = 0; b < part.k; b++) base += blocks[b].text.length + 1;
    var lefts = wordStarts(text, part.start), rights = wordEnds(text, part.end);
    for (var n = 0; n < lefts.length + rights.length - 1; n++) {
      var best = null;
      for (var i = Math.max(0, n - rights.length + 1); i <= Math.min(n, lefts.length - 1); i++) {
        var l = lefts[i], r = rights[n - i];
        if (best && r - l >= best.end - best.start) continue;
        if (count(text.slice(l, r), 2) === 1) best = { start: l, end: r };
      }
      if (best) return { words: text.slice(best.start, best.end), grown: n > 0, at: base + best.start,
                         spelt: spelt(part, best.start, best.end, text.slice(best.start, best.end)) };
    }
    return { words: text.slice(part.start, part.end), times: count(text.slice(part.start, part.end), 1000) };
  }

  // The words as the page spells them: its curly quotes, dashes, guillemets and vowel marks, which
  // check folds or leaves out when it matches, so an Arabic or Russian quote reads as its source
  // printed it. Bidi controls (check would warn) and soft hyphens are left out, and a line break
  // or run of spaces becomes one space. Only if it normalises back to the very words found once;
  // else (a page whose text is not check's) the words as check reads them.
  function spelt(part, start, end, words) {
    if (!part.raw) return words;
    var raw = part.raw, from = part.at[start], to = part.at[end - 1] + 1;
    while (to < raw.length && MARKS.has(raw[to])) to++;  // the marks on the last letter
    var out = "", run = "";
    for (var i = from; i < to; i++) {
      var ch = raw[i];
      if (UNQUOTED.has(ch)) continue;
      if (SPACES.has(ch)) { run += ch; continue; }
      if (run) out += run.length === 1 && /^[ \u00a0\u2000-\u200a\u202f\u205f\u3000]$/.test(run) ? run : " ";
      run = "";
      out += ch;
    }
    return normalise(out).text === words ? out : words;
  }

  function yamlQuoted(text) {
    // A YAML double-quoted scalar: backslash and quote escaped, and any control character.
    return '"' + text.replace(/[\\"\u0000-\u001f\u007f-\u009f]/g, function (c) {
      if (c === "\\" || c === '"') return "\\" + c;
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    }) + '"';
  }

  // -- the panel ------------------------------------------------------------------------------------
  var panel = make("div", "bg-citer");
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", "Cite the selected words");
  panel.hidden = true;
  var button = make("button", "bg-citer__button", "Cite");
  button.type = "button";
  var close = make("button", "bg-citer__close", "×");
  close.type = "button";
  close.setAttribute("aria-label", "Close");
  var line = make("code", "bg-citer__line");
  var note = make("p", "bg-citer__note");
  var status = make("p", "bg-citer__status");
  status.setAttribute("role", "status");
  panel.append(button, line, close, note, status);
  document.body.appendChild(panel);
  // A press on the panel keeps the selection (and the citation made of it).
  panel.addEventListener("mousedown", function (ev) { if (ev.target !== line) ev.preventDefault(); });

  function say(el, text) { el.textContent = text; el.hidden = !text; }

  function show(range) {
    var found = parts(range);
    if (!found.length) return;
    var first = found[0], last = found[found.length - 1], dropped = false;
    for (var k = first.k + 1; k <= last.k; k++) dropped = dropped || blocks[k].afterDrop;
    var quote = grow(first), notes = [];
    if (found.length > 1 || dropped) {
      notes.push("The selection crosses " + (dropped ? "a block left out by `drop` and " : "") +
                 "a paragraph; a quote lies within one paragraph, so only the words of the first are cited.");
    }
    if (quote.times) {
      notes.push("These words occur " + quote.times + " times in this source, even grown to the whole " +
                 "paragraph; select words that occur once.");
      button.disabled = true;
      say(line, "");
    } else {
      if (quote.grown) notes.push("Grown to the shortest stretch around your selection that occurs once in this source.");
      button.disabled = false;
      say(line, "- " + data.source + ": " + yamlQuoted(quote.spelt || quote.words));
    }
    say(note, notes.join(" "));
    say(status, "");
    panel.hidden = false;
  }

  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) return;  // the last citation stays until closed
    var range = sel.getRangeAt(0);
    if (!article.contains(range.commonAncestorContainer) && !range.intersectsNode(article)) return;
    show(range);
  });

  button.addEventListener("click", function () {
    var text = line.textContent;
    if (!text) return;
    var copied = navigator.clipboard && navigator.clipboard.writeText
      ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
    copied.then(function () {
      say(status, "Copied. Paste it under a statement's cite: in briefing.yml.");
    }, function () {
      say(status, "Could not copy here: select the line above and copy it.");
    });
  });

  close.addEventListener("click", function () { panel.hidden = true; });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && !panel.hidden) panel.hidden = true;
  });
})();
