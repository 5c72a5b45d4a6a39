/* Draws the statistics page's charts with Chart.js from the JSON next to each data table.
   Without JavaScript (or Chart.js) the tables alone are shown; the charts are hidden from
   assistive technologies, which read the tables. */
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var palette = ["#000091", "#e1000f", "#009081", "#c3992a", "#6a6af4", "#716043"];
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  document.querySelectorAll("[data-chart]").forEach(function (holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    spec.datasets.forEach(function (dataset, index) {
      var colour = palette[index % palette.length];
      dataset.backgroundColor = colour;
      dataset.borderColor = colour;
    });
    if (spec.indexAxis === "y") {
      // One bar per label: the chart grows with its labels instead of stretching a few.
      holder.style.height = Math.max(10, spec.labels.length * 2 + 4) + "rem";
    }
    var canvas = document.createElement("canvas");
    holder.appendChild(canvas);
    holder.hidden = false;
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: spec.indexAxis,
        responsive: true,
        maintainAspectRatio: false,
        animation: reducedMotion ? false : undefined,
        plugins: { legend: { display: spec.datasets.length > 1 } },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  });
})();
