/* 大字版 / 高对比度 / 打印本页 / the phone menu: progressive enhancement only; every page works without this file. */
(function () {
  "use strict";
  var KEY = "gkml-modes";
  var MODES = ["large", "xlarge", "contrast"];
  var SIZES = ["large", "xlarge"]; // 大字版 and 特大 are steps of one setting: choosing one drops the other
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

  /* 标准 (data-mode="") is pressed when no text size is chosen; pressing a chosen size again goes back to it. */
  function pressed(mode, active) {
    if (mode) { return active.indexOf(mode) >= 0; }
    return !active.some(function (m) { return SIZES.indexOf(m) >= 0; });
  }

  function choose(mode, active) {
    var on = !pressed(mode, active);
    var dropped = (mode === "" || SIZES.indexOf(mode) >= 0) ? SIZES : [mode];
    var next = active.filter(function (m) { return dropped.indexOf(m) < 0; });
    if (on && mode) { next.push(mode); }
    return next;
  }

  function wireModeButton(button, buttons) {
    var mode = button.getAttribute("data-mode");
    button.addEventListener("click", function () {
      var active = choose(mode, load());
      save(active);
      apply(active);
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(pressed(b.getAttribute("data-mode"), active))); });
    });
    button.setAttribute("aria-pressed", String(pressed(mode, load())));
  }

  function wirePrintButton(button) {
    button.addEventListener("click", function () { window.print(); });
  }

  /* 公共清单: the filter box keeps the rows that hold every word typed (case ignored) and says how many are left. */
  function wireListFilter(box) {
    var section = box.closest("[data-list]");
    var input = box.querySelector("input");
    var count = box.querySelector("[data-list-count]");
    var none = section.querySelector("[data-list-none]");
    var rows = Array.prototype.slice.call(section.querySelectorAll("tbody tr"));
    var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
    var timer = null;
    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row, i) {
        var keep = words.every(function (word) { return texts[i].indexOf(word) >= 0; });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      none.hidden = shown > 0;
      count.textContent = words.length ? "显示 " + shown + " 项，共 " + rows.length + " 项" : "共 " + rows.length + " 项";
    }
    box.hidden = false;
    count.textContent = "共 " + rows.length + " 项";
    // Announced once typing pauses, not after every character.
    input.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(apply, 250); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var modeButtons = Array.prototype.slice.call(document.querySelectorAll("[data-mode]"));
    modeButtons.forEach(function (button) { wireModeButton(button, modeButtons); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), wirePrintButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-menu]"), wireMenuButton);
    Array.prototype.forEach.call(document.querySelectorAll("[data-tools]"), function (el) { el.hidden = false; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-list-filter]"), wireListFilter);
  });
}());
