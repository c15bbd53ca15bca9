// The committee's indicators dashboard (statistics/admin/dashboard.html) and its drill-down
// (dashboard_indicator.html).
// - The data arrives as JSON: from the page (json_script) on load, then from the JSON endpoint
//   whenever a filter changes, and again every few minutes while the page is in view.
// - Charts are Chart.js 4 (static/vendor/chartjs). In Arabic they read right to left: time
//   runs from right to left, the value axis stands on the right, legends and tooltips are laid
//   out right-to-left, and the page's font (IBM Plex Sans Arabic) is used throughout.
// - Numbers go through Intl.NumberFormat in the page's language, with the Latin digits the
//   rest of the site writes (Hijri dates included).
// - Text is only ever set with textContent; the markup comes from <template>s in the page.
(function () {
  "use strict";

  const RTL = document.documentElement.dir === "rtl";
  const LANGUAGE = document.documentElement.lang || "ar";
  const LOCALE = `${LANGUAGE}-u-nu-latn`;
  const REFRESH_EVERY_MS = 5 * 60 * 1000;
  const TOP_AGENCIES = 15;
  const COMPLETENESS_KEYS = ["expected", "on_time", "late", "missing", "pending"];
  const DIRECTION = { rtl: RTL, textDirection: RTL ? "rtl" : "ltr" };
  // Wagtail answers a refused or signed-out script request with 403, not a login page.
  const JSON_HEADERS = { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" };

  function readJSON(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  const LABELS = readJSON("dashboard-labels") || {};

  function say(key, values) {
    let text = LABELS[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => {
      text = text.replace(`%(${name})s`, value);
    });
    return text;
  }

  // --- numbers ---------------------------------------------------------------------------
  const formats = new Map();

  function formatter(key, options) {
    if (!formats.has(key)) {
      formats.set(key, new Intl.NumberFormat(LOCALE, options));
    }
    return formats.get(key);
  }

  function isNumber(value) {
    return typeof value === "number" && Number.isFinite(value);
  }

  function formatNumber(value, places) {
    if (!isNumber(value)) {
      return "—";
    }
    const digits = places || 0;
    return formatter(`n${digits}`, { maximumFractionDigits: digits }).format(value);
  }

  function formatChange(value, places) {
    const digits = places || 0;
    return formatter(`c${digits}`, {
      maximumFractionDigits: digits,
      signDisplay: "exceptZero",
    }).format(value);
  }

  function formatPercent(ratio, signed) {
    if (!isNumber(ratio)) {
      return "—";
    }
    return formatter(signed ? "ps" : "p", {
      style: "percent",
      maximumFractionDigits: 1,
      signDisplay: signed ? "exceptZero" : "auto",
    }).format(ratio);
  }

  // --- markup ----------------------------------------------------------------------------
  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function fromTemplate(name) {
    const template = document.querySelector(`template[data-template="${name}"]`);
    return template.content.firstElementChild.cloneNode(true);
  }

  function slot(root, name) {
    return root.querySelector(`[data-slot="${name}"]`);
  }

  // A table for screen readers and keyboard users: `columns` are {label, numeric}; each row
  // is a list of cells, the first of which heads its row.
  function renderTable(container, columns, rows) {
    const table = make("table", "listing sd-table");
    const head = table.createTHead().insertRow();
    columns.forEach((column) => {
      const cell = make("th", column.numeric ? "sd-num" : "", column.label);
      cell.scope = "col";
      head.appendChild(cell);
    });
    const body = table.createTBody();
    rows.forEach((cells) => {
      const row = body.insertRow();
      cells.forEach((value, index) => {
        const cell = make(index === 0 ? "th" : "td", columns[index].numeric ? "sd-num" : "");
        if (index === 0) {
          cell.scope = "row";
        }
        const text = make("bdi", "", value);
        cell.appendChild(text);
        row.appendChild(cell);
      });
    });
    container.replaceChildren(table);
  }

  function dayColumns() {
    return [{ label: LABELS.day }, { label: LABELS.hijri }];
  }

  function axisLabels(days) {
    return days.map((day) => [day.gregorian_short, day.hijri_short]);
  }

  // --- charts ----------------------------------------------------------------------------
  const charts = new Map();

  // A colour variable as the browser resolves it (through var() and light-dark()), which is
  // what Chart.js can read.
  function cssValue(root, name, fallback) {
    const probe = document.createElement("span");
    probe.hidden = true;
    probe.style.color = `var(${name}, ${fallback})`;
    root.appendChild(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour || fallback;
  }

  function setUpCharts(root) {
    if (!window.Chart) {
      return false;
    }
    const Chart = window.Chart;
    Chart.defaults.font.family = getComputedStyle(root).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = cssValue(root, "--sd-chart-text", "#4a5565");
    Chart.defaults.borderColor = cssValue(root, "--sd-chart-grid", "rgba(127,127,127,.22)");
    Chart.defaults.locale = LOCALE;
    Chart.defaults.animation.duration = 250;
    return true;
  }

  function draw(key, canvas, config, description) {
    if (charts.has(key)) {
      charts.get(key).destroy();
    }
    if (!window.Chart || !canvas) {
      return;
    }
    canvas.setAttribute("aria-label", description);
    charts.set(key, new window.Chart(canvas, config));
  }

  function forget(prefix) {
    charts.forEach((chart, key) => {
      if (key.startsWith(prefix)) {
        chart.destroy();
        charts.delete(key);
      }
    });
  }

  function timeOptions(days, places, { stacked = false, legend = false, compact = false } = {}) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      locale: LOCALE,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: {
          display: legend,
          position: "top",
          align: "start",
          ...DIRECTION,
          labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8 },
        },
        tooltip: {
          ...DIRECTION,
          callbacks: {
            title: (items) => {
              const day = days[items[0].dataIndex];
              return `${day.gregorian} — ${day.hijri}`;
            },
            label: (item) => `${item.dataset.label}: ${formatNumber(item.parsed.y, places)}`,
          },
        },
      },
      scales: {
        x: {
          reverse: RTL,
          stacked,
          grid: { display: false },
          ticks: { maxRotation: 0, autoSkipPadding: 16, maxTicksLimit: compact ? 3 : 12 },
        },
        y: {
          position: RTL ? "right" : "left",
          stacked,
          beginAtZero: true,
          ticks: {
            maxTicksLimit: compact ? 3 : 6,
            callback: (value) => formatNumber(value, places),
          },
        },
      },
    };
  }

  function barOptions(format, max) {
    return {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      locale: LOCALE,
      plugins: {
        legend: { display: false },
        tooltip: { ...DIRECTION, callbacks: { label: (item) => format(item.parsed.x) } },
      },
      scales: {
        x: {
          reverse: RTL,
          beginAtZero: true,
          max,
          ticks: { maxTicksLimit: 5, callback: (value) => format(value) },
        },
        y: {
          position: RTL ? "right" : "left",
          grid: { display: false },
          ticks: {
            autoSkip: false,
            // Long agency names are cut, shorter on a phone, so the bars keep their room.
            callback(value) {
              const label = this.getLabelForValue(value);
              const room = this.chart.width < 380 ? 16 : 30;
              return label.length > room ? `${label.slice(0, room - 1)}…` : label;
            },
          },
        },
      },
    };
  }

  function lineDataset(root, label, data, compact) {
    return {
      label,
      data,
      borderColor: cssValue(root, "--sd-chart-series", "#0b6b4f"),
      backgroundColor: cssValue(root, "--sd-chart-fill", "rgba(11,107,79,.12)"),
      fill: true,
      tension: 0.25,
      borderWidth: compact ? 1.5 : 2,
      pointRadius: 0,
      pointHoverRadius: 4,
      spanGaps: false,
    };
  }

  function barHeight(count) {
    return `${Math.max(12, count * 1.75 + 3)}rem`;
  }

  // A small line of the series under a tile's figure; time runs the reading direction's way.
  function sparkline(series) {
    const points = [];
    series.forEach((value, index) => {
      if (isNumber(value)) {
        points.push([index, value]);
      }
    });
    if (points.length < 2) {
      return null;
    }
    const values = points.map((point) => point[1]);
    const low = Math.min(...values);
    const high = Math.max(...values);
    const width = 100;
    const height = 30;
    const last = Math.max(series.length - 1, 1);
    const xy = points.map(([index, value]) => {
      const x = (index / last) * width;
      const share = high === low ? 0.5 : (value - low) / (high - low);
      const y = height - 2 - share * (height - 4);
      return `${(RTL ? width - x : x).toFixed(2)},${y.toFixed(2)}`;
    });
    const svgNS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(svgNS, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("focusable", "false");
    const area = document.createElementNS(svgNS, "polygon");
    const first = xy[0].split(",")[0];
    const end = xy[xy.length - 1].split(",")[0];
    area.setAttribute("points", `${first},${height} ${xy.join(" ")} ${end},${height}`);
    const line = document.createElementNS(svgNS, "polyline");
    line.setAttribute("points", xy.join(" "));
    svg.append(area, line);
    return svg;
  }

  // --- the dashboard -----------------------------------------------------------------------
  class Dashboard {
    constructor(root) {
      this.root = root;
      this.data = readJSON("dashboard-data");
      this.form = root.querySelector("[data-filters]");
      this.urls = {
        data: root.dataset.urlData,
        export: root.dataset.urlExport,
        page: root.dataset.urlPage,
        indicator: root.dataset.urlIndicator,
        indicatorData: root.dataset.urlIndicatorData,
      };
      this.selected = null;
      this.mode = "single";
      this.request = 0;
      this.agencyRequest = 0;
      this.busy = false;
      this.chartsReady = setUpCharts(root);
      this.listen();
      this.render();
      window.setInterval(() => {
        if (document.visibilityState === "visible" && !this.busy) {
          this.reload({ quiet: true });
        }
      }, REFRESH_EVERY_MS);
    }

    // The filters as a query string. Dates the page filled in itself (the season so far)
    // are left out, so a bookmarked dashboard keeps following the season.
    query() {
      const params = new URLSearchParams();
      new FormData(this.form).forEach((value, name) => {
        const input = this.form.elements[name];
        const automatic = input && input.dataset && input.dataset.automatic === value;
        if (value !== "" && !automatic) {
          params.append(name, value);
        }
      });
      return params.toString();
    }

    withQuery(url, extra) {
      const query = [this.query(), extra].filter(Boolean).join("&");
      return query ? `${url}?${query}` : url;
    }

    indicatorUrl(template, id) {
      return template.replace(/\/0\/(data\/)?$/, `/${id}/$1`);
    }

    listen() {
      let timer = null;
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.reload();
      });
      this.form.addEventListener("change", (event) => {
        if (event.target.name === "season") {
          ["start", "end"].forEach((name) => {
            this.form.elements[name].value = "";
          });
        }
        this.updatePicker();
        window.clearTimeout(timer);
        timer = window.setTimeout(() => this.reload(), event.target.type === "checkbox" ? 600 : 0);
      });
      // The agency list folds away on a click elsewhere or Escape, as the site's menus do.
      const picker = this.form.querySelector("[data-picker]");
      if (picker) {
        document.addEventListener("click", (event) => {
          if (picker.open && !picker.contains(event.target)) {
            picker.open = false;
          }
        });
        picker.addEventListener("keydown", (event) => {
          if (event.key === "Escape" && picker.open) {
            picker.open = false;
            picker.querySelector("summary").focus();
          }
        });
      }
      const clear = this.form.querySelector("[data-picker-clear]");
      if (clear) {
        clear.addEventListener("click", () => {
          this.form.querySelectorAll("[data-picker] input[type=checkbox]").forEach((box) => {
            box.checked = false;
          });
          this.updatePicker();
          this.reload();
        });
      }
      const select = this.root.querySelector("[data-indicator-select]");
      if (select) {
        select.addEventListener("change", () => this.select(Number(select.value)));
      }
      this.root.querySelectorAll("[data-mode]").forEach((button) => {
        button.addEventListener("click", () => {
          this.mode = button.dataset.mode;
          this.root.querySelectorAll("[data-mode]").forEach((other) => {
            other.setAttribute("aria-pressed", String(other === button));
          });
          this.drawSeries();
        });
      });
    }

    status(message, isError) {
      const node = this.root.querySelector("[data-status]");
      if (node) {
        node.textContent = message || "";
        node.classList.toggle("sd-status--error", Boolean(isError));
      }
    }

    reload({ quiet = false } = {}) {
      const request = ++this.request;
      const query = this.query();
      this.busy = true;
      this.root.setAttribute("aria-busy", "true");
      if (!quiet) {
        this.status(LABELS.loading);
      }
      fetch(this.withQuery(this.urls.data), {
        headers: JSON_HEADERS,
        credentials: "same-origin",
      })
        .then((response) =>
          response.json().then((body) => {
            if (!response.ok) {
              throw body;
            }
            return body;
          }),
        )
        .then((data) => {
          if (request !== this.request) {
            return;
          }
          this.data = data;
          const address = query ? `${this.urls.page}?${query}` : this.urls.page;
          window.history.replaceState(null, "", address);
          this.status("");
          this.render();
        })
        .catch((body) => {
          if (request !== this.request) {
            return;
          }
          const errors = body && body.errors ? Object.values(body.errors).flat() : [];
          const messages = errors.map((error) => error.message).filter(Boolean);
          this.status(messages.length ? messages.join(" ") : LABELS.load_failed, true);
        })
        .finally(() => {
          if (request === this.request) {
            this.busy = false;
            this.root.removeAttribute("aria-busy");
          }
        });
    }

    indicator(id) {
      return this.data.indicators.find((indicator) => indicator.id === id);
    }

    render() {
      const data = this.data;
      if (!data || !data.season) {
        return;
      }
      if (!this.indicator(this.selected)) {
        const withFigures = data.indicators.find((indicator) => isNumber(indicator.tile.value));
        this.selected = (withFigures || data.indicators[0] || {}).id || null;
      }
      this.syncForm();
      this.renderSummary();
      this.renderTiles();
      this.fillSelect();
      this.drawSeries();
      this.loadAgencies();
      this.drawCategories();
      this.drawCompleteness();
    }

    syncForm() {
      const { period, season } = this.data;
      [
        ["start", period.start],
        ["end", period.end],
      ].forEach(([name, value]) => {
        const input = this.form.elements[name];
        if (!input.value || input.dataset.automatic === input.value) {
          input.value = value;
          input.dataset.automatic = period.is_season_to_date ? value : "";
        }
        input.min = season.starts_on;
        input.max = season.ends_on;
      });
      this.form.elements.season.value = String(season.id);
      this.updatePicker();
      const periodText = this.root.querySelector("[data-period]");
      if (periodText) {
        periodText.textContent = `${period.label}: ${period.start_label} – ${period.end_label}`;
      }
      this.root.querySelectorAll("[data-export]").forEach((link) => {
        link.href = this.withQuery(this.urls.export, `format=${link.dataset.export}`);
      });
    }

    updatePicker() {
      const summary = this.form.querySelector("[data-picker-summary]");
      if (!summary) {
        return;
      }
      const checked = [...this.form.querySelectorAll("[data-picker] input[type=checkbox]:checked")];
      if (checked.length === 0) {
        summary.textContent = LABELS.all_agencies;
      } else if (checked.length === 1) {
        summary.textContent = checked[0].closest("label").textContent.trim();
      } else {
        summary.textContent = say("agencies_chosen", { count: formatNumber(checked.length) });
      }
    }

    renderSummary() {
      const completeness = this.data.completeness;
      const set = (name, text) => {
        const node = this.root.querySelector(`[data-stat="${name}"]`);
        if (node) {
          node.textContent = text;
        }
      };
      ["completeness_rate", "on_time_rate"].forEach((name) => {
        set(name, formatPercent(completeness[name]));
        const meter = this.root.querySelector(`[data-meter="${name}"]`);
        if (meter) {
          meter.style.inlineSize = `${Math.round((completeness[name] || 0) * 100)}%`;
        }
      });
      set("received", formatNumber(completeness.on_time + completeness.late));
      set(
        "received_note",
        say("received_note", {
          expected: formatNumber(completeness.expected - completeness.pending),
          late: formatNumber(completeness.late),
          missing: formatNumber(completeness.missing),
        }),
      );
      const lastDay = this.data.last_day;
      set("last_day", lastDay ? lastDay.gregorian : "—");
      set("last_day_hijri", lastDay ? lastDay.hijri : "");
    }

    renderTiles() {
      const container = this.root.querySelector("[data-tiles]");
      if (!container) {
        return;
      }
      const byId = new Map(this.data.indicators.map((indicator) => [indicator.id, indicator]));
      const open = new Set(
        [...container.querySelectorAll("details[open]")].map((node) => node.dataset.category),
      );
      const categories = this.data.categories;
      container.replaceChildren();
      if (!categories.length) {
        container.appendChild(make("p", "sd-empty", LABELS.no_indicators));
        return;
      }
      categories.forEach((category, index) => {
        const node = fromTemplate("category");
        node.dataset.category = String(category.id);
        // Categories stay as the user left them; at first only the first one is open.
        const first = index === 0 || categories.length <= 2;
        node.open = open.size ? open.has(String(category.id)) : first;
        slot(node, "name").textContent = category.name;
        slot(node, "meta").textContent = say("category_meta", {
          count: formatNumber(category.indicator_count),
        });
        const rate = formatPercent(category.reporting_rate);
        slot(node, "rate").textContent = `${LABELS.reporting_rate}: ${rate}`;
        const list = slot(node, "tiles");
        category.indicator_ids.forEach((id) => list.appendChild(this.tile(byId.get(id))));
        container.appendChild(node);
      });
    }

    tile(indicator) {
      const node = fromTemplate("tile");
      const { tile } = indicator;
      const places = indicator.decimal_places;
      const link = slot(node, "link");
      link.href = this.withQuery(this.indicatorUrl(this.urls.indicator, indicator.id));
      link.title = LABELS.open_breakdown;
      slot(node, "name").textContent = indicator.name;
      slot(node, "value").textContent = formatNumber(tile.value, places);
      slot(node, "unit").textContent = indicator.unit;
      const change = slot(node, "change");
      if (isNumber(tile.change)) {
        const direction = tile.change > 0 ? "up" : tile.change < 0 ? "down" : "";
        if (direction) {
          change.classList.add(`sd-tile__change--${direction}`);
        }
        slot(node, "arrow").textContent = { up: "▲", down: "▼" }[direction] || "";
        const percent = isNumber(tile.change_pct)
          ? ` (${formatPercent(tile.change_pct / 100, true)})`
          : "";
        slot(node, "change-text").textContent = direction
          ? `${formatChange(tile.change, places)}${percent} ${LABELS.vs_previous}`
          : `${LABELS.no_change} ${LABELS.vs_previous}`;
      } else {
        slot(node, "change-text").textContent = isNumber(tile.value) ? "" : LABELS.no_figures;
      }
      const spark = sparkline(indicator.series);
      if (spark) {
        slot(node, "spark").appendChild(spark);
      }
      slot(node, "period-label").textContent = `${indicator.period_label}:`;
      slot(node, "period").textContent = formatNumber(tile.period_value, places);
      if (tile.expected_agencies) {
        slot(node, "reporting").textContent = say("reporting", {
          count: formatNumber(tile.reporting),
          total: formatNumber(tile.expected_agencies),
        });
      }
      const button = slot(node, "chart");
      button.setAttribute("aria-label", `${LABELS.draw}: ${indicator.name}`);
      button.setAttribute("aria-pressed", String(indicator.id === this.selected));
      button.dataset.indicator = String(indicator.id);
      button.addEventListener("click", () => {
        this.select(indicator.id);
        const title = this.root.querySelector("#sd-series-title");
        title.scrollIntoView({ behavior: "smooth", block: "start" });
      });
      return node;
    }

    select(id) {
      this.selected = id;
      this.root.querySelectorAll(".sd-tile__chart").forEach((button) => {
        button.setAttribute("aria-pressed", String(Number(button.dataset.indicator) === id));
      });
      const select = this.root.querySelector("[data-indicator-select]");
      if (select) {
        select.value = String(id);
      }
      this.drawSeries();
      this.loadAgencies();
    }

    fillSelect() {
      const select = this.root.querySelector("[data-indicator-select]");
      if (!select) {
        return;
      }
      const byId = new Map(this.data.indicators.map((indicator) => [indicator.id, indicator]));
      select.replaceChildren();
      this.data.categories.forEach((category) => {
        const group = document.createElement("optgroup");
        group.label = category.name;
        category.indicator_ids.forEach((id) => {
          const option = make("option", "", byId.get(id).name);
          option.value = String(id);
          group.appendChild(option);
        });
        select.appendChild(group);
      });
      select.disabled = !this.data.indicators.length;
      if (this.selected) {
        select.value = String(this.selected);
      }
    }

    drawSeries() {
      const indicator = this.indicator(this.selected);
      const single = this.root.querySelector("[data-series-single]");
      const multiples = this.root.querySelector("[data-series-multiples]");
      const meta = this.root.querySelector("[data-series-meta]");
      const tableBox = this.root.querySelector('[data-table="series"]');
      const days = this.data.days;
      forget("multiple-");
      if (!indicator) {
        charts.has("series") && charts.get("series").destroy();
        charts.delete("series");
        meta.textContent = LABELS.no_indicators;
        tableBox.replaceChildren();
        multiples.replaceChildren();
        return;
      }
      const unit = indicator.unit ? ` · ${indicator.unit}` : "";
      meta.textContent = `${indicator.category}${unit} · ${indicator.period_label}: ${formatNumber(
        indicator.tile.period_value,
        indicator.decimal_places,
      )}`;
      const showCategory = this.mode === "category";
      single.hidden = showCategory;
      multiples.hidden = !showCategory;
      if (!showCategory) {
        multiples.replaceChildren();
        draw(
          "series",
          single.querySelector("canvas"),
          {
            type: "line",
            data: {
              labels: axisLabels(days),
              datasets: [lineDataset(this.root, indicator.name, indicator.series)],
            },
            options: timeOptions(days, indicator.decimal_places),
          },
          `${indicator.name}: ${meta.textContent}`,
        );
        renderTable(
          tableBox,
          [...dayColumns(), { label: indicator.name, numeric: true }],
          days.map((day, index) => [
            day.gregorian,
            day.hijri,
            formatNumber(indicator.series[index], indicator.decimal_places),
          ]),
        );
        return;
      }
      const category = this.data.categories.find((item) => item.id === indicator.category_id);
      const members = category.indicator_ids.map((id) => this.indicator(id));
      multiples.replaceChildren();
      members.forEach((member) => {
        const figure = make("figure", "sd-multiple");
        figure.appendChild(make("figcaption", "", member.name));
        const box = make("div", "sd-chart");
        const canvas = document.createElement("canvas");
        canvas.setAttribute("role", "img");
        box.appendChild(canvas);
        figure.appendChild(box);
        multiples.appendChild(figure);
        draw(
          `multiple-${member.id}`,
          canvas,
          {
            type: "line",
            data: {
              labels: axisLabels(days),
              datasets: [lineDataset(this.root, member.name, member.series, true)],
            },
            options: timeOptions(days, member.decimal_places, { compact: true }),
          },
          member.name,
        );
      });
      renderTable(
        tableBox,
        [...dayColumns(), ...members.map((member) => ({ label: member.name, numeric: true }))],
        days.map((day, index) => [
          day.gregorian,
          day.hijri,
          ...members.map((member) => formatNumber(member.series[index], member.decimal_places)),
        ]),
      );
    }

    loadAgencies() {
      const indicator = this.indicator(this.selected);
      const meta = this.root.querySelector("[data-agencies-meta]");
      const link = this.root.querySelector("[data-breakdown-link]");
      const tableBox = this.root.querySelector('[data-table="agencies"]');
      if (!indicator) {
        link.hidden = true;
        meta.textContent = "";
        tableBox.replaceChildren();
        return;
      }
      link.hidden = false;
      link.href = this.withQuery(this.indicatorUrl(this.urls.indicator, indicator.id));
      meta.textContent = `${indicator.name} · ${indicator.period_label}`;
      const request = ++this.agencyRequest;
      fetch(this.withQuery(this.indicatorUrl(this.urls.indicatorData, indicator.id)), {
        headers: JSON_HEADERS,
        credentials: "same-origin",
      })
        .then((response) => (response.ok ? response.json() : Promise.reject(response)))
        .then((breakdown) => {
          if (request === this.agencyRequest) {
            const drawn = drawAgencies(
              this.root,
              breakdown,
              "agencies",
              this.root.querySelector('[data-chart="agencies"]'),
              TOP_AGENCIES,
            );
            const total = breakdown.agencies.length;
            meta.textContent = `${indicator.name} · ${indicator.period_label}`;
            if (drawn < total) {
              const shown = { count: formatNumber(drawn), total: formatNumber(total) };
              meta.textContent += ` · ${say("top_agencies", shown)}`;
            }
            renderTable(
              tableBox,
              [
                { label: LABELS.agency },
                { label: indicator.period_label, numeric: true },
                {
                  label: say("on_day", { day: breakdown.last_day.gregorian_short }),
                  numeric: true,
                },
              ],
              breakdown.agencies.map((row) => [
                row.name,
                formatNumber(row.period_value, indicator.decimal_places),
                formatNumber(row.last_value, indicator.decimal_places),
              ]),
            );
          }
        })
        .catch(() => {
          if (request === this.agencyRequest) {
            meta.textContent = LABELS.load_failed;
          }
        });
    }

    drawCategories() {
      const categories = this.data.categories;
      const box = this.root.querySelector("[data-categories-chart]");
      box.style.blockSize = barHeight(categories.length);
      draw(
        "categories",
        box.querySelector("canvas"),
        {
          type: "bar",
          data: {
            labels: categories.map((category) => category.name),
            datasets: [
              {
                label: LABELS.reporting_rate,
                data: categories.map((category) => category.reporting_rate),
                backgroundColor: cssValue(this.root, "--sd-chart-bar", "#0d5a43"),
                borderRadius: 4,
                maxBarThickness: 22,
              },
            ],
          },
          options: barOptions((value) => formatPercent(value), 1),
        },
        LABELS.reporting_rate,
      );
      renderTable(
        this.root.querySelector('[data-table="categories"]'),
        [
          { label: LABELS.category },
          { label: LABELS.indicators, numeric: true },
          { label: LABELS.figures_reported, numeric: true },
          { label: LABELS.figures_expected, numeric: true },
          { label: LABELS.reporting_rate, numeric: true },
        ],
        categories.map((category) => [
          category.name,
          formatNumber(category.indicator_count),
          formatNumber(category.reported),
          formatNumber(category.expected),
          formatPercent(category.reporting_rate),
        ]),
      );
    }

    drawCompleteness() {
      const { days } = this.data;
      const rows = this.data.completeness.days;
      const colour = (name, fallback) => cssValue(this.root, name, fallback);
      const series = [
        ["on_time", colour("--sd-primary", "#0b6b4f")],
        ["late", colour("--sd-late", "#c9a44c")],
        ["missing", colour("--sd-missing", "#b42318")],
        ["pending", colour("--sd-pending", "#98a2b3")],
      ];
      draw(
        "completeness",
        this.root.querySelector('[data-chart="completeness"]'),
        {
          type: "bar",
          data: {
            labels: axisLabels(days),
            datasets: series.map(([key, backgroundColor]) => ({
              label: LABELS[key],
              data: rows.map((row) => row[key]),
              backgroundColor,
              stack: "reports",
              maxBarThickness: 28,
            })),
          },
          options: timeOptions(days, 0, { stacked: true, legend: true }),
        },
        `${LABELS.completeness_rate}: ${formatPercent(this.data.completeness.completeness_rate)}`,
      );
      renderTable(
        this.root.querySelector('[data-table="completeness"]'),
        [
          ...dayColumns(),
          ...COMPLETENESS_KEYS.map((key) => ({
            label: LABELS[key],
            numeric: true,
          })),
        ],
        rows.map((row, index) => [
          days[index].gregorian,
          days[index].hijri,
          ...COMPLETENESS_KEYS.map((key) => formatNumber(row[key])),
        ]),
      );
    }
  }

  // Each agency's figure over the period, biggest first, at most `limit` of them (agencies
  // without figures are left out of the chart; the table lists every agency). How many bars.
  function drawAgencies(root, breakdown, key, canvas, limit) {
    const rows = breakdown.agencies.filter((row) => isNumber(row.period_value)).slice(0, limit);
    const places = breakdown.indicator.decimal_places;
    const box = canvas.parentElement;
    box.style.blockSize = barHeight(rows.length);
    draw(
      key,
      canvas,
      {
        type: "bar",
        data: {
          labels: rows.map((row) => row.name),
          datasets: [
            {
              label: breakdown.indicator.name,
              data: rows.map((row) => row.period_value),
              backgroundColor: cssValue(root, "--sd-chart-bar", "#0d5a43"),
              borderRadius: 4,
              maxBarThickness: 22,
            },
          ],
        },
        options: barOptions((value) => formatNumber(value, places)),
      },
      `${breakdown.indicator.name}: ${LABELS.agency}`,
    );
    return rows.length;
  }

  // --- the drill-down ------------------------------------------------------------------------
  function formatCells(root) {
    root.querySelectorAll("[data-number]").forEach((node) => {
      const raw = node.dataset.number;
      node.textContent = raw === "" ? "—" : formatNumber(Number(raw), Number(node.dataset.places));
    });
  }

  function sortable(table) {
    const body = table.tBodies[0];
    table.querySelectorAll("thead .sd-sort").forEach((button) => {
      const header = button.parentElement;
      const column = [...header.parentElement.children].indexOf(header);
      button.addEventListener("click", () => {
        const numeric = button.dataset.sort === "number";
        const current = header.getAttribute("aria-sort");
        let order;
        if (current === "none") {
          order = numeric ? "descending" : "ascending";
        } else {
          order = current === "ascending" ? "descending" : "ascending";
        }
        table.querySelectorAll("thead th").forEach((cell) => {
          cell.setAttribute("aria-sort", "none");
        });
        header.setAttribute("aria-sort", order);
        const sign = order === "ascending" ? 1 : -1;
        const collator = new Intl.Collator(LANGUAGE);
        const key = (row) => row.children[column].dataset.sortValue;
        const rows = [...body.rows].sort((a, b) => {
          const left = key(a);
          const right = key(b);
          if (!numeric) {
            return sign * collator.compare(left, right);
          }
          if (left === "" || right === "") {
            return (left === "") - (right === "");
          }
          return sign * (Number(left) - Number(right));
        });
        body.append(...rows);
      });
    });
  }

  function indicatorPage(root) {
    const breakdown = readJSON("indicator-data");
    formatCells(root);
    root.querySelectorAll("table[data-sortable]").forEach(sortable);
    if (!breakdown) {
      return;
    }
    const { days, indicator, total } = breakdown;
    if (setUpCharts(root)) {
      draw(
        "indicator-series",
        root.querySelector('[data-chart="indicator-series"]'),
        {
          type: "line",
          data: {
            labels: axisLabels(days),
            datasets: [lineDataset(root, LABELS.total, total.series)],
          },
          options: timeOptions(days, indicator.decimal_places),
        },
        `${indicator.name}: ${LABELS.total}`,
      );
      drawAgencies(
        root,
        breakdown,
        "indicator-agencies",
        root.querySelector('[data-chart="indicator-agencies"]'),
      );
    }
    const matrix = root.querySelector("[data-matrix]");
    if (matrix) {
      matrix.addEventListener(
        "toggle",
        () => {
          renderTable(
            matrix.querySelector('[data-table="matrix"]'),
            [
              { label: LABELS.agency },
              ...days.map((day) => ({
                label: `${day.gregorian_short} · ${day.hijri_short}`,
                numeric: true,
              })),
            ],
            breakdown.agencies.map((row) => [
              row.name,
              ...row.series.map((value) => formatNumber(value, indicator.decimal_places)),
            ]),
          );
        },
        { once: true },
      );
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const dashboard = document.querySelector("[data-dashboard]");
    if (dashboard && dashboard.querySelector("[data-filters]")) {
      new Dashboard(dashboard);
    }
    const drillDown = document.querySelector("[data-indicator-page]");
    if (drillDown) {
      indicatorPage(drillDown);
    }
  });
})();
