// The toolbar's print button; the page prints from the browser menu too.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
