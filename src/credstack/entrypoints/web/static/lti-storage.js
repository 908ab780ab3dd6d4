// LTI platform storage (1EdTech LTI Client Side postMessages, OIDC login with platform
// storage): in a frame whose browser keeps no third-party cookie, the login's state is kept
// by the LMS's window instead. The login page stores it (lti.put_data) and goes on to the
// LMS; the launch page reads it back (lti.get_data) and posts the launch again with it.
// Messages go to the LMS's origin only, and only its answers to this page's message are read.
(function () {
  "use strict";
  var TIMEOUT = 4000;

  function platformWindow(target) {
    var host = window.parent !== window ? window.parent : window.opener;
    if (!host) { return null; }
    if (target === "_parent") { return host; }
    try { return host.frames[target] || null; } catch (e) { return null; }
  }

  function ask(element, message, answered, failed) {
    var target = platformWindow(element.dataset.target);
    var origin = element.dataset.origin;
    if (!target) { failed(); return; }
    message.message_id = "credstack-" + Math.random().toString(36).slice(2) + Date.now();
    var timer = window.setTimeout(function () { done(); failed(); }, TIMEOUT);
    function listen(event) {
      var data = event.data;
      if (event.origin !== origin || !data || typeof data !== "object" ||
          data.message_id !== message.message_id ||
          data.subject !== message.subject + ".response") { return; }
      done();
      if (data.error) { failed(); } else { answered(data); }
    }
    function done() {
      window.clearTimeout(timer);
      window.removeEventListener("message", listen);
    }
    window.addEventListener("message", listen);
    target.postMessage(message, origin);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("lti-storage");
    if (!element) { return; }
    var key = element.dataset.key;
    if (element.dataset.ltiStorage === "put") {
      // Whatever the answer, the login goes on: the state cookie is the fallback.
      var go = function () { window.location.replace(element.dataset.redirect); };
      ask(element, { subject: "lti.put_data", key: key, value: element.dataset.value },
          go, go);
      return;
    }
    ask(element, { subject: "lti.get_data", key: key }, function (data) {
      if (data.key !== key || typeof data.value !== "string" || !data.value) {
        document.querySelector("[data-lti-storage-failed]").hidden = false;
        return;
      }
      element.elements.lti_storage_state.value = data.value;
      element.submit();
    }, function () {
      document.querySelector("[data-lti-storage-failed]").hidden = false;
    });
  });
}());
