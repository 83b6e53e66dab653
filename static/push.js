// hearth's web push on the Reminders page (issue 15). Progressive enhancement: without this
// script the page says notifications need it, and the devices already set up can be removed
// with plain forms. With it, "Turn on notifications on this device" asks the browser, subscribes
// through the service worker with the server's VAPID key, and gives the subscription (endpoint
// and keys, nothing else) to hearth; "Stop on this device" takes it back.
'use strict';
(function () {
  var section = document.getElementById('push');
  if (!section) return;
  var nojs = section.querySelector('[data-push-nojs]');
  var controls = section.querySelector('[data-push-controls]');
  var on = section.querySelector('[data-push-on]');
  var off = section.querySelector('[data-push-off]');
  var status = section.querySelector('[data-push-status]');
  // The words in the reader's language come with the page (data-say-*); English when a page lacks them.
  function words(name, english) { return section.dataset[name] || english; }
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    nojs.textContent = words('sayUnsupported', 'This browser cannot show notifications from hearth. Your calendar can remind you instead.');
    return;
  }
  nojs.hidden = true;
  controls.hidden = false;

  function say(text) { status.textContent = text; }
  function keyBytes(text) {
    var b64 = text.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': section.dataset.csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
  }
  // The id of this device's subscription: giving it again answers with the id it has.
  function remember(sub) {
    return api('POST', '/api/v1/push/subscriptions', sub.toJSON()).then(function (res) {
      if (res.status !== 201) throw new Error('refused');
      return res.json();
    });
  }
  var ready = navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(function () {
    return navigator.serviceWorker.ready;
  });
  function show(sub) { on.hidden = !!sub; off.hidden = !sub; }
  ready.then(function (reg) { return reg.pushManager.getSubscription(); }).then(show, function () { show(null); });

  on.addEventListener('click', function () {
    say(words('sayAsking', 'Asking this browser…'));
    Notification.requestPermission().then(function (answer) {
      if (answer !== 'granted') {
        say(words('sayRefused', 'This browser did not allow notifications. You can allow them in its settings for this site.'));
        return undefined;
      }
      return ready.then(function (reg) {
        // A subscription made with another key (a server that changed its key) cannot be reused.
        return reg.pushManager.getSubscription().then(function (old) {
          return old ? old.unsubscribe() : true;
        }).then(function () {
          return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.pushKey) });
        });
      }).then(remember).then(function () {
        window.location.assign('/reminders?device_added=1#push-heading');
      });
    }).catch(function () {
      say(words('sayOnFailed', 'Notifications could not be turned on here. Please try again later.'));
    });
  });

  off.addEventListener('click', function () {
    ready.then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) return undefined;
      return remember(sub).then(function (got) {
        return api('DELETE', '/api/v1/push/subscriptions/' + encodeURIComponent(got.id));
      }).then(function () { return sub.unsubscribe(); });
    }).then(function () {
      window.location.assign('/reminders?device_removed=1#push-heading');
    }).catch(function () {
      say(words('sayOffFailed', 'Notifications could not be stopped here. Please try again later.'));
    });
  });
}());
