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

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.querySelector("[data-heartbeat-url]");
    if (article) { startHeartbeat(article); }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-upload-progress]"), enhanceUpload);
  });
})();
