// The period picker: every period box (name="period") suggests periods in words, newest
// first ("quý IV năm 2026", "tháng 12 năm 2026", "6 tháng cuối năm 2026", "năm 2026"), and
// still takes a code or any form core.periods reads ("Q3/2025", "từ 05/7/2004 đến 10/9/2019").
(function () {
  "use strict";
  var ROMAN = ["I", "II", "III", "IV"];
  function suggestions(today) {
    var out = [], year = today.getFullYear(), month = today.getMonth() + 1;
    for (var y = year; y >= year - 2; y--) {
      var lastMonth = y === year ? month : 12;
      for (var q = Math.ceil(lastMonth / 3); q >= 1; q--) out.push("quý " + ROMAN[q - 1] + " năm " + y);
      if (lastMonth > 6) out.push("6 tháng cuối năm " + y);
      out.push("6 tháng đầu năm " + y);
      out.push("năm " + y);
      for (var m = lastMonth; m >= 1 && y === year; m--) out.push("tháng " + m + " năm " + y);
    }
    return out;
  }
  function setUp(root) {
    var boxes = root.querySelectorAll("input[name=period]:not([list]):not([data-period-prefix])");
    if (!boxes.length) return;
    var list = document.getElementById("period-suggestions");
    if (!list) {
      list = document.createElement("datalist");
      list.id = "period-suggestions";
      suggestions(new Date()).forEach(function (text) {
        var option = document.createElement("option");
        option.value = text;
        list.appendChild(option);
      });
      document.body.appendChild(list);
    }
    boxes.forEach(function (box) {
      box.setAttribute("list", list.id);
      box.classList.add("period-picker");
      box.placeholder = "quý 3/2025, tháng 9/2025, năm 2025…";
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
