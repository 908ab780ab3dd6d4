// "Show the password": a checkbox with data-show-password="<id of a password field>" shows
// the field's text while it is checked. Without JavaScript the checkbox's wrapper stays
// hidden and the field works as any password field.
(function () {
  "use strict";
  function setUp() {
    document.querySelectorAll("input[data-show-password]").forEach(function (box) {
      var field = document.getElementById(box.getAttribute("data-show-password"));
      var wrapper = box.closest("[data-show-password-wrapper]");
      if (!field || !wrapper) { return; }
      wrapper.hidden = false;
      box.addEventListener("change", function () {
        field.type = box.checked ? "text" : "password";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
