// Passkeys (issue 57): WebAuthn is a browser API, so this is the one piece of the passkey
// pages that needs JavaScript. Two parts, each switched on by a data attribute:
//
// * [data-passkey-register] — the account page's form: the options from
//   POST /api/me/passkeys/options, navigator.credentials.create, then the answer and the
//   name to POST /api/me/passkeys; the page is then loaded again, announcing the new passkey.
// * [data-passkey-sign-in] — the sign-in page's block: the options from
//   POST /api/passkeys/sign-in/options, navigator.credentials.get (the authenticator offers
//   the passkeys it holds: no e-mail address asked), the answer to POST /api/passkeys/sign-in,
//   then on to where the person was going.
//
// Without JavaScript, or in a browser without WebAuthn, both stay hidden and the note that
// says so stays shown; the words come from the page (data-msg-* attributes, from the
// catalogues). Served from /static under the pages' Content-Security-Policy: no inline code.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i += 1) { bytes[i] = binary.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i += 1) { binary += String.fromCharCode(bytes[i]); }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBytes(json.user.id) });
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return options;
  }

  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return options;
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var answer = { clientDataJSON: toText(response.clientDataJSON) };
    if (response.attestationObject) {
      answer.attestationObject = toText(response.attestationObject);
      answer.transports = response.getTransports ? response.getTransports() : [];
    } else {
      answer.authenticatorData = toText(response.authenticatorData);
      answer.signature = toText(response.signature);
      if (response.userHandle) { answer.userHandle = toText(response.userHandle); }
    }
    return {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(), response: answer
    };
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (error) {
      return "";
    }
  }

  function post(url, body) {
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    var token = csrfToken();
    if (token) { headers["X-CSRF-Token"] = token; }
    return fetch(url, {
      method: "POST", headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw { status: response.status, data: data }; }
        return data;
      });
    });
  }

  function say(element, holder, key) {
    element.textContent = holder.getAttribute("data-msg-" + key) || "";
    element.hidden = !element.textContent;
  }

  // The browser's refusals: the person cancelled or took too long, or this authenticator
  // holds a passkey of the account already.
  function refusal(error) {
    if (error && error.name === "NotAllowedError") { return "cancelled"; }
    if (error && error.name === "InvalidStateError") { return "exists"; }
    if (error && error.status === 429) { return "locked"; }
    if (error && error.status === 403) { return "disabled"; }
    return "failed";
  }

  function setUpRegistration(form) {
    var status = form.querySelector("[data-passkey-status]");
    var button = form.querySelector("button");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = form.querySelector("input[name=name]").value;
      button.disabled = true;
      say(status, form, "waiting");
      post("/api/me/passkeys/options").then(function (json) {
        return navigator.credentials.create({ publicKey: creationOptions(json) });
      }).then(function (credential) {
        return post("/api/me/passkeys", { name: name, credential: credentialJSON(credential) });
      }).then(function () {
        window.location.assign("/account?done=passkey-added#passkeys");
      }).catch(function (error) {
        var why = error && error.status === 422 && error.data && error.data.errors &&
          error.data.errors[0] && error.data.errors[0].location === "name" ? "name" : refusal(error);
        say(status, form, why);
        button.disabled = false;
      });
    });
  }

  function setUpSignIn(block) {
    var status = block.querySelector("[data-passkey-status]");
    var button = block.querySelector("button");
    button.addEventListener("click", function () {
      button.disabled = true;
      say(status, block, "waiting");
      post("/api/passkeys/sign-in/options").then(function (json) {
        return navigator.credentials.get({ publicKey: requestOptions(json) });
      }).then(function (credential) {
        return post("/api/passkeys/sign-in", {
          credential: credentialJSON(credential), next: block.getAttribute("data-next") || ""
        });
      }).then(function (answer) {
        window.location.assign(answer.next);
      }).catch(function (error) {
        say(status, block, refusal(error));
        button.disabled = false;
      });
    });
  }

  function setUp() {
    if (!window.PublicKeyCredential || !navigator.credentials) { return; }
    document.querySelectorAll("[data-passkey-register]").forEach(function (form) {
      setUpRegistration(form);
      form.hidden = false;
    });
    document.querySelectorAll("[data-passkey-sign-in]").forEach(function (block) {
      setUpSignIn(block);
      block.hidden = false;
    });
    document.querySelectorAll("[data-passkey-unsupported]").forEach(function (note) {
      note.hidden = true;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
}());
