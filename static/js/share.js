// Native share sheet: a <button data-share-url data-share-title hidden> is
// shown only where the browser has navigator.share (mostly phones). Without
// it, the copy button and the QR code still work.
if (typeof navigator.share === "function") {
  document.querySelectorAll("[data-share-url]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(function () {
        // The person closed the share sheet: nothing to do.
      });
    });
  });
}
