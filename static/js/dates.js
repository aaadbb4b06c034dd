// Date fields read and written as dd/mm/yyyy whatever the browser's language: a text box
// with the vendored flatpickr calendar in Vietnamese; the form still sends the ISO date
// (yyyy-mm-dd) the server parses. The box takes the field's id, so its label points at it,
// and accepts 5/7/2004, 05/07/2004 or 2004-07-05. Boxes swapped in by htmx are set up too.
(function () {
  "use strict";
  function parse(text) {
    var value = String(text || "").trim(), m, y, mo, d;
    if ((m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value))) { y = +m[1]; mo = +m[2]; d = +m[3]; }
    else if ((m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value))) { d = +m[1]; mo = +m[2]; y = +m[3]; }
    else return undefined;
    var date = new Date(y, mo - 1, d);
    return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : undefined;
  }

  function setUp(root) {
    if (!window.flatpickr) return;
    root.querySelectorAll("input[type=date]").forEach(function (input) {
      if (input._flatpickr) return;
      var id = input.id;
      var picker = window.flatpickr(input, {
        altInput: true,
        altFormat: "d/m/Y",
        dateFormat: "Y-m-d",
        altInputClass: "date-text " + (input.className || ""),
        allowInput: true,
        disableMobile: true,
        parseDate: parse,
        locale: window.flatpickr.l10ns.vn || "default",
        minDate: input.min || null,
        maxDate: input.max || null,
      });
      var box = picker.altInput;
      if (!box) return;
      box.placeholder = "dd/mm/yyyy";
      box.setAttribute("inputmode", "numeric");
      if (input.required) box.required = true;
      if (input.getAttribute("aria-label")) box.setAttribute("aria-label", input.getAttribute("aria-label"));
      if (id) { input.removeAttribute("id"); input.setAttribute("data-date-of", id); box.id = id; }
      // The box has no name: a complete date typed in it (or its "change") becomes one change
      // of the named field, through flatpickr, which htmx and page scripts listen to.
      function follow() {
        var date = parse(box.value);
        var current = picker.selectedDates[0];
        if (date && (!current || current.getTime() !== date.getTime())) picker.setDate(date, true);
        else if (!box.value.trim() && current) picker.clear();
      }
      box.addEventListener("input", function () {
        follow();
        if (parse(box.value)) picker.close();  // typed in full: the calendar is not needed
      });
      box.addEventListener("change", function (event) {
        event.stopPropagation();
        follow();
      });
    });
  }
  function start() {
    setUp(document);
    document.body.addEventListener("htmx:afterSettle", function (event) {
      setUp(event.target instanceof Element ? event.target : document);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
