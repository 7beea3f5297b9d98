// Copy buttons: <button data-copy-button hidden> beside <input data-copy-source> and
// <span data-copy-status data-copied="…" data-copy-failed="…">, in one container.
// Progressive enhancement: the button appears only where copying can work.
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("[data-copy-button]").forEach(function (button) {
    var box = button.parentElement;
    var input = box.querySelector("[data-copy-source]");
    var status = box.querySelector("[data-copy-status]");
    if (!input || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () {
          status.textContent = status.dataset.copied;
        },
        function () {
          input.select();
          status.textContent = status.dataset.copyFailed;
        }
      );
    });
  });
})();
