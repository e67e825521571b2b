// Proof-of-work for the report form: finds n such that SHA-256(token || n as 8 bytes
// big-endian) starts with the asked number of zero bits (prongsai_vault::PowChallenge).
// Same-origin, no dependencies; the form is sent only once the check is done.
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form || !window.crypto || !crypto.subtle) { return; }
  var status = document.getElementById("pow-status");
  var solving = false;
  function hex(s) {
    var b = new Uint8Array(s.length / 2);
    for (var i = 0; i < b.length; i++) { b[i] = parseInt(s.substr(i * 2, 2), 16); }
    return b;
  }
  function zeroBits(h) {
    var n = 0;
    for (var i = 0; i < h.length; i++) {
      if (h[i] === 0) { n += 8; continue; }
      return n + Math.clz32(h[i]) - 24;
    }
    return n;
  }
  async function solve(token) {
    var t = hex(token);
    var bits = t[10];
    var buf = new Uint8Array(t.length + 8);
    buf.set(t);
    var view = new DataView(buf.buffer);
    for (var n = 0; ; n++) {
      view.setBigUint64(t.length, BigInt(n));
      var h = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
      if (zeroBits(h) >= bits) { return n; }
    }
  }
  form.addEventListener("submit", function (e) {
    var nonce = form.elements.pow_nonce;
    if (nonce.value !== "") { return; }
    e.preventDefault();
    if (solving) { return; }
    solving = true;
    if (status) { status.textContent = status.getAttribute("data-working") || "…"; }
    solve(form.elements.pow.value).then(function (n) {
      nonce.value = String(n);
      form.submit();
    });
  });
})();
