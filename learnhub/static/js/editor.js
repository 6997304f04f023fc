/* LearnHub: the writing tools for lessons, quizzes and course settings.
   Every editor works without this file: the form posts and the server answers. This file adds, to
   each form.lh-editor, the formatting toolbar and shortcuts, a live preview, autosave with a
   warning before leaving unsaved work, and a text box that grows with its text.
   No HTML is built from strings except the preview, which the server has already sanitised. */
(function () {
  "use strict";

  var PREVIEW_DELAY_MS = 600;
  var IDLE_SAVE_MS = 4000;        /* save after this long without typing … */
  var MAX_UNSAVED_MS = 30000;     /* … or at the latest this long after the first unsaved change */
  var RETRY_FIRST_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var SUBMIT_WAIT_MS = 10000;     /* how long a normal submit waits for an autosave in flight */
  var MIN_ROWS = 12;
  var STATUS_KINDS = ["saving", "saved", "failed", "unsaved", "conflict"];

  var editorCount = 0;
  var reducedMotion = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;

  function scrollBehavior() {
    return reducedMotion && reducedMotion.matches ? "auto" : "smooth";
  }

  function csrfToken(form) {
    var input = form.querySelector('input[name="csrf_token"]');
    if (input && input.value) { return input.value; }
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function fire(element, type) {
    var event;
    if (typeof window.Event === "function") {
      event = new Event(type, { bubbles: true });
    } else {
      event = document.createEvent("Event");
      event.initEvent(type, true, false);
    }
    element.dispatchEvent(event);
  }

  function ensureId(element) {
    if (!element.id) {
      editorCount += 1;
      element.id = "lh-editor-text-" + editorCount;
    }
    return element.id;
  }

  /* ------------------------------------------------------------------------------------------
     Editing the text. Every change goes through replaceText so that Ctrl+Z undoes it.
     ------------------------------------------------------------------------------------------ */

  /* Replace [start, end) of the textarea with text, then select [selStart, selEnd) of the new
     value. execCommand("insertText") keeps the browser's undo history and fires "input" itself;
     setRangeText is the fallback (no undo), and then "input" is fired here. */
  function replaceText(textarea, start, end, text, selStart, selEnd) {
    var before = textarea.value;
    var expected = before.slice(0, start) + text + before.slice(end);
    var sawInput = false;
    function seen() { sawInput = true; }

    textarea.focus();
    textarea.setSelectionRange(start, end);
    if (typeof document.execCommand === "function") {
      textarea.addEventListener("input", seen);
      try {
        document.execCommand("insertText", false, text);
      } catch (e) { /* not supported: use the fallback */ }
      textarea.removeEventListener("input", seen);
    }
    if (textarea.value !== expected) {
      if (textarea.value === before && typeof textarea.setRangeText === "function") {
        textarea.setRangeText(text, start, end, "end");
      } else {
        textarea.value = expected;
      }
      sawInput = false;
    }
    textarea.setSelectionRange(selStart, selEnd);
    if (!sawInput) { fire(textarea, "input"); }
  }

  /* Wrap the selection in before/after; with nothing selected insert the placeholder, selected,
     so that typing replaces it. Spaces at the edges of the selection (a double-click often takes
     the space after a word) stay outside the markers, where Markdown needs them. */
  function wrapSelection(textarea, before, after, placeholder) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var selected = value.slice(start, end);
    var inner;
    var url;

    placeholder = placeholder || "";
    if (/\S/.test(selected)) {
      start += /^\s*/.exec(selected)[0].length;
      end -= /\s*$/.exec(selected)[0].length;
      inner = value.slice(start, end);
      url = after.indexOf("https://");
      if (url !== -1) {
        /* a link around chosen words: select the address part, ready to paste over */
        var urlStart = start + before.length + inner.length + url;
        replaceText(textarea, start, end, before + inner + after, urlStart, urlStart + "https://".length);
        return;
      }
      replaceText(textarea, start, end, before + inner + after,
                  start + before.length, start + before.length + inner.length);
      return;
    }
    replaceText(textarea, end, end, before + placeholder + after,
                end + before.length, end + before.length + placeholder.length);
  }

  /* Put prefix in front of every selected line, or of the line with the cursor. If every
     non-empty line already has it, take it away instead (so the button toggles). Headings and
     list markers replace a heading or list marker already there; "1. " numbers the lines. */
  function prefixLines(textarea, prefix) {
    var value = textarea.value;
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var from = start > 0 ? value.lastIndexOf("\n", start - 1) + 1 : 0;
    var endAt = (end > start && value.charAt(end - 1) === "\n") ? end - 1 : end;
    var to = value.indexOf("\n", Math.max(endAt, from));
    if (to === -1) { to = value.length; }

    var lines = value.slice(from, to).split("\n");
    var numbered = /^1[.)] $/.test(prefix);
    var heading = /^#{1,6} $/.test(prefix);
    var list = numbered || /^[-*+] $/.test(prefix);
    var several = lines.length > 1;
    var number = 0;

    function markerLength(line) {
      if (numbered) {
        var match = /^\d+[.)] /.exec(line);
        return match ? match[0].length : 0;
      }
      return line.indexOf(prefix) === 0 ? prefix.length : 0;
    }
    function isBlank(line) { return !/\S/.test(line); }

    var content = lines.filter(function (line) { return !isBlank(line); });
    var remove = content.length > 0 && content.every(function (line) { return markerLength(line) > 0; });

    var changed = lines.map(function (line) {
      if (several && isBlank(line)) { return line; }
      if (remove) { return line.slice(markerLength(line)); }
      if (heading) { line = line.replace(/^#{1,6} /, ""); }
      if (list) { line = line.replace(/^(\d+[.)]|[-*+]) /, ""); }
      number += 1;
      return (numbered ? number + prefix.slice(1) : prefix) + line;
    });
    var block = changed.join("\n");

    if (!several && start === end) {
      var caret = Math.max(from, Math.min(from + block.length, start + block.length - (to - from)));
      replaceText(textarea, from, to, block, caret, caret);
    } else {
      replaceText(textarea, from, to, block, from, from + block.length);
    }
  }

  /* Insert a block (e.g. a "Ghi nhớ" box) at the cursor on lines of its own. */
  function insertTemplate(textarea, template, placeholder) {
    var value = textarea.value;
    var at = textarea.selectionEnd;
    var text = template;

    if (at === 0) {
      text = text.replace(/^\n+/, "");
    } else if (value.charAt(at - 1) !== "\n") {
      text = "\n" + text;
    }
    if (text.charAt(text.length - 1) !== "\n" && at < value.length && value.charAt(at) !== "\n") {
      text += "\n";
    }

    var mark = placeholder ? text.indexOf(placeholder) : -1;
    var markLength = mark === -1 ? 0 : placeholder.length;
    if (mark === -1) {
      mark = text.indexOf("...");
      markLength = 3;
    }
    if (mark === -1) {
      mark = text.indexOf("\u2026");
      markLength = 1;
    }
    if (mark === -1) {
      replaceText(textarea, at, at, text, at + text.length, at + text.length);
    } else {
      replaceText(textarea, at, at, text, at + mark, at + mark + markLength);
    }
  }

  function markdownLabel(text) {
    return text.replace(/([\\\[\]])/g, "\\$1");
  }

  function markdownDestination(url) {
    return /[\s()<>]/.test(url) ? "<" + url.replace(/[<>]/g, encodeURIComponent) + ">" : url;
  }

  /* ![name](media/x.png) for an image, [name](media/x.pdf) for a file. Words selected on one line
     become the link text; for an image the description is selected so that the author can say
     what the picture shows. */
  function insertMedia(textarea, option) {
    var url = option.value;
    var image = option.getAttribute("data-kind") === "image";
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var selected = textarea.value.slice(start, end);
    var label;

    if (/\S/.test(selected) && selected.indexOf("\n") === -1) {
      label = selected.trim();
    } else {
      label = (option.getAttribute("data-name") || option.textContent || url).trim();
      start = end;
    }
    var prefix = (image ? "!" : "") + "[";
    var text = prefix + markdownLabel(label) + "](" + markdownDestination(url) + ")";
    if (image) {
      replaceText(textarea, start, end, text, start + prefix.length,
                  start + prefix.length + markdownLabel(label).length);
    } else {
      replaceText(textarea, start, end, text, start + text.length, start + text.length);
    }
  }

  /* ------------------------------------------------------------------------------------------
     Moving to a line (from the list of problems)
     ------------------------------------------------------------------------------------------ */

  function lineStart(text, line) {
    var position = 0;
    for (var i = 1; i < line; i += 1) {
      var newline = text.indexOf("\n", position);
      if (newline === -1) { return text.length; }
      position = newline + 1;
    }
    return position;
  }

  /* Where, in pixels from the top of the textarea's content, the text at position starts:
     measured on an invisible copy laid out the same way. */
  function offsetOf(textarea, position) {
    var style = window.getComputedStyle(textarea);
    var copy = document.createElement("div");
    var marker = document.createElement("span");
    ["boxSizing", "width", "fontFamily", "fontSize", "fontWeight", "fontStyle", "letterSpacing",
     "lineHeight", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "borderTopWidth",
     "borderRightWidth", "borderBottomWidth", "borderLeftWidth", "borderStyle", "textIndent",
     "textTransform", "wordSpacing", "tabSize"].forEach(function (name) {
      copy.style[name] = style[name];
    });
    copy.style.position = "absolute";
    copy.style.top = "0";
    copy.style.left = "-9999px";
    copy.style.visibility = "hidden";
    copy.style.whiteSpace = "pre-wrap";
    copy.style.overflowWrap = "break-word";
    copy.textContent = textarea.value.slice(0, position);
    marker.textContent = "\u200b";
    copy.appendChild(marker);
    document.body.appendChild(copy);
    var top = marker.offsetTop;
    document.body.removeChild(copy);
    return top;
  }

  function goToLine(textarea, line) {
    var position = lineStart(textarea.value, line);
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(position, position);

    var top = offsetOf(textarea, position);
    if (textarea.scrollHeight > textarea.clientHeight) {
      textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3);
    }
    var y = textarea.getBoundingClientRect().top + top - textarea.scrollTop;
    if (y < window.innerHeight * 0.2 || y > window.innerHeight * 0.8) {
      window.scrollTo({ top: Math.max(0, window.pageYOffset + y - window.innerHeight / 3), behavior: scrollBehavior() });
    }
  }

  /* ------------------------------------------------------------------------------------------
     The text box grows with its text (never fewer than MIN_ROWS rows)
     ------------------------------------------------------------------------------------------ */

  function grow(textarea) {
    var x = window.pageXOffset;
    var y = window.pageYOffset;
    textarea.style.height = "auto";
    var wanted = textarea.scrollHeight + (textarea.offsetHeight - textarea.clientHeight);
    textarea.style.height = wanted > textarea.offsetHeight ? wanted + "px" : "";
    if (window.pageYOffset !== y) { window.scrollTo(x, y); }  /* "auto" shrank the page for a moment */
  }

  /* ------------------------------------------------------------------------------------------
     One editor
     ------------------------------------------------------------------------------------------ */

  function enhanceEditor(form) {
    var textarea = form.querySelector("textarea.lh-editor__text");
    var toolbar = form.querySelector(".lh-toolbar");
    var status = form.querySelector(".lh-editor__status");
    var problems = form.querySelector(".lh-editor__problems");
    var preview = form.querySelector(".lh-editor__preview");
    var previewUrl = form.getAttribute("data-preview-url");
    var saveUrl = form.getAttribute("action") || window.location.href;
    var hasFetch = typeof window.fetch === "function" && typeof window.FormData === "function";

    form.classList.add("lh-editor--enhanced");

    /* Form data for the server: files are left out (they go with a normal submit only). */
    function formData() {
      var data = new FormData(form);
      Array.prototype.forEach.call(form.querySelectorAll('input[type="file"][name]'), function (input) {
        data.delete(input.name);
      });
      return data;
    }

    /* What the author has written, to tell whether anything is still unsaved. */
    function snapshot() {
      var parts = [];
      new FormData(form).forEach(function (value, name) {
        if (name === "csrf_token" || name === "base_revision" || typeof value !== "string") { return; }
        parts.push(name + "\u0000" + value.replace(/\r\n?/g, "\n"));
      });
      return parts.join("\u0001");
    }

    function post(url, data, signal) {
      var options = {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" },
        body: data
      };
      if (signal) { options.signal = signal; }
      return fetch(url, options);
    }

    /* ---- toolbar and shortcuts ------------------------------------------------------------ */

    function markers(before) {
      var button = toolbar && toolbar.querySelector('[data-wrap-before="' + before + '"]');
      return button ? button.getAttribute("data-placeholder") || "" : "";
    }

    if (textarea) {
      ensureId(textarea);
      if (!textarea.rows || textarea.rows < MIN_ROWS) { textarea.rows = MIN_ROWS; }
      grow(textarea);
      if (document.fonts && document.fonts.ready) {
        document.fonts.ready.then(function () { grow(textarea); });
      }
      var lastWidth = window.innerWidth;
      var resizeQueued = false;
      window.addEventListener("resize", function () {
        if (resizeQueued || window.innerWidth === lastWidth) { return; }
        resizeQueued = true;
        window.requestAnimationFrame(function () {
          resizeQueued = false;
          lastWidth = window.innerWidth;
          grow(textarea);
        });
      });

      textarea.addEventListener("keydown", function (event) {
        if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.isComposing) { return; }
        var key = shortcutKey(event);
        if (key === "b") {
          event.preventDefault();
          wrapSelection(textarea, "**", "**", markers("**"));
        } else if (key === "i") {
          event.preventDefault();
          var italic = toolbar && toolbar.querySelector('[data-wrap-before="*"], [data-wrap-before="_"]');
          var mark = italic ? italic.getAttribute("data-wrap-before") : "*";
          wrapSelection(textarea, mark, italic ? italic.getAttribute("data-wrap-after") || mark : mark,
                        italic ? italic.getAttribute("data-placeholder") : "");
        }
      });
    }

    if (toolbar && textarea) {
      Array.prototype.forEach.call(toolbar.querySelectorAll('[data-wrap-before="**"]'), function (button) {
        button.setAttribute("aria-keyshortcuts", "Control+B Meta+B");
      });

      toolbar.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("button") : null;
        if (!button || !toolbar.contains(button) || button.disabled) { return; }
        if (button.hasAttribute("data-wrap-before")) {
          wrapSelection(textarea, button.getAttribute("data-wrap-before"),
                        button.getAttribute("data-wrap-after") || "", button.getAttribute("data-placeholder"));
        } else if (button.hasAttribute("data-line-prefix")) {
          prefixLines(textarea, button.getAttribute("data-line-prefix"));
        } else if (button.hasAttribute("data-template")) {
          insertTemplate(textarea, button.getAttribute("data-template"), button.getAttribute("data-placeholder"));
        }
      });

      /* Left/Right/Home/End move between the tools, as in any toolbar. The select keeps its keys. */
      toolbar.addEventListener("keydown", function (event) {
        if (event.target.tagName === "SELECT" || event.altKey || event.ctrlKey || event.metaKey) { return; }
        var tools = Array.prototype.filter.call(toolbar.querySelectorAll("button, select"), function (tool) {
          return !tool.disabled && tool.offsetParent !== null;
        });
        var index = tools.indexOf(event.target);
        if (index === -1) { return; }
        var next = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: tools.length - 1 }[event.key];
        if (next === undefined) { return; }
        event.preventDefault();
        tools[(next + tools.length) % tools.length].focus();
      });

      Array.prototype.forEach.call(toolbar.querySelectorAll("select.lh-toolbar__media"), function (select) {
        enhanceMediaSelect(select, textarea);
      });
    }

    /* ---- status line ------------------------------------------------------------------------ */

    var statusKind = "";
    function setStatus(kind, text) {
      if (!status) { return; }
      statusKind = kind;
      STATUS_KINDS.forEach(function (name) {
        status.classList.toggle("lh-editor__status--" + name, name === kind);
      });
      if (text === undefined) { text = status.getAttribute("data-" + kind) || ""; }
      if (status.textContent !== text) { status.textContent = text; }
    }

    /* ---- live preview -------------------------------------------------------------------------- */

    var previewTimer = null;
    var previewSeq = 0;
    var previewAbort = null;
    var lastHtml = null;
    var lastProblems = null;
    var lineLabel = problems ? problems.getAttribute("data-line-label") || "Dòng" : "Dòng";

    function renderProblems(list) {
      if (!problems) { return; }
      var key = JSON.stringify(list);
      if (key === lastProblems) { return; }
      lastProblems = key;
      while (problems.firstChild) { problems.removeChild(problems.firstChild); }
      list.forEach(function (problem) {
        var item = document.createElement("li");
        var line = parseInt(problem && problem.line, 10);
        var message = problem && problem.message != null ? String(problem.message) : "";
        var target = textarea;
        if (problem && problem.field && form.elements[problem.field] &&
            form.elements[problem.field].tagName === "TEXTAREA") {
          target = form.elements[problem.field];
        }
        if (line > 0 && target) {
          var link = document.createElement("a");
          link.className = "lh-editor__problem";
          link.href = "#" + ensureId(target);
          link.setAttribute("data-line", String(line));
          link.setAttribute("data-target", target.id);
          link.textContent = lineLabel + " " + line + ": " + message;
          item.appendChild(link);
        } else {
          item.textContent = message;
        }
        if (problem && problem.fix) {
          var fix = document.createElement("span");
          fix.className = "lh-problem-fix";
          fix.textContent = " " + String(problem.fix);
          item.appendChild(fix);
        }
        problems.appendChild(item);
      });
    }

    function runPreview() {
      window.clearTimeout(previewTimer);
      previewTimer = null;
      if (!previewUrl || !hasFetch || (!preview && !problems)) { return; }
      previewSeq += 1;
      var seq = previewSeq;
      if (previewAbort) { previewAbort.abort(); }
      previewAbort = typeof window.AbortController === "function" ? new AbortController() : null;
      if (preview) { preview.setAttribute("aria-busy", "true"); }

      post(previewUrl, formData(), previewAbort && previewAbort.signal).then(function (response) {
        if (!response.ok) { throw new Error("preview " + response.status); }
        return response.json();
      }).then(function (data) {
        if (seq !== previewSeq || !data) { return; }          /* an older answer: a newer one is coming */
        if (preview && typeof data.html === "string" && data.html !== lastHtml) {
          lastHtml = data.html;
          preview.innerHTML = data.html;                        /* sanitised by the server */
        }
        renderProblems(Array.isArray(data.problems) ? data.problems : []);
      }).catch(function () {
        /* offline or a server error: keep the last preview; the next change tries again */
      }).then(function () {
        if (seq === previewSeq && preview) { preview.removeAttribute("aria-busy"); }
      });
    }

    function schedulePreview() {
      window.clearTimeout(previewTimer);
      previewTimer = window.setTimeout(runPreview, PREVIEW_DELAY_MS);
    }

    if (problems) {
      problems.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest("a[data-line]") : null;
        if (!link) { return; }
        var target = document.getElementById(link.getAttribute("data-target")) || textarea;
        event.preventDefault();
        goToLine(target, parseInt(link.getAttribute("data-line"), 10));
      });
    }

    /* ---- autosave ------------------------------------------------------------------------------ */

    var savedSnapshot = snapshot();
    var baseRevision = form.querySelector('input[name="base_revision"]');
    var idleTimer = null;
    var maxTimer = null;
    var retryTimer = null;
    var retryDelay = 0;
    var inFlight = false;
    var saveAbort = null;
    var queued = false;
    var stopped = false;          /* after a conflict: the normal submit shows the conflict page */
    var submitting = false;
    var pendingSubmit = false;
    var pendingSubmitter = null;
    var submitWaitTimer = null;
    var watching = false;
    var lastSavedText = "";

    function isDirty() { return snapshot() !== savedSnapshot; }

    function onBeforeUnload(event) {
      if (submitting || !isDirty()) { return undefined; }
      event.preventDefault();
      event.returnValue = "";
      return "";
    }

    /* Listen for beforeunload only while something may be unsaved (keeps the back/forward cache). */
    function watchUnload(on) {
      if (on === watching) { return; }
      watching = on;
      if (on) {
        window.addEventListener("beforeunload", onBeforeUnload);
      } else {
        window.removeEventListener("beforeunload", onBeforeUnload);
      }
    }

    function clearTimers() {
      window.clearTimeout(idleTimer);
      window.clearTimeout(maxTimer);
      window.clearTimeout(retryTimer);
      idleTimer = maxTimer = retryTimer = null;
    }

    function localTime() {
      var now = new Date();
      return now.getHours() + ":" + ("0" + now.getMinutes()).slice(-2);
    }

    function noteChange() {
      watchUnload(true);
      if (stopped || submitting || !hasFetch) { return; }
      if (!inFlight && !retryTimer) { setStatus("unsaved"); }
      if (retryTimer) { return; }                         /* the retry will carry this change too */
      if (!maxTimer) { maxTimer = window.setTimeout(function () { save(false); }, MAX_UNSAVED_MS); }
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(function () { save(false); }, IDLE_SAVE_MS);
    }

    function retryLater(message) {
      retryDelay = retryDelay ? Math.min(retryDelay * 2, RETRY_MAX_MS) : RETRY_FIRST_MS;
      setStatus("failed", message || undefined);
      retryTimer = window.setTimeout(function () {
        retryTimer = null;
        save(true);
      }, retryDelay);
    }

    /* force: Ctrl+S or a retry; a timer that fires while a retry is waiting leaves it to the retry. */
    function save(force) {
      if (stopped || submitting || !hasFetch) { return; }
      if (inFlight) { queued = true; return; }
      if (retryTimer && !force) { return; }
      clearTimers();

      var sent = snapshot();
      if (sent === savedSnapshot) {                      /* typed, then undid: nothing to save */
        watchUnload(false);
        if (statusKind === "unsaved") {
          if (lastSavedText) { setStatus("saved", lastSavedText); } else { setStatus("", ""); }
        }
        return;
      }

      var data = formData();
      data.append("autosave", "1");
      inFlight = true;
      saveAbort = typeof window.AbortController === "function" ? new AbortController() : null;
      setStatus("saving");

      post(saveUrl, data, saveAbort && saveAbort.signal).then(function (response) {
        return response.json().then(function (json) {
          return { status: response.status, ok: response.ok, data: json };
        }, function () {
          return { status: response.status, ok: response.ok, data: null };
        });
      }).then(function (answer) {
        var json = answer.data && typeof answer.data === "object" ? answer.data : {};
        if (answer.status === 409) {
          stopped = true;
          clearTimers();
          setStatus("conflict", json.message ? String(json.message)
                                             : status && (status.getAttribute("data-conflict") || status.getAttribute("data-unsaved")));
          return;
        }
        if (answer.ok && json.revision !== undefined && json.revision !== null) {
          if (baseRevision) { baseRevision.value = String(json.revision); }
          savedSnapshot = sent;
          retryDelay = 0;
          lastSavedText = status ? (status.getAttribute("data-saved") || "").replace("%s", json.saved_at || localTime()) : "";
          if (isDirty()) {
            setStatus("unsaved");
          } else {
            setStatus("saved", lastSavedText);
            watchUnload(false);
          }
          return;
        }
        /* 5xx, a page instead of JSON (e.g. signed out), or another refusal: try again later */
        retryLater(answer.status < 500 && json.message ? String(json.message) : undefined);
      }, function () {
        retryLater();                                    /* no connection (or cancelled) */
      }).then(function () {
        inFlight = false;
        saveAbort = null;
        if (pendingSubmit) {
          submitNow();
        } else if (queued) {
          queued = false;
          save(false);
        }
      });
    }

    /* A normal submit while an autosave is on its way waits for it, so that the submit carries
       the new base_revision and is not taken for a conflict with our own autosave. */
    function submitNow() {
      var submitter = pendingSubmitter;
      pendingSubmit = false;
      pendingSubmitter = null;
      window.clearTimeout(submitWaitTimer);
      clearTimers();
      if (typeof form.requestSubmit === "function") {
        try {
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
          return;
        } catch (e) { /* fall through */ }
      }
      if (submitter && submitter.name) {
        var copy = document.createElement("input");
        copy.type = "hidden";
        copy.name = submitter.name;
        copy.value = submitter.value;
        form.appendChild(copy);
      }
      submitting = true;
      watchUnload(false);
      HTMLFormElement.prototype.submit.call(form);
    }

    form.addEventListener("submit", function (event) {
      if (inFlight) {
        event.preventDefault();
        pendingSubmit = true;
        pendingSubmitter = event.submitter || null;
        window.clearTimeout(submitWaitTimer);
        submitWaitTimer = window.setTimeout(function () {
          if (saveAbort) { saveAbort.abort(); }          /* the answer ends the wait either way */
        }, SUBMIT_WAIT_MS);
        return;
      }
      submitting = true;
      clearTimers();
      watchUnload(false);
      window.setTimeout(function () {
        if (event.defaultPrevented) {                    /* another script stopped the submit */
          submitting = false;
          if (isDirty()) { noteChange(); }
        }
      }, 0);
    });

    form.addEventListener("input", function (event) {
      var target = event.target;
      if (!target || !target.name) { return; }           /* controls without a name are not sent */
      if (target === textarea) { grow(textarea); }
      schedulePreview();
      noteChange();
    });

    window.addEventListener("online", function () {
      if (retryTimer) {
        window.clearTimeout(retryTimer);
        retryTimer = null;
        save(true);
      }
    });

    /* A phone may close a page in the background without asking: save before that. */
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && watching && !submitting) { save(true); }
    });

    form.lhEditorSave = function () {
      if (stopped || !hasFetch) {
        /* after a conflict only a normal submit helps: the server shows what changed */
        pendingSubmitter = form.querySelector('button[type="submit"][name="action"][value="save"]');
        submitNow();
        return;
      }
      save(true);
    };

    runPreview();
  }

  /* The media list: choosing an entry inserts it. With the keyboard on a closed list, some
     browsers change the value on every arrow key; then Enter inserts the entry shown. */
  function enhanceMediaSelect(select, textarea) {
    var lastKeyAt = 0;

    function insertChosen() {
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) { return; }
      insertMedia(textarea, option);
      select.value = "";
    }

    select.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        if (select.value) {
          event.preventDefault();
          insertChosen();
        }
        return;
      }
      if (/^(Arrow|Page|Home$|End$)/.test(event.key) || (event.key && event.key.length === 1)) {
        lastKeyAt = Date.now();
      }
    });
    select.addEventListener("change", function () {
      if (Date.now() - lastKeyAt < 150) { return; }      /* still moving through the list */
      insertChosen();
    });
  }

  function shortcutKey(event) {
    if (event.key && event.key.length === 1) { return event.key.toLowerCase(); }
    if (event.code && /^Key[A-Z]$/.test(event.code)) { return event.code.slice(3).toLowerCase(); }
    return "";
  }

  /* Ctrl/Cmd+S anywhere in an editor (or anywhere on a page with one editor) saves at once. */
  document.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.isComposing) { return; }
    if (shortcutKey(event) !== "s") { return; }
    var form = event.target && event.target.closest ? event.target.closest("form.lh-editor") : null;
    if (!form) {
      var all = document.querySelectorAll("form.lh-editor");
      if (all.length === 1) { form = all[0]; }
    }
    if (!form || typeof form.lhEditorSave !== "function") { return; }
    event.preventDefault();
    form.lhEditorSave();
  });

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.lh-editor"), enhanceEditor);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
