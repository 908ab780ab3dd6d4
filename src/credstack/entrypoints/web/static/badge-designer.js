// The badge designer's live preview: each choice of template or colour redraws the preview
// from the editor's badge.svg with that design (nothing is saved until "Save"). Without
// JavaScript the "Update the preview" button does the same by posting the form.
(function () {
  "use strict";
  var form = document.getElementById("badge-form");
  var preview = document.getElementById("badge-preview");
  if (!form || !preview) {
    return;
  }
  function redraw() {
    var chosen = form.querySelector("input[name=template]:checked");
    var query = new URLSearchParams();
    query.set("template", chosen ? chosen.value : "classic");
    if (form.querySelector("#badge-own-colour").checked) {
      query.set("colour", form.querySelector("#badge-colour").value);
    }
    preview.src = form.getAttribute("data-preview") + "?" + query.toString();
  }
  form.addEventListener("input", redraw);
  form.addEventListener("change", redraw);
})();
