// LTI pages: a form marked data-autosubmit goes at once (the deep linking answer back to
// the LMS; its button stays for whoever has scripts off), and a page marked
// data-lti-close tells the LMS that Dynamic Registration is done (LTI-DR 1.0 §3.6.4).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
  if (document.querySelector("[data-lti-close]") && window.parent !== window) {
    window.parent.postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
});
