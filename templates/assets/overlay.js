/* Under `briefgen serve` and `mkdocs serve` only (briefgen/engine/overlay.py adds this script
   to pages built by serve): when a rebuild fails, the page still shows the last good site, and
   this shows the problems over it (path:line:col: message), as Vite and Hugo do; a rebuild
   that succeeds clears them. The server answers __briefgen__/problems.json with the last
   rebuild's problems; a failed rebuild reloads no page under `mkdocs serve`, so it is asked
   again every second while the page is in view.

   Security: messages quote content; they are written with textContent only. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var url = new URL("../../__briefgen__/problems.json", script.src).href;  // beside assets/briefgen/
  var make = window.briefgenDom.make;
  var box = null, shown = "";

  function render(problems) {
    var key = JSON.stringify(problems);
    if (key === shown) return;
    shown = key;
    if (box) box.remove();
    box = null;
    if (!problems.length) return;
    box = make("section", "bg-overlay");
    box.setAttribute("role", "alert");
    box.setAttribute("aria-label", "briefgen: the last rebuild failed");
    var close = make("button", "bg-overlay__close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Hide until the next rebuild");
    close.addEventListener("click", function () { box.hidden = true; });
    var n = problems.length;
    box.append(close, make("h2", "bg-overlay__head", "The last rebuild failed (" + n + " problem" +
      (n === 1 ? "" : "s") + "); the page shows the last good build. Fix and save: this goes away."));
    var list = make("ul", "bg-overlay__list");
    problems.forEach(function (p) {
      var item = make("li", "bg-overlay__item");
      if (p.where) item.append(make("code", "bg-overlay__where", p.where), document.createTextNode(": "));
      item.append(document.createTextNode(p.severity + ": "), make("span", "bg-overlay__message", p.message));
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function ask() {
    if (document.visibilityState === "hidden") return;
    fetch(url, { cache: "no-store" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (d) {
      if (d && Array.isArray(d.problems)) render(d.problems);
    }, function () { /* the server stopped: nothing to say */ });
  }

  ask();
  setInterval(ask, 1000);
})();
