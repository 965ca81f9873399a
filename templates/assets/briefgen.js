/* briefgen's pages in the browser, besides the previews (previews.js): "cited in" lists on
   phones, links from earlier versions, copy-link buttons and their place on phones, and the
   navigation on source pages. Everything works without JavaScript (counts are plain links); this
   adds to it.

   Security: text from articles and annotations is only ever read with textContent and written
   with createElement/textContent, never as HTML; nothing is taken from `title` attributes
   (Material's tooltips would parse those as HTML). */
(function () {
  "use strict";

  // -- helpers ---------------------------------------------------------------------------------
  // The DOM helpers every briefgen script uses (dom.js, loaded first).
  var make = window.briefgenDom.make, safeHref = window.briefgenDom.safeHref;

  function link(href, text, external) {
    var a = make("a", "bg-pop__link", text);
    a.href = href;
    if (external) a.rel = "nofollow noopener noreferrer";
    return a;
  }

  // -- "cited in" lists on source pages ----------------------------------------------------------
  // Wide screens show them in the margin beside their passage. On narrow ones the count beside a
  // passage opens a copy of its list after the passage's paragraph, never inside the sentence;
  // the copy is made with cloneNode (our own markup, never re-parsed).
  var BLOCKS = "p, li, blockquote, h1, h2, h3, h4, h5, h6, pre, td, th, dd, dt";

  function narrow(count) {
    return getComputedStyle(count).display !== "none";  // counts show only where notes do not fit
  }

  function openList(count, arrived) {
    var list = document.getElementById(count.dataset.list);
    if (!list) return;
    var copy = document.getElementById(list.id + "-after");
    if (!copy) {
      copy = list.cloneNode(true);
      copy.id = list.id + "-after";
      copy.classList.add("bg-side--after");
      var block = count.closest(BLOCKS) || count;
      // After the paragraph, and after the lists already open for passages before this one.
      var at = block;
      while (at.nextElementSibling && at.nextElementSibling.classList.contains("bg-side--after")) {
        var other = document.querySelector('a.bg-count-link[aria-controls="' + at.nextElementSibling.id + '"]');
        if (other && (other.compareDocumentPosition(count) & Node.DOCUMENT_POSITION_PRECEDING)) break;
        at = at.nextElementSibling;
      }
      at.after(copy);
    }
    copy.classList.toggle("bg-side--arrived", !!arrived);
    count.setAttribute("aria-controls", copy.id);
    count.setAttribute("aria-expanded", "true");
  }

  function closeList(count) {
    var copy = document.getElementById(count.dataset.list + "-after");
    if (copy) copy.remove();
    count.setAttribute("aria-controls", count.dataset.list);
    count.setAttribute("aria-expanded", "false");
  }

  function wireCounts(root) {
    root.querySelectorAll("a.bg-count-link[aria-controls]").forEach(function (count) {
      if (count.dataset.wired) return;
      count.dataset.wired = "1";
      count.dataset.list = count.getAttribute("aria-controls");
      count.setAttribute("aria-expanded", "false");
      count.addEventListener("click", function (e) {
        e.preventDefault();
        if (count.getAttribute("aria-expanded") === "true") closeList(count);
        else openList(count, false);
      });
    });
  }

  // A reader who arrives at a passage (from a marker) sees at once which statements cite it, under
  // "you came here": beside the passage, or after its paragraph on a phone.
  function openArrived() {
    document.querySelectorAll(".bg-side--arrived").forEach(function (el) { el.classList.remove("bg-side--arrived"); });
    document.querySelectorAll("mark.bg-hl--arrived, mark.bg-hl--open-end").forEach(function (el) {
      el.classList.remove("bg-hl--arrived", "bg-hl--open-end", "bg-hl--open-start", "bg-hl--open-both");
    });
    var id = decodeURIComponent(location.hash.slice(1));
    // A quote that crosses an edge (emphasis, a link, another quote) is marked in pieces; the
    // later ones light up with the first, and the outline is left open where one piece meets
    // the next, so the passage reads as one (sources.css).
    var pieces = id ? document.querySelectorAll('mark[data-bg-of="' + CSS.escape(id) + '"]') : [];
    var first = pieces.length ? document.getElementById(id) : null;
    if (first) first.classList.add("bg-hl--open-end");
    pieces.forEach(function (el, i) {
      el.classList.add("bg-hl--arrived", i === pieces.length - 1 ? "bg-hl--open-start" : "bg-hl--open-both");
    });
    var list = id && document.getElementById("bg-by-" + id);
    if (!list) return;
    list.classList.add("bg-side--arrived");
    var count = document.querySelector('a.bg-count-link[data-list="' + CSS.escape(list.id) + '"]');
    if (count && narrow(count)) openList(count, true);
  }
  window.addEventListener("hashchange", openArrived);

  // -- links from earlier versions -----------------------------------------------------------------
  // A copied link carries the version it was copied from (?v=<as_of>). When that version's row
  // has another anchor now, the reader is taken there; when it was removed, told so. A link
  // without a version whose anchor no longer exists is looked up in the newest version that had it.
  var day = window.briefgenDom.day;  // 14 Dec 2024, as the pages print dates (dom.js)

  function own(obj, key) { return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : null; }

  function movedTo(moves, version, id, current) {
    if (version && version !== current) return own(own(moves, version), id);
    if (document.getElementById(id)) return null;
    var versions = Object.keys(moves).sort().reverse();
    for (var i = 0; i < versions.length; i++) {
      var hit = own(moves[versions[i]], id);
      if (hit) return hit;
    }
    return null;
  }

  function followMoved() {
    var store = document.getElementById("bg-moved");
    var id = decodeURIComponent(location.hash.slice(1));
    if (!store) { if (id) findPassage(id); return; }
    if (!id) return;
    var moves;
    try { moves = JSON.parse(store.textContent); } catch (e) { return; }
    var version = new URLSearchParams(location.search).get("v");
    var hit = movedTo(moves, version, id, store.getAttribute("data-as-of"));
    if (!Array.isArray(hit) || typeof hit[1] !== "string") return;
    if (hit[0] === "to" && document.getElementById(hit[1])) {
      location.replace(location.pathname + "#" + encodeURIComponent(hit[1]));
    } else if (hit[0] === "removed") {
      showRemoved(id, hit[1], store.getAttribute("data-changes"));
    }
  }

  // A passage's anchor is made of its quoted words (#q-the-port-closed), so a link to a passage
  // whose quote was since lengthened, shortened or re-cut finds the passage cited now whose words
  // contain it or are contained in it, or else share most of them; failing that, says so.
  function wordsOf(anchor) { return anchor.slice(2).split("-").filter(Boolean); }

  function likeness(a, b) {
    var x = " " + a.join(" ") + " ", y = " " + b.join(" ") + " ";
    if (x.indexOf(y) !== -1 || y.indexOf(x) !== -1) return 1;
    var shared = a.filter(function (w) { return b.indexOf(w) !== -1; }).length;
    return shared / Math.max(a.length, b.length);
  }

  function findPassage(id) {
    if (id.slice(0, 2) !== "q-" || document.getElementById(id)) return;
    var marks = document.querySelectorAll("mark.bg-hl[id^='q-']");
    if (!marks.length) return;  // not a source page
    var want = wordsOf(id), best = null, score = 0.5;
    marks.forEach(function (m) {
      var s = likeness(want, wordsOf(m.id));
      if (s > score) { best = m; score = s; }  // more than half the words, the first best
    });
    if (best) {
      location.replace(location.pathname + location.search + "#" + encodeURIComponent(best.id));
      notice("The passage this link pointed to (#" + id + ") is cited in other words now; this is the closest one.");
    } else {
      notice("The passage this link pointed to (#" + id + ") is not cited any more; the source is shown whole.");
    }
  }

  function notice(text) {
    var old = document.getElementById("bg-removed");
    if (old) old.remove();
    var note = make("p", "bg-notice bg-removed", text);
    note.id = "bg-removed";
    note.setAttribute("role", "status");
    var head = document.querySelector(".md-content .bg-head");
    if (head) head.after(note);
    return note;
  }

  function showRemoved(id, when, changes) {
    var note = notice("The row this link pointed to (#" + id + ") was removed in the version of " + day(when) + ".");
    var href = safeHref(changes);
    if (href) {
      note.appendChild(document.createTextNode(" "));
      note.appendChild(link(href, "See every version", false));
    }
  }

  window.addEventListener("hashchange", followMoved);

  // -- copy-link buttons ---------------------------------------------------------------------------
  function wireCopy(root) {
    root.querySelectorAll("button.bg-copy[data-anchor]").forEach(function (button) {
      if (!navigator.clipboard || button.dataset.wired) return;
      button.dataset.wired = "1";
      button.hidden = false;
      // Copy works here: on a phone it is the row's one control (briefgen.css).
      if (button.parentElement) button.parentElement.classList.add("bg-share--copy");
      button.addEventListener("click", function () {
        // The version the link was copied from, so it can be followed after the row moves.
        var time = document.querySelector(".bg-head .bg-kicker time[datetime]");
        var version = time ? "?v=" + encodeURIComponent(time.getAttribute("datetime")) : "";
        var url = location.origin + location.pathname + version + "#" + button.dataset.anchor;
        navigator.clipboard.writeText(url).then(function () {
          var label = button.textContent;
          button.textContent = "copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  // -- a row's link controls on phones -------------------------------------------------------------
  // Phones show no column of controls: a tap on a row (or focus in it) brings its control out, and
  // a tap on another row or elsewhere puts it away (briefgen.css: bg-share--open).
  function shareOf(target) {
    // The row is the nearest element around the tap whose id a copy button of its own names.
    for (var row = target && target.closest ? target.closest("[id]") : null; row;
         row = row.parentElement && row.parentElement.closest("[id]")) {
      var copy = row.querySelector('button.bg-copy[data-anchor="' + CSS.escape(row.id) + '"]');
      if (copy) return copy.parentElement;
    }
    return null;
  }

  document.addEventListener("click", function (e) {
    var share = shareOf(e.target);
    document.querySelectorAll(".bg-share--open").forEach(function (open) {
      if (open !== share) open.classList.remove("bg-share--open");
    });
    if (share) share.classList.add("bg-share--open");
  });

  // -- navigation: a source or versions page belongs to its briefing ---------------------------------------
  // Source pages are not in the sidebar (it would grow with every source); open their briefing's
  // section there and mark its summary, so the reader sees where they are.
  function showPlace(root) {
    // Pages in the nav (summary, facts, questions) carry aria-current="page" on their tab; a source
    // page has no current tab, and the versions page's tab is not in the nav.
    var inNav = root.querySelector('.bg-tabs a[aria-current="page"]:not([data-kind="changes"])');
    var summary = root.querySelector('.bg-tabs a[data-kind="summary"]');
    if (inNav || !summary) return;
    var target = summary.href;
    root.querySelectorAll(".md-nav--primary a.md-nav__link").forEach(function (a) {
      if (a.href !== target) return;
      a.classList.add("md-nav__link--active");
      for (var item = a.closest(".md-nav__item--nested"); item; item = item.parentElement.closest(".md-nav__item--nested")) {
        var toggle = item.querySelector(":scope > input.md-nav__toggle");
        if (toggle) toggle.checked = true;
      }
    });
  }

  // The tabs scroll sideways on a phone: the current one in view, an edge faded while tabs lie beyond it.
  function moreTabs(tabs) {
    tabs.classList.toggle("bg-tabs--more", tabs.scrollLeft + tabs.clientWidth < tabs.scrollWidth - 1);
    tabs.classList.toggle("bg-tabs--less", tabs.scrollLeft > 1);
  }

  function fitTabs(root) {
    root.querySelectorAll(".bg-tabs").forEach(function (tabs) {
      var here = tabs.querySelector(".bg-tab--active");
      var over = here ? here.getBoundingClientRect().right - tabs.getBoundingClientRect().right : 0;
      if (over > 0) tabs.scrollLeft += over;
      moreTabs(tabs);
    });
  }
  document.addEventListener("scroll", function (e) {  // scroll does not bubble: caught on the way down
    if (e.target.classList && e.target.classList.contains("bg-tabs")) moreTabs(e.target);
  }, { capture: true, passive: true });
  window.addEventListener("resize", function () { document.querySelectorAll(".bg-tabs").forEach(moreTabs); });

  // Material's search overlay is a dialog without a name (axe: aria-dialog-name).
  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  function wire() {
    wireCopy(document);
    wireCounts(document);
    openArrived();
    followMoved();
    showPlace(document);
    fitTabs(document);
    nameSearch();
  }
  if (window.document$) window.document$.subscribe(wire);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
