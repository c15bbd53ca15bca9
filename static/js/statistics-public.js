// The public indicators page: draws each tile's daily series with Chart.js over the table
// that always holds the same figures. Without Chart.js (not installed yet, or blocked) or
// without scripts, the tiles keep their figures and tables and show no chart.
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }

  var root = document.documentElement;
  var rtl = root.dir === "rtl";
  // Latin digits in Arabic too, as the rest of the site (and the committee's dashboard) writes them.
  var locale = (root.lang || "ar") + "-u-nu-latn";
  var styles = getComputedStyle(root);
  var primary = styles.getPropertyValue("--c-primary").trim() || "#0b6b4f";
  var soft = styles.getPropertyValue("--c-primary-soft").trim() || "#e7f2ed";
  var muted = styles.getPropertyValue("--c-muted").trim() || "#4a5565";
  var grid = styles.getPropertyValue("--c-border").trim() || "#d6dbe1";
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = muted;

  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-figure-chart"));
    if (!source) {
      return;
    }
    var series = JSON.parse(source.textContent);
    if (series.points.length < 2) {
      return;
    }
    var number = new Intl.NumberFormat(locale, { maximumFractionDigits: series.decimals });
    holder.hidden = false;
    new Chart(holder.querySelector("canvas"), {
      type: "line",
      data: {
        labels: series.points.map(function (point) { return point.label; }),
        datasets: [{
          data: series.points.map(function (point) { return point.value; }),
          borderColor: primary,
          backgroundColor: soft,
          borderWidth: 2,
          fill: true,
          pointRadius: 0,
          pointHoverRadius: 4,
          tension: 0.25
        }]
      },
      options: {
        animation: still ? false : { duration: 400 },
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        // Time runs in the reading direction: right to left in Arabic, the axis of figures
        // on the side the line starts from.
        scales: {
          x: {
            reverse: rtl,
            grid: { display: false },
            ticks: { maxRotation: 0, autoSkipPadding: 24, maxTicksLimit: 4 }
          },
          y: {
            position: rtl ? "right" : "left",
            beginAtZero: true,
            grid: { color: grid },
            ticks: { maxTicksLimit: 4, callback: function (value) { return number.format(value); } }
          }
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            displayColors: false,
            callbacks: {
              title: function (items) { return series.points[items[0].dataIndex].title; },
              label: function (item) {
                var text = number.format(item.parsed.y);
                return series.unit ? text + " " + series.unit : text;
              }
            }
          }
        }
      }
    });
  }

  function drawAll() {
    document.querySelectorAll("[data-figure-chart]").forEach(draw);
  }

  // Labels are measured in the page's own font: wait for it, or they overlap once it loads.
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(drawAll);
  } else {
    drawAll();
  }
})();
