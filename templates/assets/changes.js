/* One baseline at a time for "what changed". Pages are built comparing the current version with
   the previous one (so they read the same without JavaScript). This browser remembers, per
   briefing, which version (as_of) it last showed, in localStorage only: no cookie, no request
   but the one file below. When the reader last saw an older version, the summary's box, its
   heading and every badge switch to what changed since that visit, and say so; a button
   switches back to the previous version (remembered as the reader's choice), another forgets the
   visit. What changed since an earlier version comes from <briefing>/versions/<as_of>/since.json,
   words only, put in with textContent: never HTML. */
(function () {
  var KEY = "briefgen-visits";
  var dom = window.briefgenDom, make = dom.make, day = dom.day, safeHref = dom.safeHref;
  var fetched = {};  // since.json by address, for this page's life

  // Anything else in storage (edited by hand, or by another script) counts as no visit.
  function isDay(value) { return typeof value === "string" && /^\d{4}-\d\d-\d\d$/.test(value); }
  function isText(value) { return typeof value === "string"; }
  // Merely reading window.localStorage throws where the browser blocks storage.
  function storage() {
    try { return typeof localStorage !== "undefined" && localStorage !== null; } catch (e) { return false; }
  }
  function load() {
    try {
      var visits = JSON.parse(localStorage.getItem(KEY) || "{}");
      return visits && typeof visits === "object" && !Array.isArray(visits) ? visits : {};
    } catch (e) { return {}; }
  }
  function save(visits) {
    try { localStorage.setItem(KEY, JSON.stringify(visits)); } catch (e) { /* private mode: no memory */ }
  }

  // The version this browser showed before the current one (null: none, or a first visit); the
  // record moves on when a newer version is shown, and stays until the next one.
  function lastVisit(id, asOf) {
    var visits = load(), seen = visits[id], since = null;
    var valid = seen && typeof seen === "object" && isDay(seen.shown) && (seen.before === null || isDay(seen.before));
    if (!valid) {
      visits[id] = { shown: asOf, before: null };
    } else if (seen.shown < asOf) {
      since = seen.shown;
      visits[id] = { shown: asOf, before: since };
      if (seen.prefer === "previous") visits[id].prefer = "previous";  // the reader's choice stays
    } else if (seen.shown === asOf && isDay(seen.before)) {
      since = seen.before;
    }
    if (visits[id] !== seen) save(visits);
    return { since: since, previous: valid && seen.prefer === "previous" };
  }

  function prefer(id, previous) {
    var visits = load();
    if (!visits[id] || typeof visits[id] !== "object") return;
    if (previous) visits[id].prefer = "previous"; else delete visits[id].prefer;
    save(visits);
  }

  // -- badges ----------------------------------------------------------------------------------
  function keep(badge) {  // the page's own (previous-version) state, to come back to
    if (badge.dataset.bgSaid === undefined) {
      badge.dataset.bgSaid = badge.textContent;
      badge.dataset.bgWas = badge.classList.contains("bg-change--new") ? "new" : "updated";
      badge.dataset.bgShown = badge.hidden ? "" : "1";
    }
  }
  function setBadge(badge, kind, said, shown) {
    badge.classList.toggle("bg-change--new", kind === "new");
    badge.classList.toggle("bg-change--updated", kind !== "new");
    badge.textContent = said;
    badge.hidden = !shown;
  }
  function badgesAsBuilt(badges) {
    badges.forEach(function (b) { keep(b); setBadge(b, b.dataset.bgWas, b.dataset.bgSaid, !!b.dataset.bgShown); });
  }
  function badgesSince(badges, marks) {
    badges.forEach(function (b) {
      keep(b);
      var m = Object.prototype.hasOwnProperty.call(marks, b.dataset.bgRow) ? marks[b.dataset.bgRow] : null;
      var ok = Array.isArray(m) && isText(m[0]) && isText(m[1]);
      setBadge(b, ok ? m[0] : "updated", ok ? m[1] : "", ok);
    });
  }

  // -- the summary's list, from since.json --------------------------------------------------------
  function part(p) {
    var span = make("span", "bg-change-part");
    span.appendChild(make("span", "bg-change-what", p.what + ":"));
    var before = p.date ? day(p.before) : p.before, after = p.date ? day(p.after) : p.after;
    if (before) { span.append(" ", make("span", "bg-sr", "was "), make("del", "", before)); }
    if (before && after) { var arrow = make("span", "", "→"); arrow.setAttribute("aria-hidden", "true"); span.append(" ", arrow); }
    if (after) { span.append(" ", make("span", "bg-sr", "now "), make("ins", "", after)); }
    return span;
  }
  function item(c) {
    var change = ["added", "changed", "removed"].indexOf(c.change) >= 0 ? c.change : "changed";
    var li = make("li", "bg-change-item bg-change-item--" + change);
    if (change !== "changed") li.append(make("span", "bg-change-tag", change === "added" ? "new" : "withdrawn"), " ");
    var href = change === "removed" ? null : safeHref(c.href);
    var name = make(change === "removed" ? "del" : href ? "a" : "span", href || change === "removed" ? "" : "bg-change-label", c.label);
    if (href) name.href = href;
    li.appendChild(name);
    (Array.isArray(c.parts) ? c.parts : []).forEach(function (p) {
      if (p && isText(p.what) && isText(p.before) && isText(p.after)) li.append(" ", part(p));
    });
    return li;
  }
  function listOf(doc) {
    var body = make("div", "bg-changes-body bg-changes-since");
    (Array.isArray(doc.groups) ? doc.groups : []).forEach(function (g) {
      if (!g || !isText(g.heading) || !Array.isArray(g.items)) return;
      body.appendChild(make("h3", "bg-changes-kind", g.heading));
      var ul = body.appendChild(make("ul", "bg-changes-list"));
      g.items.forEach(function (c) { if (c && isText(c.label)) ul.appendChild(item(c)); });
    });
    if (!body.firstChild) body.appendChild(make("p", "bg-changes-none", "No change to facts, statements, questions or sources."));
    return body;
  }

  function since(data, baseline, done) {
    var url = safeHref(data.dataset.bgBase + baseline + "/since.json");
    if (!url) return done(null);
    if (fetched[url]) return done(fetched[url]);
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) {
        var ok = doc && typeof doc === "object" && doc.since === baseline && doc.badges && typeof doc.badges === "object";
        if (ok) fetched[url] = doc;
        done(ok ? doc : null);
      }, function () { done(null); });
  }

  // The newest earlier version the reader had seen: the one last shown, or the newest before it.
  function baselineFor(data, seen) {
    var have = (data.dataset.bgBaselines || "").split(" ").filter(isDay).sort().reverse();
    for (var i = 0; i < have.length; i++) if (have[i] <= seen) return have[i];
    return null;
  }

  function apply(root) {
    var data = root.querySelector("[data-bg-base][data-bg-briefing]");
    if (!data || !storage()) return;
    var id = data.dataset.bgBriefing, asOf = data.dataset.bgAsOf, previous = data.dataset.bgPrevious;
    var badges = root.querySelectorAll(".bg-change[data-bg-row]");
    var box = root.querySelector(".bg-whatchanged");
    var visit = lastVisit(id, asOf);
    var baseline = visit.since !== null ? baselineFor(data, visit.since) : null;
    var view = { root: root, id: id, box: box, badges: badges, previous: previous, baseline: baseline, data: data };
    if (baseline === null) return show(view, null, false);
    if (baseline === previous || visit.previous) return show(view, baseline === previous ? "same" : null, true);
    since(data, baseline, function (doc) {
      if (!doc) view.baseline = null;  // not published (or offline): the page as built, nothing to switch to
      show(view, doc, true);
    });
  }

  // doc: since.json of the last visit; "same": that visit was the previous version; null: the
  // page as built. known: a last visit is remembered (so the reader can switch or forget).
  function show(view, doc, known) {
    if (doc && doc !== "same") badgesSince(view.badges, doc.badges); else badgesAsBuilt(view.badges);
    if (view.box) showBox(view, doc, known); else showNote(view, doc, known);
  }

  function showBox(view, doc, known) {
    var box = view.box, words = box.querySelector(".bg-baseline-words");
    if (!box.bgBuilt) box.bgBuilt = words.cloneNode(true);
    var old = box.querySelector(".bg-changes-since");
    if (old) old.remove();
    var built = box.querySelector(".bg-changes-body");
    built.hidden = false;
    if (doc) {
      words.textContent = "since your last visit (version of " + day(view.baseline) + ")";
      if (doc !== "same") { built.hidden = true; built.after(listOf(doc)); }
    } else {
      words.replaceWith(box.bgBuilt.cloneNode(true));
    }
    var bar = box.querySelector(".bg-baseline");
    bar.hidden = !known;
    var choice = bar.querySelector(".bg-baseline-choice");
    choice.hidden = !known || !view.baseline || view.baseline === view.previous;
    bar.querySelectorAll("[data-bg-baseline]").forEach(function (b) {
      var mine = b.dataset.bgBaseline === "visit";
      b.textContent = mine ? "your last visit (" + day(view.baseline || "") + ")" : "the previous version (" + day(view.previous) + ")";
      b.setAttribute("aria-pressed", String(mine === !!doc));
      b.onclick = function () { prefer(view.id, !mine); apply(view.root); };
    });
    bar.querySelector(".bg-lastvisit-clear").onclick = function () { forget(view); };
  }

  // Pages without the box (facts, questions, sources) say which baseline their badges show.
  function showNote(view, doc, known) {
    var note = view.root.getElementById ? view.root.getElementById("bg-baseline-note") : null;
    if (note) note.remove();
    if (!known || !view.baseline || view.baseline === view.previous || !view.badges.length) return;
    note = make("p", "bg-notice bg-baseline-note", doc
      ? "Marked: what changed since your last visit (version of " + day(view.baseline) + "). "
      : "Marked: what changed in this version, since the previous one (" + day(view.previous) + "). ");
    note.id = "bg-baseline-note";
    var button = make("button", "bg-lastvisit-clear", doc ? "Show changes since the previous version" : "Show changes since your last visit");
    button.type = "button";
    button.onclick = function () { prefer(view.id, !!doc); apply(view.root); };
    note.appendChild(button);
    var head = view.root.querySelector(".md-content .bg-head");
    if (head) head.after(note);
  }

  function forget(view) {
    var all = load();
    delete all[view.id];
    save(all);
    view.baseline = null;
    show(view, null, false);
  }

  if (window.document$) { window.document$.subscribe(function () { apply(document); }); }
  else { document.addEventListener("DOMContentLoaded", function () { apply(document); }); }
})();
