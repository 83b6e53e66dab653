// hearth quick exit: leave at once, and replace this page in the history so
// the back button does not return to it. Without JavaScript the link still works.
// With "Sign me out on Quick exit" (the account page) the link carries the form
// token in data-sign-out, and the session is ended on the way out (a beacon: it
// is sent even though the page is being left).
function hearthQuickExit(link) {
  var token = link.getAttribute('data-sign-out');
  if (token && navigator.sendBeacon) {
    navigator.sendBeacon('/logout', new URLSearchParams({ csrf: token }));
  }
  window.location.replace(link.href);
}
document.addEventListener('click', function (event) {
  var link = event.target.closest && event.target.closest('[data-quick-exit]');
  if (!link) return;
  event.preventDefault();
  hearthQuickExit(link);
});
document.addEventListener('keydown', function (event) {
  if (event.key === 'Escape' && event.shiftKey) {
    var link = document.querySelector('[data-quick-exit]');
    if (link) hearthQuickExit(link);
  }
});
// Issue 13: a "Print" button where a page offers one (the page prints without it).
document.querySelectorAll('[data-print]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () { window.print(); });
});
