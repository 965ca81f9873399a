/* Citation previews: hovering, focusing or tapping a marker [2] shows the quote with a few words
   around it, the outlet, origin, date and note. On a source page, a back-link beside a passage
   previews the same way the statement it names, whole. Without JavaScript both are plain links.

   Security: text from articles and annotations is only ever read with textContent and written
   with createElement/textContent, never as HTML. The preview data sits in an inert <template>;
   nothing is taken from `title` attributes (Material's tooltips would parse those as HTML). */
(function () {
  "use strict";

  // -- helpers ---------------------------------------------------------------------------------
  // The DOM helpers every briefgen script uses (dom.js, loaded first).
  var make = window.briefgenDom.make, safeHref = window.briefgenDom.safeHref;

  // -- citation previews -------------------------------------------------------------------------
  var pop = null, current = null, hideTimer = null, showTimer = null;
  var pointer = "mouse", openOnPress = false;

  function previewData(key) {
    var store = document.getElementById("bg-previews");
    if (!store || !store.content) return null;
    var all = store.content.querySelectorAll("[data-ref]");
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute("data-ref") === key) return all[i];
    }
    return null;
  }

  function field(data, name) {
    var el = data.querySelector('[data-f="' + name + '"]');
    return el ? el.textContent : "";
  }

  function link(href, text, external) {
    var a = make("a", "bg-pop__link", text);
    a.href = href;
    if (external) a.rel = "nofollow noopener noreferrer";
    return a;
  }

  // A back-link's statement: whether the passage supports or disputes it, what it is, all its words.
  function fillStatement(data) {
    var box = make("div", "bg-pop__inner");
    var disputes = data.hasAttribute("data-disputes");
    box.appendChild(make("p", disputes ? "bg-pop__disputes" : "bg-pop__supports",
                         disputes ? "✕ This passage disputes" : "This passage supports"));
    var where = field(data, "where"), about = field(data, "about");
    var head = make("p", "bg-pop__meta");
    head.appendChild(make("strong", "", where.charAt(0).toUpperCase() + where.slice(1) + (about ? ": " : "")));
    if (about) head.appendChild(make("bdi", "", about));
    box.appendChild(head);
    var text = make("p", "bg-pop__statement", field(data, "text"));
    // Its own direction, from its first letters: an Arabic statement in an English briefing reads
    // right to left, its full stop at its end.
    text.dir = "auto";
    if (data.getAttribute("data-lang")) text.lang = data.getAttribute("data-lang");
    box.appendChild(text);
    var links = make("p", "bg-pop__links");
    var href = safeHref(data.getAttribute("data-href"));
    if (href) links.appendChild(link(href, "Go to the statement →", false));
    box.appendChild(links);
    return box;
  }

  function fill(data) {
    if (data.getAttribute("data-kind") === "statement") return fillStatement(data);
    var box = make("div", "bg-pop__inner");
    var disputes = data.hasAttribute("data-disputes");
    if (disputes) box.appendChild(make("p", "bg-pop__disputes", "✕ This source disputes the statement"));
    // The quote in its source's language and direction, so an Arabic quote's ellipses, commas
    // and quotation marks sit where an Arabic reader expects them.
    // A paragraph that runs the other way from its source (Arabic quoted in an English article)
    // is in neither the source's direction nor, as far as anyone said, its language.
    var quote = make("p", "bg-pop__quote");
    var dir = data.getAttribute("data-dir") === "rtl" ? "rtl" : "ltr";
    var lang = data.getAttribute("data-lang");
    var other = data.getAttribute("data-quote-dir");
    quote.dir = other === "rtl" || other === "ltr" ? other : dir;
    if (lang && !other) quote.lang = lang;
    quote.appendChild(make("span", "bg-pop__ctx", field(data, "before")));
    quote.appendChild(make("mark", "bg-pop__words", field(data, "quote")));
    quote.appendChild(make("span", "bg-pop__ctx", field(data, "after")));
    box.appendChild(quote);
    // Outlet and title isolated (<bdi>): a right-to-left name never pulls the date across it.
    var meta = make("p", "bg-pop__meta");
    var head = make("strong", "", "[" + field(data, "label") + "] ");
    head.appendChild(make("bdi", "", field(data, "outlet")));
    meta.appendChild(head);
    if (field(data, "date")) meta.appendChild(document.createTextNode(" · " + field(data, "date")));
    if (field(data, "title")) {
      meta.appendChild(document.createTextNode(" · "));
      var title = make("bdi", "bg-pop__title", field(data, "title"));
      title.dir = dir;
      if (lang) title.lang = lang;
      meta.appendChild(title);
    }
    box.appendChild(meta);
    if (field(data, "origin")) {
      var origin = make("p", "bg-pop__origin", "Origin: ");
      origin.appendChild(make("bdi", "", field(data, "origin")));
      box.appendChild(origin);
    }
    if (field(data, "note")) box.appendChild(make("p", "bg-pop__note", "Analyst’s note: " + field(data, "note")));
    var links = make("p", "bg-pop__links");
    var passage = safeHref(data.getAttribute("data-href"));
    if (passage) links.appendChild(link(passage, "Go to the passage →", false));
    var original = safeHref(data.getAttribute("data-original"));
    if (original && /^https?:/i.test(data.getAttribute("data-original"))) {
      links.appendChild(link(original, "Original ↗", true));
    }
    box.appendChild(links);
    return box;
  }

  function ensurePop() {
    if (pop) return pop;
    pop = make("div", "bg-pop");
    pop.id = "bg-pop";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", "Citation preview");
    pop.hidden = true;
    pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    pop.addEventListener("mouseleave", function () { hideSoon(); });
    document.body.appendChild(pop);
    return pop;
  }

  function place(marker) {
    // Absolutely positioned over the page: nothing below it moves.
    var r = marker.getBoundingClientRect();
    var width = Math.min(pop.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - width - 8));
    var top = r.bottom + 6;
    if (top + pop.offsetHeight > window.innerHeight && r.top - pop.offsetHeight - 6 > 0) {
      top = r.top - pop.offsetHeight - 6;
    }
    pop.style.left = left + window.scrollX + "px";
    pop.style.top = top + window.scrollY + "px";
  }

  function show(marker) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    var data = previewData(marker.getAttribute("data-ref"));
    if (!data) return;
    ensurePop();
    if (current && current !== marker) current.removeAttribute("aria-describedby");
    pop.replaceChildren(fill(data));
    pop.setAttribute("aria-label", data.getAttribute("data-kind") === "statement" ? "Statement preview" : "Citation preview");
    pop.classList.toggle("bg-pop--disputes", data.hasAttribute("data-disputes"));
    pop.hidden = false;
    current = marker;
    marker.setAttribute("aria-describedby", "bg-pop");
    place(marker);
  }

  function hide() {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (!pop || pop.hidden) return;
    pop.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  function markerOf(target) {
    return target && target.closest ? target.closest("a[data-ref]") : null;
  }

  document.addEventListener("pointerdown", function (e) {
    pointer = e.pointerType || "mouse";
    var marker = markerOf(e.target);
    openOnPress = !!marker && marker === current && pop && !pop.hidden;
    if (!marker && pop && !pop.contains(e.target)) hide();  // a tap or click elsewhere closes it
  }, true);
  // A mouse that comes back after touches previews on hover again (and a touch never does).
  document.addEventListener("pointerover", function (e) { pointer = e.pointerType || "mouse"; }, true);
  document.addEventListener("mouseover", function (e) {
    var marker = markerOf(e.target);
    if (!marker || pointer !== "mouse") return;
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    showTimer = setTimeout(function () { show(marker); }, 120);
  });
  document.addEventListener("mouseout", function (e) {
    var marker = markerOf(e.target);
    if (marker && !marker.contains(e.relatedTarget)) {
      clearTimeout(showTimer);
      if (pointer === "mouse") hideSoon();
    }
  });
  document.addEventListener("focusin", function (e) {
    var marker = markerOf(e.target);
    if (marker) show(marker);
    else if (pop && !pop.contains(e.target)) hide();
  });
  document.addEventListener("click", function (e) {
    var marker = markerOf(e.target);
    // On touch the first tap previews; a tap on the open preview's marker, or a link in the
    // preview, navigates.
    if (marker && pointer !== "mouse" && !openOnPress) {
      e.preventDefault();
      show(marker);
    }
  });
  function focusables() {
    return Array.prototype.filter.call(
      document.querySelectorAll("a[href], button:not([disabled]), input, select, textarea, [tabindex]"),
      function (el) { return el.tabIndex >= 0 && !pop.contains(el) && el.getClientRects().length; });
  }

  // Keyboard: Tab from a marker enters its open preview; Tab out of the preview goes on to what
  // follows the marker, Shift+Tab back to the marker; Escape closes it.
  document.addEventListener("keydown", function (e) {
    if (!pop || pop.hidden || !current) return;
    var back = current, links = pop.querySelectorAll("a");
    if (e.key === "Escape") {
      var inside = pop.contains(document.activeElement);
      hide();
      if (inside) back.focus();
    } else if (e.key === "Tab" && links.length) {
      var at = Array.prototype.indexOf.call(links, document.activeElement);
      if (document.activeElement === back && !e.shiftKey) {
        e.preventDefault();
        links[0].focus();
      } else if (at === 0 && e.shiftKey) {
        e.preventDefault();
        back.focus();
      } else if (at === links.length - 1 && !e.shiftKey) {
        e.preventDefault();
        var order = focusables(), next = order[order.indexOf(back) + 1];
        hide();
        (next || back).focus();
      }
    }
  });
  window.addEventListener("resize", function () { if (current) place(current); });

  // A new page (Material's instant loading swaps pages without reloading) starts with none open.
  if (window.document$) window.document$.subscribe(hide);
})();
