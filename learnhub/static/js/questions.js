// The question forms: a live preview as the author types (debounced; the "Preview" button does the
// same without JavaScript), and a confirmation before deleting a question.
(function () {
  "use strict";
  var form = document.querySelector(".lh-question-form");
  var box = document.querySelector(".lh-question-preview");
  if (form && box && window.fetch && window.FormData) {
    var timer = null;
    var refresh = function () {
      var data = new FormData(form);
      data.delete("preview");
      fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { box.innerHTML = html; } })
        .catch(function () { /* the Preview button still works */ });
    };
    var later = function () { window.clearTimeout(timer); timer = window.setTimeout(refresh, 400); };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (confirmed) {
    confirmed.addEventListener("submit", function (event) {
      if (!window.confirm(confirmed.dataset.confirm)) { event.preventDefault(); }
    });
  });
}());
