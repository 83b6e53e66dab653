// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Issue 16, the reminders and articles area in Spanish and German: a person with a reminder, a
// device for notifications, an address for email, quiet hours and notices reads the Reminders
// page, the pages behind an email's links, the articles, an article with a comment and the
// topics, with a browser asking for es and then de; a therapist reads the article's moderation
// and the editor the same way. Each page says <html lang>, shows a few words of its language and
// none of a few English sentences of the area, passes axe, and does not scroll sideways at
// 360 px (screenshots desktop and 360 px into the run's directory). A fault on a reminder's form
// is said in the reader's language, on its field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMailbox, outboxEnv } from '../e2e/lib/outbox.mjs';
import { addUser } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { MOBILE, assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { PASSWORD, apiAs, gotoOk, login, signup, uniqueUsername, pushSubscription } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const LOCALES = { es: 'es-ES', de: 'de-DE' };
let SLUG = ''; // the article's, once written

/** The pages of the area, who reads them, a few English sentences none may keep, and words each language shows. */
const PAGES = () => [
  {
    who: 'person', path: '/reminders',
    english: ['A gentle nudge', 'Your calendar address', 'Notifications on this device', 'What to be reminded of', 'Quiet hours', 'When your partner shares something', 'every day', 'your time'],
    es: ['Recordatorios', 'La dirección de tu calendario', 'Notificaciones en este dispositivo', 'Horas de silencio', 'Tu puesta al día', 'Activado:', 'lun', '«Un momento para ti»', 'tu hora'],
    de: ['Erinnerungen', 'Deine Kalenderadresse', 'Benachrichtigungen auf diesem Gerät', 'Ruhezeiten', 'Dein Check-in', 'Ein:', 'Mo', '„Ein Moment für dich“', 'deine Zeit'],
  },
  {
    who: 'person', path: '/email/confirm/0123456789abcdef0123456789abcdef.x',
    english: ['Confirm your address', 'Someone, we hope you'],
    es: ['Confirma tu dirección', 'Alguien, esperamos que tú', 'Confirmar mi dirección'],
    de: ['Bestätige deine Adresse', 'hoffentlich du', 'Adresse bestätigen'],
  },
  {
    who: 'person', path: '/unsubscribe/0123456789abcdef0123456789abcdef.x',
    english: ['Stop reminders by email', 'No more reminders will come'],
    es: ['¿Detener los recordatorios por correo?', 'Detener recordatorios por correo'],
    de: ['Erinnerungen per E-Mail beenden?', 'Es kommen keine Erinnerungen mehr per E-Mail.'],
  },
  {
    who: 'person', path: '/articles',
    english: ['Search titles and text', 'Browse by topic', 'Subscribe (Atom feed)', ' views', ' comments'],
    es: ['Artículos', 'Buscar en títulos y texto', 'Explorar por tema', 'Suscribirse (feed Atom)', 'visitas'],
    de: ['Artikel', 'In Titeln und Text suchen', 'Nach Thema stöbern', 'Abonnieren (Atom-Feed)', 'Aufrufe'],
  },
  {
    who: 'person', path: () => `/articles/${SLUG}`,
    english: ['min read', 'Comments appear after', 'Name shown with your comment', 'Send comment', 'All articles'],
    es: ['min de lectura', 'Comentarios', 'Nombre que se muestra con tu comentario', 'Enviar comentario', 'Todos los artículos', 'Por Dr Sam Rivers'],
    de: ['Min. Lesezeit', 'Kommentare', 'Name bei deinem Kommentar', 'Kommentar senden', 'Alle Artikel', 'Von Dr Sam Rivers'],
  },
  {
    who: 'person', path: '/articles/tags',
    english: ['All articles', '1 article'],
    es: ['Temas', '1 artículo', 'Todos los artículos'],
    de: ['Themen', '1 Artikel', 'Alle Artikel'],
  },
  {
    who: 'therapist', path: () => `/articles/${SLUG}`,
    english: ['waiting for approval', 'Approve', 'Delete comment', 'Edit this article'],
    es: ['esperando aprobación', 'Aprobar', 'Borrar comentario', 'Editar este artículo'],
    de: ['wartet auf Freigabe', 'Freigeben', 'Kommentar löschen', 'Diesen Artikel bearbeiten'],
  },
  {
    who: 'therapist', path: '/articles/new',
    english: ['Write an article', 'Topics (up to 5)', 'Published (everyone can read it)', 'HTML is not allowed'],
    es: ['Escribir un artículo', 'Texto (Markdown)', 'Temas (hasta 5)', 'Publicado (cualquier persona puede leerlo)'],
    de: ['Artikel schreiben', 'Text (Markdown)', 'Themen (bis zu 5)', 'Veröffentlicht (für alle lesbar)'],
  },
];

describe('the reminders and articles area in Spanish and German', () => {
  let server; let browser; let base; let shots; let mailbox;
  const states = {};

  before(async () => {
    mailbox = await startMailbox();
    ({ server, base, browser, shots } = await openSuite({ env: outboxEnv(null, { mailbox }) }));
    // A therapist with a tagged article; a person with everything the Reminders page can show.
    const therapist = { username: uniqueUsername('i18nth'), displayName: 'Dr Sam Rivers' };
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    const ther = await apiAs(base, therapist.username);
    SLUG = (await ther('POST', '/articles', { title: 'Slowing down', body_markdown: 'When one of you is hurt, **slow down** first.', publish: true, tags: ['repair'] }, 201)).slug;

    const person = { username: uniqueUsername('i18nrm'), displayName: 'Rowan Remind' };
    const ctx = await newContext(browser, { bypassCSP: true });
    await signup(await ctx.newPage(), base, person);
    const api = await apiAs(base, person.username);
    await api('POST', '/push/subscriptions', pushSubscription(), 201);
    await api('PUT', '/me/email', { email: `${person.username}@example.org` }, 202);
    await api('PUT', '/reminders/checkin', { channels: ['calendar', 'push'], time: '20:30', days: ['mon', 'wed'] });
    await api('PUT', '/reminders/prompt', { channels: ['email'], time: '08:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    await api('POST', '/calendar', undefined, 201);
    await api('PUT', '/me/quiet-hours', { from: '22:00', to: '07:30' });
    await api('PUT', '/me/notices', { kinds: ['checkin', 'prompt'], channels: ['email', 'push'] });
    await api('POST', `/articles/${SLUG}/comments`, { name: 'R. R.', body: 'Thank you for this.' }, 201);
    states.person = await ctx.storageState();
    await ctx.close();

    const tctx = await newContext(browser, { bypassCSP: true });
    await login(await tctx.newPage(), base, therapist);
    states.therapist = await tctx.storageState();
    await tctx.close();
  });
  after(async () => {
    await closeSuite({ server, browser });
    await mailbox?.close();
  });

  for (const [lang, locale] of Object.entries(LOCALES)) {
    it(`${lang}: every page of the area speaks ${lang}, passes axe and fits 360 px`, async () => {
      for (const who of ['person', 'therapist']) {
        const desk = await newContext(browser, { bypassCSP: true, locale, storageState: states[who] });
        const phone = await newContext(browser, { bypassCSP: true, locale, storageState: states[who], ...MOBILE });
        try {
          const page = await desk.newPage();
          const small = await phone.newPage();
          for (const p of PAGES().filter((x) => x.who === who)) {
            const urlPath = typeof p.path === 'function' ? p.path() : p.path;
            await gotoOk(page, base, urlPath);
            assert.equal(await page.locator('html').getAttribute('lang'), lang, `${urlPath}: <html lang>`);
            // open every form of the page, so that what it holds is read and checked too
            await page.locator('main details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
            const text = await page.locator('main').innerText();
            for (const w of p[lang]) assert.ok(text.includes(w), `${urlPath} (${lang}, ${who}) says "${w}"`);
            for (const e of p.english) assert.ok(!text.includes(e), `${urlPath} (${lang}, ${who}) still says "${e}"`);
            await assertNoAxeViolations(page, `${urlPath} (${lang}, ${who})`);
            await gotoOk(small, base, urlPath);
            await small.locator('main details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
            await assertNoHorizontalScroll(small, `${urlPath} (${lang}, ${who}, 360 px)`);
            const name = `i18n-remind-${lang}-${who}-${urlPath.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40)}`;
            await shoot(small, shots, `${name}-360.png`);
            await shoot(page, shots, `${name}-desktop.png`);
          }
        } finally {
          await desk.close();
          await phone.close();
        }
      }
    });
  }

  it('a fault on a reminder\'s form is said in the reader\'s language, on its field', async () => {
    const ctx = await newContext(browser, { bypassCSP: true, locale: 'de-DE', storageState: states.person });
    try {
      const page = await ctx.newPage();
      await gotoOk(page, base, '/reminders');
      const form = page.locator('section#checkin');
      await form.locator('summary').click();
      for (const box of await form.locator('input[name="days"]').all()) await box.uncheck();
      const save = form.locator('details button[type="submit"]');
      assert.equal((await save.innerText()).replace(/\s+/g, ' '), 'Speichern : die Erinnerung für Dein Check-in');
      await save.click();
      await page.waitForLoadState();
      const error = page.locator('#checkin-days-error');
      assert.equal(await error.innerText(), 'Wähle mindestens einen Wochentag.');
      assert.match(await page.locator('main').innerText(), /Wähle mindestens einen Wochentag\./);
      await assertNoAxeViolations(page, '/reminders with a fault (de)');
    } finally {
      await ctx.close();
    }
  });

  it('English stays as it was', async () => {
    const ctx = await newContext(browser, { bypassCSP: true, storageState: states.person });
    try {
      const page = await ctx.newPage();
      await gotoOk(page, base, '/reminders');
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      const text = await page.locator('main').innerText();
      for (const w of ['Reminders', 'A gentle nudge', 'On: 20:30, Mon Wed', 'On: 22:00 to 07:30, your time', 'Quiet hours']) assert.ok(text.includes(w), `says "${w}"`);
    } finally {
      await ctx.close();
    }
  });
});
