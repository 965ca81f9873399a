/* "Copy link" buttons next to permalinks. Without JavaScript the # permalink still works. */
(function () {
  function wire(root) {
    root.querySelectorAll("button.bg-copy[data-anchor]").forEach(function (button) {
      if (!navigator.clipboard || button.dataset.wired) return;
      button.dataset.wired = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var url = location.href.split("#")[0] + "#" + button.dataset.anchor;
        navigator.clipboard.writeText(url).then(function () {
          var label = button.textContent;
          button.textContent = "copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }
  // Material's search overlay is a dialog without a name (axe: aria-dialog-name).
  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }
  nameSearch();
  if (window.document$) { window.document$.subscribe(function () { wire(document); }); }
  else { document.addEventListener("DOMContentLoaded", function () { wire(document); }); }
})();
