/* PrimeNews: the little script there is. The site works without it; it adds a theme
   toggle, native sharing and copy-link, and the analytics consent banner's memory.
   It stores only two things, in localStorage (never a cookie): the theme and the
   analytics choice. It talks to nothing but this site. */
(function () {
  "use strict";
  var root = document.documentElement;
  var THEME = "primenews-theme";
  var CONSENT = "primenews-analytics";

  function load(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode */ }
  }

  var saved = load(THEME);
  if (saved === "dark" || saved === "light") { root.setAttribute("data-theme", saved); }

  function isDark() {
    var set = root.getAttribute("data-theme");
    if (set) { return set === "dark"; }
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  function setupTheme() {
    var button = document.querySelector("[data-theme-toggle]");
    if (!button) { return; }
    // an icon button: its name ("Dark theme") stays; aria-pressed says whether it is on
    function show() {
      button.setAttribute("aria-pressed", isDark() ? "true" : "false");
    }
    button.hidden = false;
    show();
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      save(THEME, next);
      show();
    });
  }

  function setupShare() {
    var box = document.querySelector("[data-share]");
    if (!box) { return; }
    var url = box.getAttribute("data-url");
    var title = box.getAttribute("data-title");
    var native = box.querySelector("[data-share-native]");
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () { /* dismissed */ });
      });
    }
    var copy = box.querySelector("[data-copy-link]");
    var status = box.querySelector("[data-copy-status]");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(function () {
          if (status) { status.textContent = "Link copied."; }
        }, function () {
          if (status) { status.textContent = "Could not copy; the link is below."; }
        });
      });
    }
  }

  function countView() {
    window.fetch("/analytics/view", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ path: window.location.pathname, consent: true }),
      credentials: "omit",
      keepalive: true
    }).catch(function () { /* not counted */ });
  }

  function setupConsent() {
    var banner = document.querySelector("[data-consent]");
    if (!banner) { return; }
    var choice = load(CONSENT);
    if (choice === "accept" || choice === "reject") {
      banner.hidden = true;
      if (choice === "accept") { countView(); }
      return;
    }
    var picked = "reject";
    var buttons = banner.querySelectorAll("button[name=choice]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function () { picked = button.value; });
    });
    banner.addEventListener("submit", function (event) {
      event.preventDefault();
      save(CONSENT, picked === "accept" ? "accept" : "reject");
      banner.hidden = true;
      if (picked === "accept") { countView(); }
    });
  }

  setupTheme();
  setupShare();
  setupConsent();
}());
