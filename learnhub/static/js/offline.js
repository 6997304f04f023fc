/* LearnHub offline study (docs/offline.md): registers the service worker, keeps a module for offline
   reading, queues what a member does offline (quiz answers, reading time) and sends it when the
   connection returns, saying what is waiting and what the server refused. The server decides
   everything again: this only carries the member's actions until it can deliver them. */
(function () {
  "use strict";
  var status = document.querySelector("[data-offline-user]");
  var supported = "serviceWorker" in navigator && "caches" in window && !!window.localStorage;
  if (!status || !supported) { return; }
  var user = status.getAttribute("data-offline-user");
  var CACHE = "learnhub-member-" + user;
  var QUEUE = "learnhub-queue-" + user;
  var CONTINUE_MS = 90 * 1000;  /* the longest gap between heartbeats the server credits (HEARTBEAT_CAP in study/services.py) */
  var flushing = null;
  var flushAgain = false;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function text(name, values) {
    var result = status.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { result = result.split("{" + key + "}").join(values[key]); });
    return result;
  }

  function load() {
    var queue = null;
    try { queue = JSON.parse(window.localStorage.getItem(QUEUE)); } catch (e) { queue = null; }
    queue = queue || {};
    return { answers: queue.answers || {}, readings: queue.readings || {}, refused: queue.refused || [] };
  }

  function save(queue) {
    window.localStorage.setItem(QUEUE, JSON.stringify(queue));
    show(queue);
  }

  function waiting(queue) {
    var answers = Object.keys(queue.answers).length;
    /* Counted by lesson: a lesson opened twice offline is one reading to credit (the server joins its stretches). */
    var lessons = {};
    Object.keys(queue.readings).forEach(function (id) {
      if (queue.readings[id].beats.length) { lessons[queue.readings[id].url] = true; }
    });
    var readings = Object.keys(lessons).length;
    var lines = [];
    if (answers) { lines.push(answers === 1 ? text("answers-one") : text("answers-many", { n: answers })); }
    if (readings) { lines.push(readings === 1 ? text("readings-one") : text("readings-many", { n: readings })); }
    return lines;
  }

  /* "2 answers waiting to be sent", and what the server refused until the member dismisses it. */
  function show(queue) {
    var lines = waiting(queue);
    status.querySelector("[data-offline-waiting]").textContent = lines.join(" · ");
    var list = status.querySelector("[data-offline-refused]");
    list.textContent = "";
    queue.refused.forEach(function (line) {
      var item = document.createElement("li");
      item.textContent = line;
      list.appendChild(item);
    });
    status.querySelector("[data-offline-dismiss]").hidden = !queue.refused.length;
    status.hidden = !lines.length && !queue.refused.length;
    // Room under the page for the fixed status, and focus scrolled clear of it (WCAG 2.4.11).
    var room = status.hidden ? "" : (status.offsetHeight + 8) + "px";
    document.body.style.paddingBottom = room;
    document.documentElement.style.scrollPaddingBottom = room;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    });
  }

  /* Send one queued item; resolves to "sent", "refused" (with a reason) or "kept" (try again later). */
  function deliver(url, body) {
    return post(url, body).then(function (response) {
      if (response.redirected) { return { outcome: "kept" }; }  /* signed out meanwhile: sign in, then it goes */
      if (response.ok) { return { outcome: "sent" }; }
      if (response.status === 409 || response.status === 400 || response.status === 404) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { outcome: "refused", status: response.status, message: data.message };
        });
      }
      return { outcome: "kept" };
    });
  }

  function flush() {
    if (flushing) { flushAgain = true; return flushing; }  /* what was queued meanwhile goes next */
    if (!navigator.onLine) { return Promise.resolve(); }
    var queue = load();
    var jobs = [];
    Object.keys(queue.answers).forEach(function (key) {
      var item = queue.answers[key];
      jobs.push(function () {
        return deliver(item.url, { qid: item.qid, response: item.response }).then(function (result) {
          var current = load();
          if (result.outcome !== "kept") { delete current.answers[key]; }
          if (result.outcome === "refused") {
            current.refused.push(text("refused-answer", {
              label: item.label, reason: text(result.status === 409 ? "reason-time" : "reason-invalid")
            }));
          }
          save(current);
        });
      });
    });
    Object.keys(queue.readings).forEach(function (id) {
      var item = queue.readings[id];
      if (!item.beats.length) { return; }
      jobs.push(function () {
        return deliver(item.url, { started_at: item.started_at, beats: item.beats }).then(function (result) {
          var current = load();
          if (result.outcome !== "kept" && current.readings[id]) {
            /* beats added while this was on its way go with the next send of the same stretch */
            current.readings[id].beats = current.readings[id].beats.slice(item.beats.length);
            if (!current.readings[id].beats.length && !current.readings[id].open) { delete current.readings[id]; }
          }
          if (result.outcome === "refused") {
            current.refused.push(text("refused-reading", {
              title: item.title, reason: result.message || text("reason-invalid")
            }));
          }
          save(current);
        });
      });
    });
    flushing = jobs.reduce(function (chain, job) { return chain.then(job); }, Promise.resolve())
      .catch(function () { /* the connection dropped again: what is left waits for the next time */ })
      .then(function () {
        flushing = null;
        show(load());
        if (jobs.length) { document.dispatchEvent(new CustomEvent("learnhub:sent", { detail: waiting(load()).join(" · ") })); }
        if (flushAgain) { flushAgain = false; return flush(); }
      });
    return flushing;
  }

  /* Quiz answers that could not be saved: the last answer to each question waits to be sent.
     Returns what now waits, for the quiz's own status line. */
  function queueAnswer(url, qid, response, label) {
    var queue = load();
    queue.answers[url + "#" + qid] = { url: url, qid: qid, response: response, label: label };
    save(queue);
    return waiting(queue).join(" · ");
  }

  /* The server answered this question itself: an older queued answer must not overwrite it. */
  function dropAnswer(url, qid) {
    var queue = load();
    if (!queue.answers[url + "#" + qid]) { return; }
    delete queue.answers[url + "#" + qid];
    save(queue);
  }

  /* Reading time offline: a stretch from the last moment the server heard from the page, then the
     moment of each heartbeat that could not be sent (the phone's clock; the server checks it). */
  function startReading(url, since, title) {
    var queue = load();
    /* The same lesson opened again within a heartbeat's reach continues its stretch (one reading). */
    var again = Object.keys(queue.readings).filter(function (key) {
      var item = queue.readings[key];
      var last = item.beats.length ? item.beats[item.beats.length - 1] : item.started_at;
      return item.url === url && since - new Date(last) <= CONTINUE_MS && since >= new Date(item.started_at);
    })[0];
    if (again) {
      queue.readings[again].open = true;
      save(queue);
      return again;
    }
    var id = url + "@" + since.toISOString();
    queue.readings[id] = { url: url, title: title, started_at: since.toISOString(), beats: [], open: true };
    save(queue);
    return id;
  }

  function addBeat(id, when, close) {
    var queue = load();
    var reading = queue.readings[id];
    if (!reading) { return; }
    reading.beats.push(when.toISOString());
    if (close) { reading.open = false; }
    save(queue);
  }

  function clearAll() {
    window.localStorage.removeItem(QUEUE);
    if (navigator.serviceWorker.controller) { navigator.serviceWorker.controller.postMessage({ type: "sign-out" }); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (key) { return caches.delete(key); }));
    });
  }

  /* Static files this page used (styles, scripts, fonts), kept by URL: no list to keep up to date. */
  function keepPageFiles(cache) {
    var urls = (performance.getEntriesByType ? performance.getEntriesByType("resource") : [])
      .map(function (entry) { return entry.name; })
      .filter(function (name) { return new URL(name).origin === location.origin && new URL(name).pathname.indexOf("/static/") === 0; });
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? cache.put(url, r) : null; });
    }));
  }

  function keep(cache, url, headers) {
    return fetch(url, { credentials: "same-origin", headers: headers || {} }).then(function (response) {
      if (!response.ok || !response.headers.get("X-LearnHub-Offline")) { throw new Error(url); }
      return cache.put(url, response);
    });
  }

  /* "Keep for offline study": every lesson and file of the module, with "x of y lessons kept". */
  function enhanceKeep(box) {
    var button = box.querySelector("[data-keep-button]");
    var progress = box.querySelector("[data-keep-progress]");
    var list = null;
    function say(kept) {
      progress.textContent = box.getAttribute("data-progress-text")
        .replace("{kept}", kept).replace("{total}", list.lessons.length);
    }
    fetch(box.getAttribute("data-keep-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        list = data;
        box.hidden = false;
        return caches.open(CACHE).then(function (cache) {
          return Promise.all(list.lessons.map(function (l) { return cache.match(l.url); }));
        }).then(function (hits) {
          var kept = hits.filter(Boolean).length;
          if (kept) { say(kept); }
        });
      }).catch(function () { /* offline: the button would not work now */ });
    button.addEventListener("click", function () {
      if (!list) { return; }
      button.disabled = true;
      var kept = 0;
      say(0);
      caches.open(CACHE).then(function (cache) {
        var lessons = list.lessons.reduce(function (chain, lesson) {
          return chain.then(function () { return keep(cache, lesson.url, { "X-LearnHub-Keep": "1" }); })
            .then(function () { kept += 1; say(kept); });
        }, Promise.resolve());
        return lessons.then(function () {
          return Promise.all(list.files.map(function (url) { return keep(cache, url); }));
        }).then(function () { return keepPageFiles(cache); });
      }).catch(function () {
        progress.textContent = box.getAttribute("data-failed-text");
      }).then(function () { button.disabled = false; });
    });
  }

  /* The offline page: what this phone can show without a connection. */
  function listKept(list) {
    caches.open(CACHE).then(function (cache) { return cache.keys(); }).then(function (requests) {
      var pages = requests.filter(function (r) {
        var path = new URL(r.url).pathname;
        return path.indexOf("/courses/") === 0 && path.indexOf("/media/") === -1;
      });
      return Promise.all(pages.map(function (request) {
        return caches.match(request).then(function (r) { return r.text(); }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var heading = doc.querySelector("h1");
          var isModule = !!doc.querySelector("[data-keep-url]");
          var title = heading ? heading.textContent.trim() : request.url;
          return { module: isModule, title: isModule ? list.getAttribute("data-module-text").replace("{title}", title) : title,
                   url: request.url };
        });
      }));
    }).then(function (items) {
      /* modules first, then lessons in the order they were kept (the module's order) */
      items.sort(function (a, b) { return (b.module ? 1 : 0) - (a.module ? 1 : 0); });
      items.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.className = "lh-link";
        a.textContent = item.title;
        li.appendChild(a);
        list.appendChild(li);
      });
      document.querySelector("[data-offline-nothing]").hidden = items.length > 0;
    });
  }

  window.LearnHubOffline = {
    queueAnswer: queueAnswer, dropAnswer: dropAnswer, startReading: startReading, addBeat: addBeat, flush: flush
  };

  if (navigator.onLine) {  /* offline, the worker in place serves; an update check would only fail */
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* not on plain HTTP */ });
  }
  window.addEventListener("online", function () { flush(); });
  document.addEventListener("DOMContentLoaded", function () {
    /* Another member's kept pages never stay beside this one's. */
    caches.keys().then(function (keys) {
      keys.forEach(function (key) { if (key.indexOf("learnhub-member-") === 0 && key !== CACHE) { caches.delete(key); } });
    });
    if (navigator.onLine) {
      caches.open(CACHE).then(function (cache) {
        return cache.match("/offline").then(function (hit) { return hit || keep(cache, "/offline"); });
      }).catch(function () { /* the next page will try again */ });
    }
    show(load());
    flush();
    status.querySelector("[data-offline-dismiss]").addEventListener("click", function () {
      var queue = load();
      queue.refused = [];
      save(queue);
    });
    var box = document.querySelector("[data-keep-url]");
    if (box) { enhanceKeep(box); }
    var kept = document.querySelector("[data-offline-kept]");
    if (kept) { listKept(kept); }
    var signOut = document.querySelector('form[action$="/logout"]');
    if (signOut) {
      signOut.addEventListener("submit", function (event) {
        event.preventDefault();
        var sent = Promise.race([flush(), new Promise(function (resolve) { window.setTimeout(resolve, 3000); })]);
        sent.then(clearAll).catch(function () { /* the server's Clear-Site-Data still clears them */ })
          .then(function () { signOut.submit(); });
      });
    }
  });
})();
