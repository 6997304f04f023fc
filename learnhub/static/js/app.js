/* LearnHub: small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  var HEARTBEAT_MS = 30000;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* Reading time: while a lesson is on screen, tell the server every 30 seconds. */
  function startHeartbeat(article) {
    var url = article.getAttribute("data-heartbeat-url");
    function beat() {
      if (document.visibilityState !== "visible") { return; }
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      }).catch(function () { /* offline for a moment: the next beat will do */ });
    }
    window.setInterval(beat, HEARTBEAT_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.querySelector("[data-heartbeat-url]");
    if (article) { startHeartbeat(article); }
  });
})();
