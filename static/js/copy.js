// Copy a secret link shown once: the clipboard when the browser allows it, else select the text.
(function () {
  "use strict";
  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector(button.dataset.copy);
    var status = document.querySelector("[data-copy-status]");
    if (!source) { return; }
    button.hidden = false;

    function report(ok) {
      if (!ok) { selectText(source); }
      if (status) { status.textContent = ok ? button.dataset.copied : button.dataset.failed; }
    }

    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { report(true); }, function () { report(false); });
        return;
      }
      selectText(source);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      report(copied);
    });
  });
})();
