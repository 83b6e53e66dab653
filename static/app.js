// hearth's installable app (issue 15): registers the service worker, which keeps only
// public pages and static files for use without a network. Everything works without it.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () {});
  });
}
