/* LearnHub: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  var HEARTBEAT_MS = 30000;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* Reading time: while a lesson is on screen, tell the server every 30 seconds. Without a
     connection the beats wait in offline.js and are sent as one stretch when it returns. */
  function startHeartbeat(article) {
    var url = article.getAttribute("data-heartbeat-url");
    var offline = window.LearnHubOffline;
    var offlineUrl = article.getAttribute("data-offline-reading-url");
    var title = (document.querySelector("h1") || document).textContent.trim();
    var lastHeard = new Date();  /* the last moment the server knew the lesson was on screen */
    var stretch = null;
    function beatOffline(close) {
      if (!offline) { return; }
      if (!stretch) { stretch = offline.startReading(offlineUrl, lastHeard, title); }
      offline.addBeat(stretch, new Date(), close);
    }
    function beat() {
      if (document.visibilityState !== "visible") { return; }
      if (!navigator.onLine) { beatOffline(false); return; }
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (r) {
        if (r.ok && !stretch) { lastHeard = new Date(); }
      }).catch(function () { beatOffline(false); });
    }
    window.setInterval(beat, HEARTBEAT_MS);
    /* Opened from the phone's copy, or the connection drops: the stretch starts when the server last heard. */
    if (offline && !navigator.onLine) { stretch = offline.startReading(offlineUrl, lastHeard, title); }
    window.addEventListener("offline", function () {
      if (offline && !stretch) { stretch = offline.startReading(offlineUrl, lastHeard, title); }
    });
    window.addEventListener("online", function () {
      if (!stretch) { return; }
      beatOffline(true);
      stretch = null;
      lastHeard = new Date();
      offline.flush();
    });
    window.addEventListener("pagehide", function () {
      if (stretch || !navigator.onLine) { beatOffline(true); }
    });
  }

  /* Large uploads: show how far the file has gone, then that the server is checking it. */
  function enhanceUpload(form) {
    var box = form.querySelector(".lh-upload-progress");
    if (!box || !window.FormData || !window.XMLHttpRequest) { return; }
    var bar = box.querySelector("progress");
    var label = box.querySelector(".lh-progress-label");
    form.addEventListener("submit", function (event) {
      var input = form.querySelector('input[type="file"]');
      if (!input || !input.files || !input.files.length) { return; }  /* let the server say so */
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) { return; }
        var percent = Math.round(100 * e.loaded / e.total);
        bar.value = percent;
        label.textContent = label.getAttribute("data-uploading").replace("%s", percent).replace("%%", "%");
      });
      xhr.upload.addEventListener("load", function () {
        bar.removeAttribute("value");
        label.textContent = label.getAttribute("data-processing");
      });
      xhr.addEventListener("load", function () {
        /* Show whatever the server answered (the preview, or the form with its errors). */
        if (xhr.responseURL && xhr.responseURL !== window.location.href) {
          window.history.replaceState(null, "", xhr.responseURL);
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () { form.submit(); });
      box.hidden = false;
      form.querySelector('button[type="submit"]').disabled = true;
      xhr.send(new FormData(form));
    });
  }

  /* The quiz: save each answer as it changes, count what is answered, show the time left.
     The server keeps the time and grades; this only helps the member see where they are. */
  function questionResponse(fieldset) {
    /* Each question kind says how its answer reads (data-shape), so this knows no kind by name. */
    var shape = fieldset.getAttribute("data-shape");
    if (shape === "many") {
      return Array.prototype.map.call(fieldset.querySelectorAll("input:checked"), function (i) { return i.value; });
    }
    if (shape === "map") {
      var pairs = {};
      Array.prototype.forEach.call(fieldset.querySelectorAll("select"), function (select) {
        pairs[select.name.split("-").pop()] = select.value;
      });
      return pairs;
    }
    if (shape === "list") {
      return Array.prototype.map.call(fieldset.querySelectorAll("select"), function (select) { return select.value; });
    }
    if (shape === "text") {
      return fieldset.querySelector("input").value;
    }
    var checked = fieldset.querySelector("input:checked");
    return checked ? checked.value : null;
  }

  function isAnswered(fieldset) {
    var response = questionResponse(fieldset);
    if (response === null || response === "") { return false; }
    if (Array.isArray(response)) { return response.some(function (v) { return v !== ""; }); }
    if (typeof response === "object") {
      return Object.keys(response).some(function (k) { return response[k] !== ""; });
    }
    return true;
  }

  function enhanceQuiz(form) {
    var url = form.getAttribute("data-autosave-url");
    var state = document.querySelector("[data-save-state]");
    var answered = document.querySelector("[data-answered]");
    var fieldsets = form.querySelectorAll("fieldset[data-qid]");
    var submitting = false;

    function count() {
      answered.textContent = Array.prototype.filter.call(fieldsets, isAnswered).length;
    }

    /* One save per question at a time: a change made while one is on its way is sent after it, so
       quick changes (several lists of one question) never race and the last one is what is kept. */
    function save(fieldset) {
      if (fieldset.saving) { fieldset.pending = true; return; }
      fieldset.saving = true;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({ qid: fieldset.getAttribute("data-qid"), response: questionResponse(fieldset) })
      }).then(function (r) {
        state.textContent = form.getAttribute(r.ok ? "data-saved-text" : "data-offline-text");
        if (window.LearnHubOffline) { window.LearnHubOffline.dropAnswer(url, fieldset.getAttribute("data-qid")); }
      }).catch(function () {
        state.textContent = form.getAttribute("data-offline-text");
        /* No connection: the answer waits in offline.js and goes to this same address when it returns. */
        if (window.LearnHubOffline) {
          var label = Array.prototype.indexOf.call(fieldsets, fieldset) + 1;
          state.textContent = window.LearnHubOffline.queueAnswer(
            url, fieldset.getAttribute("data-qid"), questionResponse(fieldset), label);
        }
      }).then(function () {
        fieldset.saving = false;
        if (fieldset.pending) { fieldset.pending = false; save(fieldset); }
      });
    }

    Array.prototype.forEach.call(fieldsets, function (fieldset) {
      var timer = null;
      fieldset.addEventListener("change", function () { count(); save(fieldset); });
      fieldset.addEventListener("input", function (e) {
        if (e.target.type !== "text") { return; }
        count();
        window.clearTimeout(timer);
        timer = window.setTimeout(function () { save(fieldset); }, 800);
      });
    });
    /* Answers that waited offline have been sent: say what is left (the box above names any refused). */
    document.addEventListener("learnhub:sent", function (e) {
      state.textContent = e.detail || form.getAttribute("data-saved-text");
    });
    form.addEventListener("submit", function (e) {
      if (submitting) { e.preventDefault(); return; }  /* a double tap sends once */
      submitting = true;
    });

    var deadlineBox = document.querySelector("[data-deadline]");
    if (deadlineBox) {
      var deadline = Date.parse(deadlineBox.getAttribute("data-deadline") + (/[zZ+]/.test(deadlineBox.getAttribute("data-deadline").slice(-6)) ? "" : "Z"));
      var out = deadlineBox.querySelector("[data-time-left]");
      var tick = function () {
        var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        out.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
        if (left === 0 && !submitting) {
          submitting = true;
          form.submit();
          return;
        }
        window.setTimeout(tick, 1000);
      };
      tick();
    }
  }

  /* The header menu is open on wide screens, folded on phones (for browsers without ::details-content). */
  function headerMenu(menu) {
    if (!window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 40.0625em)");
    var sync = function () { menu.open = wide.matches; };
    sync();
    if (wide.addEventListener) { wide.addEventListener("change", sync); }
  }

  /* The quiz's sticky bar: keyboard focus scrolls clear of its real height. */
  function stickyPadding(bar) {
    var set = function () {
      document.documentElement.style.setProperty("--lh-sticky-top", (bar.offsetHeight + 16) + "px");
    };
    set();
    window.addEventListener("resize", set);
  }

  /* A table wider than the screen scrolls in its box; the box takes keyboard focus and a name. */
  function scrollableTable(box) {
    if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) { return; }
    var caption = box.querySelector("caption");
    var heading = box.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
    var name = (caption && caption.textContent.trim()) || (heading && heading.textContent.trim()) || document.title;
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var menu = document.querySelector("[data-header-menu]");
    if (menu) { headerMenu(menu); }
    var bar = document.querySelector(".lh-quiz-status");
    if (bar) { stickyPadding(bar); }
    Array.prototype.forEach.call(document.querySelectorAll(".lh-table-wrap"), scrollableTable);
    var quiz = document.querySelector("form[data-autosave-url]");
    if (quiz) { enhanceQuiz(quiz); }
    var article = document.querySelector("[data-heartbeat-url]");
    if (article) { startHeartbeat(article); }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload-progress]"), enhanceUpload);
  });
})();
