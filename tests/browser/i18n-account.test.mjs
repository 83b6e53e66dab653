// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The account pages in Spanish and German (issue 16): the front page, sign-up, log-in and the
// offline page for a stranger, then, after signing up in that language, the home, the account
// page, the password, reauth and delete pages, two-step login, the space (before and after
// starting one, with an invite code), leaving it and Growth. On each: <html lang>, a few
// translated words, none of a few English sentences of these pages, axe-core, and nothing wider
// than a 360 px phone. Screenshots of each page, 360 px and desktop (when
// HEARTH_SCREENSHOT_DIR is set).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { newContext } from './lib/browser.mjs';
import { assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { uniqueUsername, pathOf, PASSWORD } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

// English sentences of these pages that a Spanish or German reader must not meet.
const ENGLISH = [
  'A secure relationship, practised together',
  'What makes it safe to use',
  'Create my account',
  'Keep me signed in on this device',
  'Where you are signed in',
  'End all other sessions',
  'Log out on every device',
  'Change your password',
  'Please confirm it is you',
  'Two-step login',
  'Nothing is waiting for you',
  'Your space is ready',
  'Invite your partner',
  'Leave this space',
  'You can leave at any time',
  'Create an invite code',
  'Looking back together, gently',
  'Delete my account',
  "You're offline",
  'Start a space',
];

const WORDS = {
  es: {
    '/': ['Una relación segura, practicada en pareja', 'Crear cuenta'],
    '/signup': ['Nombre de usuario', 'Crear mi cuenta'],
    '/login': ['Mantener la sesión iniciada en este dispositivo'],
    '/offline': ['Estás sin conexión'],
    '/dashboard': ['Te damos la bienvenida', 'La pregunta del día'],
    '/account': ['Dónde tienes la sesión iniciada', 'Cerrar sesión en todos los dispositivos', 'este dispositivo'],
    '/account/password': ['Cambiar tu contraseña', 'Contraseña nueva'],
    '/reauth?next=%2Faccount%2Fdelete': ['Confirma que eres tú', 'antes de borrar tu cuenta'],
    '/account/delete': ['Borrar tu cuenta', 'Borrar mi cuenta y todo lo que escribí'],
    '/account/two-step': ['Inicio de sesión en dos pasos', 'Configurar el inicio de sesión en dos pasos'],
    '/space': ['Crear un espacio', 'Unirte al espacio de tu pareja'],
    '/space#in': ['Invitar a tu pareja', 'Tu código de invitación', 'Salir de este espacio'],
    '/space/leave': ['¿Salir de nuestro espacio?', 'Quedarme en el espacio'],
    '/growth': ['Crecimiento', 'Acuerdos', 'Lo que hemos atravesado'],
  },
  de: {
    '/': ['Eine sichere Beziehung, gemeinsam geübt', 'Registrieren'],
    '/signup': ['Benutzername', 'Mein Konto anlegen'],
    '/login': ['Auf diesem Gerät angemeldet bleiben'],
    '/offline': ['Du bist offline'],
    '/dashboard': ['Willkommen', 'Frage des Tages'],
    '/account': ['Wo du angemeldet bist', 'Überall abmelden', 'dieses Gerät'],
    '/account/password': ['Passwort ändern', 'Neues Passwort'],
    '/reauth?next=%2Faccount%2Fdelete': ['Bitte bestätige, dass du es bist', 'bevor dein Konto gelöscht wird'],
    '/account/delete': ['Konto löschen', 'Mein Konto und alles Geschriebene löschen'],
    '/account/two-step': ['Anmeldung in zwei Schritten', 'Anmeldung in zwei Schritten einrichten'],
    '/space': ['Einen Bereich anlegen', 'Einem Bereich beitreten'],
    '/space#in': ['Den Menschen an deiner Seite einladen', 'Dein Einladungscode', 'Diesen Bereich verlassen'],
    '/space/leave': ['Unseren Bereich verlassen?', 'Im Bereich bleiben'],
    '/growth': ['Wachsen', 'Vereinbarungen', 'Was wir durchgestanden haben'],
  },
};

/** Clicks the submit button of the form posting to `action` and waits for the next page. */
async function post(page, action) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`form[action="${action}"] button[type="submit"]`).first().click(),
  ]);
  return response;
}

