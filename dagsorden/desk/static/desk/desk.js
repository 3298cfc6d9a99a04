// Work pages: the quality panel follows the text as it is written, leaving a page with
// unsaved text asks first, and agenda items can be dragged into place. All only enhance:
// the pages work with plain forms and buttons. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  function csrfToken(root) {
    var input = (root || document).querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function liveQuality() {
    var form = document.getElementById("case-form");
    var panel = document.getElementById("quality-panel");
    if (!form || !panel || !window.fetch) return;
    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        // The text on the screen, not the file chosen for upload (that is sent on saving).
        var body = new FormData(form);
        body.delete("attachment");
        fetch(form.dataset.qualityUrl, {
          method: "POST",
          body: body,
          headers: { "X-CSRFToken": csrfToken(form) },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) { if (html !== null) panel.innerHTML = html; });
      }, 600);
    });
  }

  // Pasting from Word or a web page: the HTML is reduced to text and structure on the
  // server (never stored as HTML) and inserted in the editor's plain-text convention.
  function cleanPaste() {
    var form = document.getElementById("case-form");
    var area = document.getElementById("id_presentation");
    if (!form || !area || !window.fetch) return;
    area.addEventListener("paste", function (event) {
      var html = event.clipboardData && event.clipboardData.getData("text/html");
      if (!html) return;
      event.preventDefault();
      var body = new FormData();
      body.append("html", html);
      fetch(form.dataset.pasteUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken(form) },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (text) {
          var start = area.selectionStart, end = area.selectionEnd;
          area.value = area.value.slice(0, start) + text + area.value.slice(end);
          area.selectionStart = area.selectionEnd = start + text.length;
          area.dispatchEvent(new Event("input", { bubbles: true }));
        });
    });
  }

  // A form marked data-unsaved-warning that has changed since it was shown, or came back
  // refused with the user's text (data-dirty="1"), makes leaving the page ask first.
  // Submitting that form saves it, so it does not ask, unless another form on the page
  // holds unsaved text.
  function unsavedWarning() {
    var forms = Array.prototype.slice.call(
      document.querySelectorAll("form[data-unsaved-warning]")
    );
    if (!forms.length) return;
    var submitting = null;
    forms.forEach(function (form) {
      function changed() { form.dataset.dirty = "1"; }
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
      form.addEventListener("submit", function () { submitting = form; });
    });
    window.addEventListener("beforeunload", function (event) {
      var unsaved = forms.some(function (form) {
        return form !== submitting && form.dataset.dirty === "1";
      });
      submitting = null;
      if (!unsaved) return undefined;
      event.preventDefault();
      event.returnValue = "";  // older browsers need a value to ask
      return "";
    });
  }

  function dragAndDrop() {
    var list = document.getElementById("builder");
    if (!list || list.dataset.movable !== "1" || !window.fetch) return;
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li[draggable=true]");
      if (dragged) event.dataTransfer.effectAllowed = "move";
    });
    list.addEventListener("dragover", function (event) {
      if (dragged) event.preventDefault();
    });
    list.addEventListener("drop", function (event) {
      var target = event.target.closest("li");
      if (!dragged || !target || target === dragged) return;
      event.preventDefault();
      var items = Array.prototype.slice.call(list.children);
      var body = new FormData();
      body.append("position", String(items.indexOf(target)));
      fetch(dragged.dataset.moveUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken(list), "X-Requested-With": "fetch" },
        credentials: "same-origin",
      }).then(function () { window.location.reload(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    liveQuality();
    cleanPaste();
    unsavedWarning();
    dragAndDrop();
  });
})();
