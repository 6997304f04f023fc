/* Conferences: roster marks without a reload, filtering by name as you type, counts that follow
   self check-ins. Every form works without this file; this only makes a hall of 150 faster. */
(function () {
  "use strict";
  var POLL_MS = 15000;
  var TAGS = { present: "lh-tag--done", excused: "lh-tag--yellow", absent: "lh-tag--red" };

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* The same folding as the server (learnhub.text.fold): no diacritics, lower case. */
  function fold(text) {
    return text.replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  function setCounts(counts) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-count]"), function (element) {
      var key = element.getAttribute("data-count");
      if (Object.prototype.hasOwnProperty.call(counts, key)) { element.textContent = String(counts[key]); }
    });
  }

  function setRow(row, status, detail) {
    if (row.getAttribute("data-status") === status) { return; }
    row.setAttribute("data-status", status);
    var label = "";
    Array.prototype.forEach.call(row.querySelectorAll("button[name=status]"), function (button) {
      var pressed = button.value === status;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      if (pressed) { label = button.textContent.trim(); }
    });
    var tag = row.querySelector("[data-mark-label]");
    if (tag && label) {
      tag.textContent = label;
      tag.className = "lh-tag " + (TAGS[status] || "lh-tag--grey");
    }
    var old = row.querySelector("[data-mark-detail]");
    if (old) { old.parentNode.removeChild(old); }
    if (detail && tag) {
      var span = document.createElement("span");
      span.className = "lh-caption";
      span.setAttribute("data-mark-detail", "");
      span.textContent = detail;
      tag.parentNode.appendChild(span);
    }
  }

  function announcer(root) {
    var box = root.querySelector("[data-roster-alert]");
    if (!box) {
      box = document.createElement("p");
      box.className = "lh-error-message";
      box.setAttribute("role", "alert");
      box.setAttribute("data-roster-alert", "");
      root.insertBefore(box, root.firstChild);
    }
    return box;
  }

  function enhanceForm(form, root) {
    var clicked = null;
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=status]");
      if (button) { clicked = button; }
    });
    form.addEventListener("submit", function (event) {
      var button = event.submitter || clicked;
      if (!button || !window.fetch || !window.FormData) { return; }  /* the ordinary POST will do */
      event.preventDefault();
      var row = form.closest("[data-member]");
      var data = new FormData(form);
      data.set("status", button.value);
      button.setAttribute("aria-busy", "true");
      fetch(form.getAttribute("action"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
        body: data
      }).then(function (response) {
        return response.json().then(function (json) {
          if (!response.ok) { throw new Error(json.error || ""); }
          return json;
        });
      }).then(function (json) {
        row.classList.remove("lh-roster__row--error");
        setRow(row, json.status, json.detail);
        setCounts(json.counts);
        var box = root.querySelector("[data-roster-alert]");
        if (box) { box.textContent = ""; }
      }).catch(function (error) {
        row.classList.add("lh-roster__row--error");
        announcer(root).textContent = (error && error.message) || root.getAttribute("data-error");
      }).then(function () {
        button.removeAttribute("aria-busy");
      });
    });
  }

  function enhanceFilter(input, rows) {
    input.addEventListener("input", function () {
      var words = fold(input.value).split(" ").filter(Boolean);
      rows.forEach(function (row) {
        var haystack = row.getAttribute("data-search") || "";
        row.hidden = !words.every(function (word) { return haystack.indexOf(word) !== -1; });
      });
    });
  }

  /* Self check-ins arrive while the organiser keeps the page open: follow them. */
  function follow(root, rows) {
    var url = root.getAttribute("data-state-url");
    if (!url || !window.fetch) { return; }
    var byId = {};
    rows.forEach(function (row) { byId[row.getAttribute("data-member")] = row; });
    window.setInterval(function () {
      if (document.visibilityState !== "visible") { return; }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (json) {
          if (!json) { return; }
          setCounts(json.counts);
          Object.keys(json.marks).forEach(function (id) {
            if (byId[id]) { setRow(byId[id], json.marks[id], ""); }
          });
        })
        .catch(function () { /* offline for a moment: the next poll will do */ });
    }, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector("[data-roster]");
    if (root) {
      var rows = Array.prototype.slice.call(root.querySelectorAll("[data-member]"));
      Array.prototype.forEach.call(root.querySelectorAll("[data-mark-form]"), function (form) {
        enhanceForm(form, root);
      });
      var filter = document.querySelector("[data-roster-filter]");
      if (filter) { enhanceFilter(filter, rows); }
      follow(root, rows);
    }
    var screen = document.querySelector("[data-screen]");
    if (screen) { follow(screen, []); }
  });
}());
