// Site-wide behaviour without inline script (the pages run under a strict CSP):
// the compact menu on phones, links back, and table cells labelled
// with their column so a list can be shown as cards below 600 px.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function labelCells(root) {
    root.querySelectorAll("main table").forEach(function (table) {
      var head = table.tHead;
      if (!head || head.rows.length !== 1) return;
      var names = [];
      for (var cell of head.rows[0].cells) {
        for (var i = 0; i < cell.colSpan; i++) names.push(cell.textContent.trim());
      }
      for (var body of table.tBodies) {
        for (var row of body.rows) {
          var column = 0;
          for (var td of row.cells) {
            if (names[column] && !td.hasAttribute("data-label")) td.setAttribute("data-label", names[column]);
            column += td.colSpan;
          }
        }
      }
    });
  }

  function setUp() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (toggle && menu) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        menu.classList.toggle("open", open);
      });
    }
    // Selects that submit their form and data-confirm questions: static/js/gandan.js.
    document.querySelectorAll("a[data-back]").forEach(function (link) {
      if (window.history.length < 2) return;
      link.addEventListener("click", function (event) { event.preventDefault(); window.history.back(); });
    });
    labelCells(document);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      labelCells(event.target instanceof Element ? event.target.closest("main") || document : document);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
