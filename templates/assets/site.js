/* 大字版 / 高对比度 / 打印本页 / the phone menu: progressive enhancement only; every page works without this file. */
(function () {
  "use strict";
  var KEY = "gkml-modes";
  var MODES = ["large", "contrast"];
  var root = document.documentElement;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(saved) ? saved.filter(function (m) { return MODES.indexOf(m) >= 0; }) : [];
    } catch (e) {
      return []; // storage blocked (private mode, strict settings): modes then last one page
    }
  }

  function save(active) {
    try { window.localStorage.setItem(KEY, JSON.stringify(active)); } catch (e) { /* see load() */ }
  }

  function apply(active) {
    MODES.forEach(function (mode) { root.classList.toggle("mode-" + mode, active.indexOf(mode) >= 0); });
  }

  apply(load()); // before first paint, so a remembered mode never flashes
  root.classList.add("js"); // the phone layout folds the columns behind the menu button only when it works

  function wireMenuButton(button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    function set(open) {
      button.setAttribute("aria-expanded", String(open));
      root.classList.toggle("nav-open", open);
    }
    button.hidden = false;
    button.addEventListener("click", function () { set(button.getAttribute("aria-expanded") !== "true"); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
    if (nav) { set(false); }
  }

  function wireModeButton(button) {
    var mode = button.getAttribute("data-mode");
    button.setAttribute("aria-pressed", String(load().indexOf(mode) >= 0));
    button.addEventListener("click", function () {
      var active = load().filter(function (m) { return m !== mode; });
      var on = button.getAttribute("aria-pressed") !== "true";
      if (on) { active.push(mode); }
      save(active);
      apply(active);
      button.setAttribute("aria-pressed", String(on));
    });
  }

  function wirePrintButton(button) {
    button.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-mode]"), wireModeButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), wirePrintButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-menu]"), wireMenuButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-tools]"), function (el) { el.hidden = false; });
  });
}());
