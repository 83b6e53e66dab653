// hearth quick exit: leave at once, and replace this page in the history so
// the back button does not return to it. Without JavaScript the link still works.
document.addEventListener('click', function (event) {
  var link = event.target.closest && event.target.closest('[data-quick-exit]');
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
document.addEventListener('keydown', function (event) {
  if (event.key === 'Escape' && event.shiftKey) {
    var link = document.querySelector('[data-quick-exit]');
    if (link) window.location.replace(link.href);
  }
});
