// Print buttons: a button with data-print prints the page (the print stylesheet keeps only
// the credential). Without JavaScript the buttons stay hidden; the browser's own Print works.
(function () {
  "use strict";
  function setUp() {
    document.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
