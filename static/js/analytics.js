/* Gần Dân analytics: dashboard charts (Chart.js, vendored) with Vietnamese numbers.
   Reads the JSON in #dashboard-data; redraws after every htmx swap. Nothing is fetched. */
(function () {
  "use strict";
  var number = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 2 });
  var RED = "rgba(166, 27, 27, 0.78)";
  var charts = {};

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    if (!canvas || !window.Chart) { return; }
    charts[id] = new window.Chart(canvas, config);
  }

  function options(data, texts, horizontal) {
    var valueAxis = {
      beginAtZero: true,
      ticks: {
        precision: data.indicator.integer ? 0 : undefined,
        callback: function (value) { return number.format(value); }
      },
      grid: { color: "#eef1f5" }
    };
    var scales = horizontal
      ? { x: valueAxis, y: { grid: { display: false }, ticks: { autoSkip: false } } }
      : { y: valueAxis, x: { grid: { display: false } } };
    return {
      locale: "vi-VN",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: horizontal ? "y" : "x",
      scales: scales,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (item) { return " " + texts[item.dataIndex] + " " + data.indicator.unit; }
          }
        }
      }
    };
  }

  function render() {
    var holder = document.getElementById("dashboard-data");
    if (!holder) { return; }
    var data = JSON.parse(holder.textContent);
    draw("trend-chart", {
      type: "bar",
      data: {
        labels: data.trend.labels,
        datasets: [{ label: data.indicator.name, data: data.trend.values, backgroundColor: RED, borderRadius: 3 }]
      },
      options: options(data, data.trend.texts, false)
    });
    var top = 15;
    draw("comparison-chart", {
      type: "bar",
      data: {
        labels: data.comparison.labels.slice(0, top),
        datasets: [{ label: data.indicator.name, data: data.comparison.values.slice(0, top), backgroundColor: RED, borderRadius: 3 }]
      },
      options: options(data, data.comparison.texts, true)
    });
  }

  /* Choosing a boundary date means "use this date": tick its radio button. */
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "boundaries_on") {
      var radio = event.target.form && event.target.form.querySelector("input[name=boundaries][value=date]");
      if (radio) { radio.checked = true; }
    }
  }, true);

  document.addEventListener("DOMContentLoaded", render);
  document.addEventListener("htmx:afterSettle", render);
})();
