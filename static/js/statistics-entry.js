// The daily figures' entry screen (templates/statistics/portal/entry.html). The form works
// without this script; with it:
// - Enter moves on instead of submitting: from a figure to its comment when a comment is asked
//   for and still empty, otherwise to the next figure; from the last one to the first button.
//   Tab keeps its usual order (figure, comment, next figure).
// - Arabic-Indic and Persian digits and the Arabic decimal separator become Latin as they are
//   typed (the server accepts both; this only keeps what is on screen consistent).
// - Leaving the page with unsaved changes asks first.
// - After a refused save, the summary of problems takes the focus, and its links put the
//   cursor in the field they name.
(function () {
  "use strict";

  var form = document.querySelector("form[data-stat-entry]");
  if (!form) {
    return;
  }

  var LATIN = {
    "\u0660": "0", "\u0661": "1", "\u0662": "2", "\u0663": "3", "\u0664": "4",
    "\u0665": "5", "\u0666": "6", "\u0667": "7", "\u0668": "8", "\u0669": "9",
    "\u06f0": "0", "\u06f1": "1", "\u06f2": "2", "\u06f3": "3", "\u06f4": "4",
    "\u06f5": "5", "\u06f6": "6", "\u06f7": "7", "\u06f8": "8", "\u06f9": "9",
    "\u066b": ".", "\u066c": ","
  };

  // One character for one, so the cursor stays where it was.
  function latinDigits(input) {
    var before = input.value;
    var after = before.replace(/[\u0660-\u0669\u06f0-\u06f9\u066b\u066c]/g, function (ch) {
      return LATIN[ch];
    });
    if (after !== before) {
      var start = input.selectionStart;
      var end = input.selectionEnd;
      input.value = after;
      input.setSelectionRange(start, end);
    }
  }

  function figures() {
    return Array.prototype.slice.call(form.querySelectorAll("input[data-stat-value]"));
  }

  function nextField(current) {
    var row = current.closest("[data-stat-row]");
    var own = row ? row.querySelector("input[data-stat-value]") : null;
    if (current === own) {
      var comment = row.querySelector("input[data-stat-comment][aria-required='true']");
      if (comment && !comment.value.trim()) {
        return comment;
      }
    }
    var list = figures();
    return list[list.indexOf(own) + 1] || form.querySelector(".stat-actions button");
  }

  var dirty = false;

  form.addEventListener("input", function (event) {
    if (event.target.matches("input[data-stat-value]")) {
      latinDigits(event.target);
    }
    dirty = true;
  });

  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.isComposing || target.tagName !== "INPUT") {
      return;
    }
    event.preventDefault();
    var next = nextField(target);
    if (next) {
      next.focus();
      if (next.tagName === "INPUT") {
        next.select();
      }
    }
  });

  form.addEventListener("submit", function () {
    dirty = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
    });
  }
})();
