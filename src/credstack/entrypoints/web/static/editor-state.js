// The programme editor's index of sections marks a section "unsaved" while the person types
// in it: its mark becomes ● and its state word (read by screen readers) the page's word for
// unsaved, as the server marks it once the page comes back. Typed back to what the page came
// with, the section shows its state from the server again. A section the server marked as
// needing attention (✗) keeps that mark. Without JavaScript the index shows the states the
// server gave, and every section is saved by its own button as before.
(function () {
  "use strict";
  function formValues(section) {
    var parts = [];
    section.querySelectorAll("input, select, textarea").forEach(function (control) {
      if (!control.name || control.type === "hidden") { return; }
      if ((control.type === "checkbox" || control.type === "radio") && !control.checked) { return; }
      parts.push(control.name + "\u0000" + control.value);
    });
    return parts.join("\u0001");
  }
  function setUp() {
    var index = document.getElementById("editor-index");
    var form = document.getElementById("editor-form");
    if (!index || !form) { return; }
    var unsaved = index.getAttribute("data-unsaved-mark");
    var word = index.getAttribute("data-unsaved-word");
    form.querySelectorAll("fieldset.editor-section").forEach(function (section) {
      var key = section.id.replace(/^s-/, "");
      var link = document.getElementById("i-" + key);
      var legendState = section.querySelector(":scope > legend > .editor-section__state");
      if (!link) { return; }
      var mark = link.querySelector(".editor-index__mark");
      var state = link.querySelector(".editor-index__state");
      var was = {
        state: link.getAttribute("data-state"),
        mark: mark ? mark.textContent : "",
        word: state ? state.textContent : "",
        legend: legendState ? Array.prototype.map.call(legendState.childNodes, function (node) {
          return node.cloneNode(true);
        }) : []
      };
      if (was.state === "attention") { return; }
      var first = formValues(section);
      function follow() {
        var changed = formValues(section) !== first;
        var now = changed ? "unsaved" : was.state;
        if (link.getAttribute("data-state") === now) { return; }
        link.setAttribute("data-state", now);
        section.setAttribute("data-state", now);
        if (mark) { mark.textContent = changed ? unsaved : was.mark; }
        if (state) { state.textContent = changed ? word : was.word; }
        if (legendState) {
          legendState.setAttribute("data-state", now);
          if (changed) {
            legendState.textContent = "";
            var hidden = document.createElement("span");
            hidden.setAttribute("aria-hidden", "true");
            hidden.textContent = unsaved;
            legendState.appendChild(hidden);
            legendState.appendChild(document.createTextNode(" " + index.getAttribute("data-unsaved-name")));
          } else {
            legendState.replaceChildren.apply(legendState, was.legend.map(function (node) {
              return node.cloneNode(true);
            }));
          }
        }
      }
      section.addEventListener("input", follow);
      section.addEventListener("change", follow);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
