/* "New since your last visit". This browser remembers, per briefing, which version (as_of) it
   last showed, in localStorage only: no cookie, no request. When a newer version is shown, the
   rows added or changed since the one seen last are marked; the mark stays on reload until the
   next version. "Forget my last visit" clears it. Without JavaScript the plain version badges
   (new / updated in the latest version) show. Text goes in with textContent only. */
(function () {
  var KEY = "briefgen-visits";

  // Anything else in storage (edited by hand, or by another script) counts as no visit.
  function isDay(value) { return typeof value === "string" && /^\d{4}-\d\d-\d\d$/.test(value); }
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

  var day = window.briefgenDom.day;  // 14 Dec 2024, as the pages print dates (dom.js)

  function mark(badges, since, asOf) {
    badges.forEach(function (badge) {
      if (!badge.dataset.word) badge.dataset.word = badge.textContent;
      var changed = badge.dataset.bgChanged;
      var fresh = since !== null && changed > since;
      badge.hidden = since !== null ? !fresh : changed !== asOf;
      badge.textContent = fresh ? badge.dataset.word + " since your last visit" : badge.dataset.word;
      badge.classList.toggle("bg-change--visit", fresh);
    });
  }

  function apply(root) {
    var badges = root.querySelectorAll(".bg-change[data-bg-briefing]");
    var box = root.querySelector(".bg-lastvisit[data-bg-briefing]");
    var first = badges[0] || box;
    if (!first || !storage()) return;
    var id = first.dataset.bgBriefing, asOf = first.dataset.bgAsOf;
    var visits = load(), seen = visits[id], since = null;
    if (!seen || !isDay(seen.shown) || (seen.before !== null && !isDay(seen.before))) {
      visits[id] = { shown: asOf, before: null };
      save(visits);
    } else if (seen.shown < asOf) {
      since = seen.shown;
      visits[id] = { shown: asOf, before: since };
      save(visits);
    } else if (seen.shown === asOf && isDay(seen.before)) {
      since = seen.before;
    }
    mark(badges, since, asOf);
    if (!box) return;
    var text = box.querySelector(".bg-lastvisit-text");
    var button = box.querySelector(".bg-lastvisit-clear");
    box.hidden = since === null;
    if (since !== null) text.textContent = "Marked: what changed since your last visit (version of " + day(since) + ").";
    if (button.dataset.wired) return;
    button.dataset.wired = "1";
    button.addEventListener("click", function () {
      var all = load();
      delete all[id];
      save(all);
      mark(badges, null, asOf);
      box.hidden = true;
    });
  }

  if (window.document$) { window.document$.subscribe(function () { apply(document); }); }
  else { document.addEventListener("DOMContentLoaded", function () { apply(document); }); }
})();
