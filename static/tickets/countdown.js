// Live countdowns for incident tickets (the operations board, the ticket pages, the agency
// portal's queue). The contract, shared by every page that shows a clock:
//
//   <span class="countdown countdown--ok" dir="ltr" data-due="2026-05-20T14:00:00+03:00"
//         data-seconds="3600" data-total="7200" data-warning="0.75" data-running="true"
//         data-paused="false" data-met="false">01:00:00</span>
//
// - `data-seconds` is the time left when the server rendered the element (negative once the
//   deadline has passed); the script counts down from it with the page's monotonic clock
//   (performance.now()), so a changed wall clock or a slow machine never makes it drift.
// - It ticks only while `data-running` is "true" (business time is passing) and the clock is
//   neither paused nor met; otherwise it shows the time where it stands.
// - The text is "HH:MM:SS", or "−HH:MM:SS" once breached; the class is one of
//   countdown--ok, --warning (from `data-warning` of the time used), --breached, --paused,
//   --done. The server renders the same text and class: that is the no-JS fallback.
// - One timer serves every countdown on the page. Elements removed from the page are dropped
//   at the next tick, so a page that replaces its rows for hours keeps no dead references.
// - `window.RifadaCountdown.scan(root)` binds (or re-binds, after their data changed) the
//   countdowns inside `root`; pages that replace HTML call it once the new HTML is in the
//   page (an element not in the page at the next tick is let go).
(function () {
  "use strict";

  const TONES = ["ok", "warning", "breached", "paused", "done"];
  const TICK_MS = 1000;
  const MINUS = "\u2212";

  const ticking = new Set(); // elements whose clock runs
  const state = new WeakMap(); // element → {seconds, startedAt, total, warning}
  let timer = null;

  function pad(number) {
    return number < 10 ? `0${number}` : String(number);
  }

  function format(seconds) {
    const whole = Math.abs(Math.trunc(seconds));
    const hours = Math.floor(whole / 3600);
    const minutes = Math.floor((whole % 3600) / 60);
    const text = `${pad(hours)}:${pad(minutes)}:${pad(whole % 60)}`;
    return seconds < 0 ? MINUS + text : text;
  }

  function toneOf(seconds, total, warning, paused, met) {
    if (met) {
      return "done";
    }
    if (paused) {
      return "paused";
    }
    if (seconds < 0) {
      return "breached";
    }
    if (total > 0 && warning > 0 && 1 - seconds / total >= warning) {
      return "warning";
    }
    return "ok";
  }

  function number(value, fallback) {
    const parsed = Number.parseFloat(value);
    return Number.isFinite(parsed) ? parsed : fallback;
  }

  function flag(element, name) {
    return element.getAttribute(`data-${name}`) === "true";
  }

  // The instant of the last whole tick: every clock counts from the same grid, so all the
  // countdowns on a page change together and a tick never lands twice in one second.
  function gridNow() {
    const now = performance.now();
    return now - (now % TICK_MS);
  }

  function paint(element, seconds, tone) {
    const text = format(seconds);
    if (element.textContent !== text) {
      element.textContent = text;
    }
    const wanted = `countdown--${tone}`;
    if (!element.classList.contains(wanted)) {
      TONES.forEach((name) => element.classList.remove(`countdown--${name}`));
      element.classList.add(wanted);
    }
  }

  function secondsLeft(entry, now) {
    return entry.seconds - Math.round((now - entry.startedAt) / TICK_MS);
  }

  function tick() {
    const now = gridNow();
    ticking.forEach((element) => {
      if (!element.isConnected) {
        ticking.delete(element);
        return;
      }
      const entry = state.get(element);
      const seconds = secondsLeft(entry, now);
      paint(element, seconds, toneOf(seconds, entry.total, entry.warning, false, false));
    });
    schedule();
  }

  function schedule() {
    if (ticking.size === 0) {
      timer = null;
      return;
    }
    // Aimed at the next whole tick of the monotonic clock, so the delays never add up.
    const now = performance.now();
    timer = window.setTimeout(tick, TICK_MS - (now % TICK_MS) + 5);
  }

  function bind(element) {
    const seconds = Math.trunc(number(element.getAttribute("data-seconds"), Number.NaN));
    if (!Number.isFinite(seconds)) {
      ticking.delete(element);
      return; // nothing to count: the server's text stays
    }
    const total = number(element.getAttribute("data-total"), 0);
    const warning = number(element.getAttribute("data-warning"), 0.75);
    const paused = flag(element, "paused");
    const met = flag(element, "met");
    const runs = flag(element, "running") && !paused && !met;
    state.set(element, { seconds, startedAt: gridNow(), total, warning });
    paint(element, seconds, toneOf(seconds, total, warning, paused, met));
    if (runs) {
      ticking.add(element);
    } else {
      ticking.delete(element);
    }
  }

  function scan(root) {
    const scope = root || document;
    if (scope.nodeType === 1 && scope.matches(".countdown")) {
      bind(scope);
    }
    scope.querySelectorAll(".countdown").forEach(bind);
    if (timer === null) {
      schedule();
    }
  }

  // A hidden tab's timers are slowed down by the browser; catch up at once when it is shown.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && timer !== null) {
      window.clearTimeout(timer);
      tick();
    }
  });

  window.RifadaCountdown = { scan, format, tone: toneOf };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => scan(document));
  } else {
    scan(document);
  }
})();
