// Rifada's only script, and an optional one: every page works without it.
// - The <details> menus behave like menus: Escape or a click elsewhere closes them.
// - On narrow screens the public navigation folds behind the header's "Menu" button.
// - The share box copies the page's address, says so in its live region, and offers the
//   device's own share sheet where the browser has one.
// - The print button appears, since it needs the script to work.
(function () {
  "use strict";

  function openMenus() {
    return document.querySelectorAll("details[data-menu][open]");
  }

  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
    var toggle = document.querySelector("[data-nav-toggle][aria-expanded='true']");
    if (toggle) {
      setNavOpen(toggle, false);
      toggle.focus();
    }
  });

  // --- navigation ------------------------------------------------------------------------
  function setNavOpen(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    document.documentElement.classList.toggle("nav-is-open", open);
  }

  var navToggle = document.querySelector("[data-nav-toggle]");
  if (navToggle && document.querySelector("[data-nav]")) {
    // The stylesheet folds the navigation only once the button that unfolds it exists.
    document.documentElement.classList.add("has-nav-toggle");
    navToggle.hidden = false;
    navToggle.addEventListener("click", function () {
      setNavOpen(navToggle, navToggle.getAttribute("aria-expanded") !== "true");
    });
  }

  // --- sharing ---------------------------------------------------------------------------
  function say(root, message) {
    var status = root.querySelector("[data-share-status]");
    if (!status) {
      return;
    }
    // Empty first, so the same words said twice are announced twice.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message;
    }, 50);
  }

  function copyAddress(button) {
    var root = button.closest("[data-share-root]");
    var field = root.querySelector("input[readonly]");
    var done = function () {
      say(root, button.getAttribute("data-copied"));
    };
    var failed = function () {
      field.focus();
      field.select();
      say(root, button.getAttribute("data-copy-failed"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, failed);
      return;
    }
    field.focus();
    field.select();
    try {
      if (document.execCommand("copy")) {
        done();
        return;
      }
    } catch (error) {
      // Fall through: the address is selected for the reader to copy.
    }
    failed();
  }

  document.querySelectorAll("[data-share-root]").forEach(function (root) {
    var copy = root.querySelector("[data-share='copy']");
    if (copy) {
      copy.addEventListener("click", function () {
        copyAddress(copy);
      });
    }
    var field = root.querySelector("input[readonly]");
    if (field) {
      field.addEventListener("focus", function () {
        field.select();
      });
    }
    var native = root.querySelector("[data-share='native']");
    if (native && typeof navigator.share === "function") {
      native.closest("[hidden]").hidden = false;
      native.addEventListener("click", function () {
        navigator
          .share({ title: native.getAttribute("data-title"), url: native.getAttribute("data-url") })
          .catch(function () {
            // The reader closed the share sheet: nothing to do.
          });
      });
    }
  });

  // --- printing --------------------------------------------------------------------------
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
