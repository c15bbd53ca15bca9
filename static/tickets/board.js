// The operations board (tickets/room/board.html): open tickets with live countdowns, the
// counts per agency, and a map (or a list) of located tickets.
// - The page is complete as the server renders it; this script keeps it current by asking
//   the board's JSON endpoint every ~15 s (with the page's filters) and redrawing the rows,
//   the counts and the map. countdown.js ticks the clocks between two answers.
// - A failed request (network down, server restarting, signed out) leaves the last rows in
//   place, says "connection lost" with the time of the last answer, and tries again after
//   5 s, 10 s, 20 s … up to 2 minutes; the first answer that arrives puts things right.
// - The filters apply at once to the rows on screen, then to the next answer (asked for
//   immediately), and are written into the address so a reload or a wall screen keeps them.
// - Built to run for days on a wall screen: one timer, one request at a time, rows replaced
//   wholesale (the old ones become garbage), map markers kept per ticket and reused.
// - Text is only ever set with textContent; the markup comes from <template>s in the page.
(function () {
  "use strict";

  const root = document.querySelector("[data-board]");
  if (!root) {
    return;
  }

  const LANGUAGE = document.documentElement.lang || "ar";
  const LOCALE = `${LANGUAGE}-u-nu-latn`;
  const INTERVAL_MS = Number.parseInt(root.getAttribute("data-interval"), 10) || 15000;
  const REQUEST_TIMEOUT_MS = 10000;
  const RETRY_FIRST_MS = 5000;
  const RETRY_MAX_MS = 120000;
  const FILTERS = ["agency", "category", "priority", "zone"];

  function readJSON(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : {};
  }

  const CONFIG = readJSON("board-config");
  const LABELS = CONFIG.labels || {};

  function say(key, values) {
    let text = LABELS[key] || key;
    Object.entries(values || {}).forEach(([name, value]) => {
      text = text.replace(`%(${name})s`, value);
    });
    return text;
  }

  const timeFormat = new Intl.DateTimeFormat(LOCALE, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZone: CONFIG.time_zone || undefined,
  });
  const numberFormat = new Intl.NumberFormat(LOCALE);
  const coordinateFormat = new Intl.NumberFormat("en-u-nu-latn", {
    minimumFractionDigits: 5,
    maximumFractionDigits: 5,
  });

  // --- markup ----------------------------------------------------------------------------
  function fromTemplate(name) {
    const template = root.querySelector(`template[data-template="${name}"]`);
    return template.content.firstElementChild.cloneNode(true);
  }

  // Many rows at once (a wall screen may show thousands): through a fragment, not arguments.
  function replaceAll(parent, nodes) {
    const fragment = document.createDocumentFragment();
    nodes.forEach((node) => fragment.appendChild(node));
    parent.replaceChildren(fragment);
  }

  function slot(node, name) {
    return node.querySelector(`[data-slot="${name}"]`);
  }

  function fill(node, name, text) {
    const target = slot(node, name);
    if (target) {
      target.textContent = text || "";
    }
    return target;
  }

  function place(ticket) {
    return [ticket.zone, ticket.landmark].filter(Boolean).join(" · ");
  }

  function setCountdown(element, countdown) {
    element.setAttribute("dir", "ltr");
    if (!countdown) {
      element.removeAttribute("data-seconds");
      element.className = "countdown countdown--none";
      element.textContent = "—";
      return;
    }
    element.setAttribute("data-due", countdown.due);
    element.setAttribute("data-seconds", String(countdown.seconds));
    element.setAttribute("data-total", String(countdown.total));
    element.setAttribute("data-warning", String(countdown.warning));
    element.setAttribute("data-running", String(countdown.running));
    element.setAttribute("data-paused", String(countdown.paused));
    element.setAttribute("data-met", String(countdown.met));
    element.className = `countdown countdown--${countdown.tone}`;
    element.textContent = countdown.text;
  }

  function ticketRow(ticket) {
    const row = fromTemplate("ticket-row");
    row.setAttribute("data-ticket", String(ticket.id));
    FILTERS.forEach((name) => row.setAttribute(`data-${name}`, String(ticket[`${name}_id`] || "")));
    row.setAttribute("data-tone", ticket.countdown ? ticket.countdown.tone : "none");
    const link = fill(row, "reference", ticket.reference);
    link.href = ticket.url;
    const priority = fill(row, "priority", ticket.priority.name);
    priority.style.setProperty("--priority", ticket.priority.colour);
    fill(row, "category", ticket.category);
    fill(row, "agency", ticket.agency || say("unassigned"));
    fill(row, "place", place(ticket));
    fill(row, "status", ticket.status_label);
    slot(row, "reassign").hidden = !ticket.reassign_requested;
    fill(row, "clock", ticket.countdown ? say(ticket.countdown.target) : "");
    setCountdown(row.querySelector(".countdown"), ticket.countdown);
    return row;
  }

  function countRow(count, template) {
    const row = fromTemplate(template);
    if (count.name !== undefined) {
      fill(row, "name", count.name || say("unassigned"));
    }
    ["open", "breached", "awaiting"].forEach((key) => {
      const cell = fill(row, key, numberFormat.format(count[key]));
      if (key === "breached" && count[key] > 0) {
        cell.classList.add("room-count--alert");
      }
    });
    return row;
  }

  // --- filters ---------------------------------------------------------------------------
  const form = root.querySelector("[data-board-filters]");

  function currentFilters() {
    const values = {};
    if (form) {
      FILTERS.forEach((name) => {
        const field = form.elements.namedItem(name);
        if (field && field.value) {
          values[name] = field.value;
        }
      });
    }
    return values;
  }

  function query() {
    const params = new URLSearchParams(currentFilters());
    if (CONFIG.wall) {
      params.set("wall", "1");
    }
    return params.toString();
  }

  function applyFiltersToRows() {
    const values = currentFilters();
    let shown = 0;
    rowsBody.querySelectorAll("tr[data-ticket]").forEach((row) => {
      const match = Object.entries(values).every(
        ([name, value]) => row.getAttribute(`data-${name}`) === value,
      );
      row.hidden = !match;
      shown += match ? 1 : 0;
    });
    empty.hidden = shown > 0;
  }

  // --- the map, or the list of located tickets -------------------------------------------
  const mapNode = root.querySelector("[data-board-map]");
  const locatedList = root.querySelector("[data-board-located]");
  const markers = new Map(); // ticket id → Leaflet circle marker
  let map = null;
  let markerLayer = null;
  let framed = false;

  function toneColour(tone) {
    const style = window.getComputedStyle(mapNode);
    return style.getPropertyValue(`--tone-${tone}`).trim() || "#4a5565";
  }

  function popupContent(ticket) {
    const box = fromTemplate("map-popup");
    const link = fill(box, "reference", ticket.reference);
    link.href = ticket.url;
    fill(box, "category", ticket.category);
    fill(box, "agency", ticket.agency || say("unassigned"));
    fill(box, "place", place(ticket));
    fill(box, "time", ticket.countdown ? ticket.countdown.text : "");
    return box;
  }

  function setUpMap() {
    if (!mapNode || !CONFIG.map || !CONFIG.map.tiles || typeof window.L === "undefined") {
      return;
    }
    const L = window.L;
    map = L.map(mapNode, { scrollWheelZoom: false }).setView(CONFIG.map.center, CONFIG.map.zoom);
    L.tileLayer(CONFIG.map.tiles, {
      attribution: CONFIG.map.attribution || "",
      maxZoom: 19,
    }).addTo(map);
    markerLayer = L.layerGroup().addTo(map);
  }

  function drawMap(located) {
    if (!map) {
      return;
    }
    const seen = new Set();
    located.forEach((ticket) => {
      seen.add(ticket.id);
      const tone = ticket.countdown ? ticket.countdown.tone : "none";
      const colour = toneColour(tone);
      const style = { color: colour, fillColor: colour, fillOpacity: 0.8, radius: 9, weight: 2 };
      let marker = markers.get(ticket.id);
      if (marker) {
        marker.setLatLng([ticket.lat, ticket.lng]);
        marker.setStyle(style);
      } else {
        marker = window.L.circleMarker([ticket.lat, ticket.lng], style).addTo(markerLayer);
        markers.set(ticket.id, marker);
      }
      marker.bindPopup(popupContent(ticket));
    });
    markers.forEach((marker, id) => {
      if (!seen.has(id)) {
        markerLayer.removeLayer(marker);
        markers.delete(id);
      }
    });
    // The first time there is something to show, frame it; after that the operator's own
    // panning and zooming are left alone.
    if (!framed && markers.size > 0) {
      framed = true;
      const points = [...markers.values()].map((marker) => marker.getLatLng());
      map.fitBounds(window.L.latLngBounds(points), {
        maxZoom: 16,
        padding: [24, 24],
      });
    }
  }

  function drawLocatedList(located) {
    if (!locatedList) {
      return;
    }
    const items = located.map((ticket) => {
      const item = fromTemplate("located-item");
      item.setAttribute("data-tone", ticket.countdown ? ticket.countdown.tone : "none");
      const link = fill(item, "reference", ticket.reference);
      link.href = ticket.url;
      fill(item, "category", ticket.category);
      fill(item, "place", place(ticket));
      fill(
        item,
        "coordinates",
        `${coordinateFormat.format(ticket.lat)}, ${coordinateFormat.format(ticket.lng)}`,
      );
      return item;
    });
    replaceAll(locatedList, items);
    const none = root.querySelector("[data-board-located-empty]");
    if (none) {
      none.hidden = items.length > 0;
    }
  }

  // --- drawing an answer -----------------------------------------------------------------
  const rowsBody = root.querySelector("[data-board-rows]");
  const empty = root.querySelector("[data-board-empty]");
  const countsBody = root.querySelector("[data-board-counts]");
  const totalsRow = root.querySelector("[data-board-totals]");

  const more = root.querySelector("[data-board-more]");

  function draw(data) {
    replaceAll(rowsBody, data.tickets.map(ticketRow));
    if (more) {
      more.hidden = data.shown >= data.total;
      more.textContent = more
        .getAttribute("data-template")
        .replace("{shown}", numberFormat.format(data.shown))
        .replace("{total}", numberFormat.format(data.total));
    }
    applyFiltersToRows();
    window.RifadaCountdown.scan(rowsBody);

    replaceAll(countsBody, data.counts.agencies.map((count) => countRow(count, "count-row")));
    replaceAll(totalsRow, [...countRow(data.counts.total, "total-row").children]);

    root.querySelectorAll("[data-board-total]").forEach((node) => {
      const key = node.getAttribute("data-board-total");
      node.textContent = numberFormat.format(data.counts.total[key]);
    });

    const located = data.tickets.filter((ticket) => ticket.lat !== null && ticket.lng !== null);
    drawMap(located);
    drawLocatedList(located);
  }

  // --- polling ---------------------------------------------------------------------------
  // The status line and the wall-screen links sit in the page's header, outside the board.
  const updated = document.querySelector("[data-board-updated]");
  const connection = document.querySelector("[data-board-connection]");
  let timer = null;
  let inFlight = null;
  let failures = 0;

  function showConnection(ok, message) {
    root.classList.toggle("is-offline", !ok);
    connection.hidden = ok;
    if (!ok && connection.textContent !== message) {
      connection.textContent = message;
    }
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, delay);
  }

  function retryDelay() {
    const base = Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), RETRY_MAX_MS);
    return base * (0.8 + Math.random() * 0.4); // several screens do not retry in step
  }

  function refresh() {
    if (inFlight) {
      inFlight.abort();
    }
    const controller = new AbortController();
    inFlight = controller;
    const timeout = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const url = `${root.getAttribute("data-url")}?${query()}`;
    fetch(url, {
      headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
    })
      .then((response) => {
        const json = (response.headers.get("Content-Type") || "").includes("application/json");
        if (!response.ok || !json) {
          const signedOut = response.redirected || response.status === 401 || response.status === 403;
          throw new Error(signedOut ? "signed_out" : "failed");
        }
        return response.json();
      })
      .then((data) => {
        if (inFlight !== controller) {
          return; // filters changed meanwhile: a newer request is on its way
        }
        draw(data);
        failures = 0;
        updated.textContent = say("updated", { time: timeFormat.format(new Date()) });
        showConnection(true, "");
        schedule(INTERVAL_MS);
      })
      .catch((error) => {
        if (inFlight !== controller) {
          return;
        }
        failures += 1;
        const key = error && error.message === "signed_out" ? "signed_out" : "offline";
        showConnection(false, say(key));
        schedule(retryDelay());
      })
      .finally(() => {
        window.clearTimeout(timeout);
        if (inFlight === controller) {
          inFlight = null;
        }
      });
  }

  if (form) {
    form.addEventListener("change", () => {
      applyFiltersToRows();
      const address = `${window.location.pathname}${query() ? `?${query()}` : ""}`;
      window.history.replaceState(null, "", address);
      document.querySelectorAll("[data-keep-query]").forEach((link) => {
        const base = link.getAttribute("href").split("?")[0];
        const params = new URLSearchParams(currentFilters());
        if (link.hasAttribute("data-wall")) {
          params.set("wall", "1");
        }
        link.setAttribute("href", params.toString() ? `${base}?${params}` : base);
      });
      refresh();
    });
    // The button is for pages without this script.
    form.querySelectorAll("[data-board-apply]").forEach((button) => {
      button.hidden = true;
    });
  }

  // A screen woken from sleep, or a tab brought back, asks at once rather than wait.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && !inFlight) {
      refresh();
    }
  });
  window.addEventListener("online", () => {
    if (!inFlight) {
      refresh();
    }
  });

  // The rows, counts and list arrive rendered; only the map's markers come from the page's
  // JSON, which is then dropped rather than kept for the page's lifetime.
  setUpMap();
  const located = document.getElementById("board-located");
  if (located) {
    drawMap(JSON.parse(located.textContent));
    located.remove();
  }
  applyFiltersToRows();
  updated.textContent = say("updated", { time: timeFormat.format(new Date()) });
  schedule(INTERVAL_MS);
})();
