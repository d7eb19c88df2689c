// Reformstyr's page behaviour: htmx with CSRF, form errors swapped in, feedback where the eye is,
// and Plotly charts.
// No inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // The result of an action, in the live region fixed at the foot of the viewport: in view
  // wherever the person is on a long page. The next action clears it.
  function showFlash(message, kind) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    flash.innerHTML = "";
    var box = document.createElement("div");
    box.className = "notice notice--" + (kind || "error");
    box.setAttribute("role", kind === "ok" ? "status" : "alert");
    box.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "flash__close link-button";
    close.textContent = "Luk";
    box.appendChild(close);
    flash.appendChild(box);
  }

  // A refusal of an htmx action (403, 404, 409 answered by the server's error handler) beside
  // the control that asked; the page around it is left as it was.
  function showBeside(elt, message) {
    var anchor = elt.closest("form") || elt;
    if (!anchor.isConnected || /^(TR|TBODY|THEAD|TABLE)$/.test(anchor.tagName)) {
      showFlash(message, "error");
      return;
    }
    var box = document.createElement("p");
    box.className = "notice notice--error feedback";
    box.setAttribute("role", "alert");
    box.textContent = message;
    anchor.insertAdjacentElement("afterend", box);
  }

  function clearFeedback() {
    document.querySelectorAll(".feedback").forEach(function (el) { el.remove(); });
    var flash = document.getElementById("flash");
    if (flash) flash.innerHTML = "";
  }

  // A refused form's error summary takes focus (and so scrolls into view), once.
  function focusErrors() {
    var summary = document.querySelector("[data-error-summary]:not([data-focused])");
    if (!summary) return;
    summary.setAttribute("data-focused", "true");
    summary.focus();
  }

  // A table wider than its box scrolls inside it; a keyboard must reach it to scroll it
  // (WCAG 2.1.1), so such a box takes focus. One that fits takes none: no extra tab stops.
  function markScrollable() {
    document.querySelectorAll(".table-wrap, .risks-table-wrap, .stakeholders-scroll").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }

  function drawCharts(root) {
    if (!window.Plotly) return;
    (root || document).querySelectorAll("[data-plotly-source]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-plotly-source"));
      if (!source || el.dataset.drawn) return;
      var figure = JSON.parse(source.textContent);
      var config = Object.assign({ responsive: true, displaylogo: false, locale: "da" }, figure.config || {});
      window.Plotly.newPlot(el, figure.data, figure.layout, config).then(function () {
        el.dataset.drawn = "true";
        el.dispatchEvent(new CustomEvent("chart:drawn", { bubbles: true }));
      });
    });
  }
  window.reformstyrDrawCharts = drawCharts;

  // A page loaded at an #anchor scrolls there after DOMContentLoaded: the summary keeps focus.
  window.addEventListener("load", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) summary.focus();
  });

  // The project's »Menu« (a <details>, base.html) is open wherever its summary is hidden (from
  // 900px), so the areas are in the accessibility tree there too; app.css shows them without
  // JavaScript. On a phone it stays as the person left it.
  function openWideMenu() {
    var menu = document.querySelector(".project-nav__menu");
    if (menu && window.matchMedia("(min-width: 900px)").matches) menu.open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    openWideMenu();
    window.matchMedia("(min-width: 900px)").addEventListener("change", openWideMenu);
    drawCharts(document);
    markScrollable();
    window.addEventListener("resize", markScrollable);
    focusErrors();
    document.addEventListener("click", function (event) {
      if (event.target.closest(".flash__close")) clearFeedback();
    });
    if (!window.htmx) return;
    // Form errors (422) and edit conflicts (409) come back as HTML to swap in, like a success.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(409|422)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
    ];
    document.body.addEventListener("htmx:configRequest", function (event) {
      event.detail.headers["X-CSRF-Token"] = csrfToken();
    });
    document.body.addEventListener("htmx:beforeRequest", clearFeedback);
    document.body.addEventListener("failed", function (event) {
      showBeside(event.target, event.detail.value);
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      var xhr = event.detail.xhr;
      if ((xhr.getResponseHeader("HX-Trigger") || "").indexOf('"failed"') !== -1) return;
      var text = "Ændringen kunne ikke gemmes (" + xhr.status + ").";
      if (xhr.status === 403) text = "Du har ikke adgang til at ændre dette.";
      if (xhr.status === 404) text = "Posten findes ikke længere.";
      showFlash(text, "error");
    });
    // After settling: htmx restores attributes of same-id elements after the swap, which would
    // strip what Plotly adds if we drew on afterSwap.
    document.body.addEventListener("htmx:afterSettle", function (event) {
      drawCharts(event.target);
      markScrollable();
      focusErrors();
    });
    document.body.addEventListener("flash", function (event) { showFlash(event.detail.value, "ok"); });
  });
})();
