// The code step's on-screen keypad: big keys type into the code field, so a kiosk needs no system
// keyboard. Without this script the keypad stays hidden and the field is a plain text input.
(function () {
  "use strict";
  var pad = document.querySelector("[data-keypad]");
  var input = pad && document.getElementById(pad.dataset.keypadFor);
  if (!input) { return; }
  var length = Number(pad.dataset.keypadLength || 5);

  input.setAttribute("inputmode", "none"); // the keys below replace the touch keyboard
  pad.hidden = false;

  pad.addEventListener("click", function (event) {
    var key = event.target.closest("button");
    if (!key) { return; }
    var value = input.value.replace(/[\s-]/g, "").toUpperCase();
    if (key.hasAttribute("data-erase")) {
      value = value.slice(0, -1);
    } else if (value.length < length) {
      value += key.dataset.key;
    }
    input.value = value;
  });
})();
