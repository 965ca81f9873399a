/* DOM helpers shared by briefgen's scripts (loaded before them). Text from articles and
   annotations reaches the page only through these: createElement and textContent, never HTML,
   and a link only for this site's pages or an http(s) address. */
(function () {
  "use strict";

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    return el;
  }

  function safeHref(value) {
    // Only this site's pages and http(s) addresses become links.
    if (!value) return null;
    try {
      var url = new URL(value, location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // 14 Dec 2024, as the pages print dates; anything not an ISO date is shown as it is.
  function day(iso) {
    var d = typeof iso === "string" && /^\d{4}-\d\d-\d\d$/.test(iso) ? new Date(iso + "T00:00:00Z") : null;
    if (!d || isNaN(d)) return String(iso);
    return d.getUTCDate() + " " + d.toLocaleString("en-GB", { month: "short", timeZone: "UTC" }) + " " + d.getUTCFullYear();
  }

  window.briefgenDom = Object.freeze({ make: make, safeHref: safeHref, day: day });
})();