for (const lang of ['es', 'de']) {
  describe(`the account pages in ${lang}`, () => {
    let server; let browser; let base; let shots;
    let ctxPhone; let phone; let ctxDesk; let desk;

    before(async () => {
      ({ server, base, browser, shots } = await openSuite());
      const locale = lang === 'es' ? 'es-ES' : 'de-DE';
      ctxPhone = await newContext(browser, { ...PHONE, locale, bypassCSP: true });
      ctxDesk = await newContext(browser, { viewport: { width: 1280, height: 900 }, locale, bypassCSP: true });
      phone = await ctxPhone.newPage();
      desk = await ctxDesk.newPage();
    });
    after(() => closeSuite({ server, browser }));

    /** The page as it is now on the phone, then the same URL on the desktop (GET pages only). */
    async function check(key, t, { alsoDesktop = true } = {}) {
      const label = `${key} (${lang})`;
      assert.equal(await phone.getAttribute('html', 'lang'), lang, `${label}: <html lang>`);
      const text = (await phone.locator('main').textContent()).replace(/\s+/g, ' ');
      for (const w of WORDS[lang][key]) assert.ok(text.includes(w), `${label}: "${w}" missing from: ${text.slice(0, 400)}`);
      for (const e of ENGLISH) assert.ok(!text.includes(e), `${label}: English "${e}" remains`);
      await assertNoAxeViolations(phone, label);
      await assertNoHorizontalScroll(phone, label);
      const name = `i18n-account-${lang}-${key.replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '') || 'front'}`;
      await shoot(phone, shots, `${name}-360.png`);
      if (alsoDesktop) {
        await desk.goto(phone.url());
        assert.equal(await desk.getAttribute('html', 'lang'), lang);
        await shoot(desk, shots, `${name}-desktop.png`);
      }
      if (shots) t.diagnostic(`screenshots: ${path.join(shots, name)}-*.png`);
    }

    async function open(urlPath) {
      const resp = await phone.goto(base + urlPath);
      assert.equal(resp.status(), 200, `GET ${urlPath} answered ${resp.status()}`);
    }

    it('speaks the language to a stranger: front page, sign-up, log-in, offline', async (t) => {
      for (const p of ['/', '/signup', '/login', '/offline']) {
        await open(p);
        await check(p, t);
      }
    });

    it('signs up in the language and shows the home, account and security pages in it', async (t) => {
      await open('/signup');
      await phone.locator('input[name="username"]').fill(uniqueUsername(`i18n${lang}`));
      await phone.locator('input[name="display_name"]').fill(lang === 'es' ? 'Lucía' : 'Jörg');
      await phone.locator('input[name="password"]').fill(PASSWORD);
      await post(phone, '/signup');
      assert.equal(pathOf(phone), '/dashboard');
      await ctxDesk.addCookies(await ctxPhone.cookies()); // the desktop shows the same person
      await check('/dashboard', t);
      for (const p of ['/account', '/account/password', '/reauth?next=%2Faccount%2Fdelete', '/account/delete',
        '/account/two-step', '/space', '/growth']) {
        await open(p);
        await check(p, t);
      }
    });

    it('starts a space, makes an invite code and asks before leaving, all in the language', async (t) => {
      await open('/space');
      await post(phone, '/space/create');
      await post(phone, '/space/invite');
      assert.equal(pathOf(phone), '/space');
      await check('/space#in', t);
      await post(phone, '/space/leave');
      await check('/space/leave', t, { alsoDesktop: false });
      // A form problem in the language: the time zone the domain does not know.
      await phone.goto(`${base}/account`);
      await phone.locator('#time_zone').fill('Mars/Olympus');
      await post(phone, '/account/profile');
      const error = await phone.locator('#time_zone-error').textContent();
      assert.match(error, lang === 'es' ? /No conocemos esta zona horaria/ : /Diese Zeitzone kennen wir nicht/);
      await assertNoAxeViolations(phone, `profile error (${lang})`);
      await assertNoHorizontalScroll(phone, `profile error (${lang})`);
    });
  });
}
