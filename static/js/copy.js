// Copy buttons: <button data-copy-target="ID" data-copied-text="..."> copies
// the value of the input with that id and announces it in .copy-status.
document.querySelectorAll("[data-copy-target]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.copyTarget);
    var status = document.querySelector(".copy-status");
    function announce() { if (status) { status.textContent = button.dataset.copiedText; } }
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(announce, function () {
        document.execCommand("copy"); announce();
      });
    } else {
      document.execCommand("copy");
      announce();
    }
  });
});
