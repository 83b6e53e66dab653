// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The therapy area in Spanish and in German (issue 16): the therapist's couples, a couple's page
// (next session, check-ins, homework, the list for the next session, repairs), the before-session
// summary; a partner's homework, their list for the next session and the printable export. The
// people and what they wrote are made in English; each page is then read by a browser whose
// language is es or de (Accept-Language, no setting of their own). On each page: <html lang>, a
// few translated words, none of a few English sentences of the area, axe-core, and no sideways
// scrolling at 360 px. Screenshots (desktop and 360 px) when HEARTH_SCREENSHOT_DIR is set.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { MOBILE, assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import {
  PASSWORD, login, gotoOk, submit, makeCouple, uniqueUsername, therapistCode, linkTherapistCode, apiAs,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DR = 'Dr Ruiz';

// Per language: what each page must say, and English of the area it must no longer say.
const WORDS = {
  es: {
    locale: 'es-ES',
    therapist: ['Tus parejas', 'Invitar a una pareja', 'Parejas vinculadas', 'da su consentimiento'],
    space: ['Próxima sesión', 'Puestas al día compartidas contigo', 'Dar una tarea', 'Tus notas privadas', 'Ya conversado', 'en curso'],
    summary: ['Antes de tu sesión con', 'Periodo', 'Medias de lo que', 'Títulos y en qué punto'],
    homework: ['Tareas', 'para esta semana', 'Marcar como hecha', 'Esta semana no'],
    bridge: ['Para nuestra próxima sesión', 'Añadir algo para llevar', 'Mi lista', 'compartido con tu terapeuta'],
    export: ['Todo lo que escribiste', 'Puestas al día', 'Lo que llevé a nuestras sesiones', 'Mis recordatorios'],
  },
  de: {
    locale: 'de-DE',
    therapist: ['Deine Paare', 'Ein Paar einladen', 'Verbundene Paare', 'stimmt zu'],
    space: ['Nächste Sitzung', 'Mit dir geteilte Check-ins', 'Hausaufgabe geben', 'Deine privaten Notizen', 'Besprochen', 'offen'],
    summary: ['Vor deiner Sitzung mit', 'Zeitraum', 'Mittelwerte dessen, was', 'Titel und wo jede steht'],
    homework: ['Hausaufgaben', 'für diese Woche', 'Als erledigt markieren', 'Diese Woche nicht'],
    bridge: ['Für unsere nächste Sitzung', 'Etwas zum Mitbringen hinzufügen', 'Meine Liste', 'für die Therapie geteilt'],
    export: ['Alles, was du geschrieben hast', 'Check-ins', 'Was ich in unsere Sitzungen mitgebracht habe', 'Meine Erinnerungen'],
  },
};
const ENGLISH = {
  therapist: ['Your couples', 'Invite a couple', 'Linked couples', 'Create a code', 'consents'],
  space: ['Next session', 'Check-ins shared with you', 'Give homework', 'Your private notes', 'Save the date',
    'Titles and where each stands', 'Mood ', 'For both:'],
  summary: ['Before your session with', 'Leave both empty', 'Show this period', 'Felt secure', 'Means of what'],
  homework: ['What your therapist suggested', 'Mark as done', 'Not this week', 'for this week'],
  bridge: ['For our next session', 'Add something to bring', 'What would you like to bring?', 'Take it off my list',
    'shared with our therapist'],
  export: ['Everything you wrote', 'Print this page', 'Answers to daily questions', 'What I brought to our sessions',
    'None.'],
};

describe('the therapy area in Spanish and German', () => {
  let server; let browser; let base; let shots;
  let english = []; // the English contexts the people were made in
  let spacePath;
  const therapist = { username: uniqueUsername('i18nther'), displayName: DR };
  let a;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    english = await Promise.all([0, 1, 2].map(() => newContext(browser, { bypassCSP: true })));
    const [ther, pageA, pageB] = await Promise.all(english.map((c) => c.newPage()));
    await login(ther, base, therapist);
    const code = await therapistCode(ther, base);
    ({ a } = await makeCouple(pageA, pageB, base, 'i18n'));
    await linkTherapistCode(pageA, base, code);
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Give my consent');
    await gotoOk(ther, base, '/therapist');
    spacePath = await ther.locator('main a[href^="/therapist/spaces/"]').first().getAttribute('href');
    const spaceId = spacePath.split('/').pop();

    // Something on every section: a check-in, a repair, a bridge item and homework, a next session.
    const apiA = await apiAs(base, a.username);
    const apiT = await apiAs(base, therapist.username);
    await apiA('POST', '/checkins', { mood: 4, connection: 7, secure: 8, appreciation: 'the walk', visibility: 'therapist' }, 201);
    await apiA('POST', '/repairs', { title: 'The late dinner' }, 201);
    await apiA('POST', '/bridge', { text: 'How we talk about money', share_with_therapist: true }, 201);
    await apiT('POST', `/therapist/spaces/${spaceId}/homework`, { kind: 'task', text: 'Ten minutes of listening', for: 'both' }, 201);
    const at = new Date(Date.now() + 5 * 86400e3).toISOString().slice(0, 16);
    await apiT('PUT', `/therapist/spaces/${spaceId}/next-session`, { at });
  });
  after(async () => {
    await Promise.all(english.map((c) => c.close()));
    await closeSuite({ server, browser });
  });

  for (const lang of ['es', 'de']) {
    it(`${lang}: the therapist's and the partner's pages speak ${lang}`, async () => {
      const w = WORDS[lang];
      // The same sessions (cookies), read by a browser of another language, at 360 px.
      const open = async (from) => {
        const ctx = await newContext(browser, {
          bypassCSP: true, locale: w.locale, storageState: await english[from].storageState(), ...MOBILE,
        });
        return ctx.newPage();
      };
      const ther = await open(0);
      const pageA = await open(1);
      const check = async (page, url, key) => {
        await gotoOk(page, base, url);
        assert.equal(await page.locator('html').getAttribute('lang'), lang, `${url}: <html lang>`);
        const text = await page.locator('main').innerText();
        for (const word of w[key]) assert.ok(text.includes(word), `${url} (${lang}) says "${word}":\n${text}`);
        for (const en of ENGLISH[key]) assert.ok(!text.includes(en), `${url} (${lang}) still says "${en}":\n${text}`);
        await assertNoHorizontalScroll(page, `${url} (${lang})`);
        await assertNoAxeViolations(page, `${url} (${lang})`);
        const name = `i18n-therapy-${lang}-${key}`;
        await shoot(page, shots, `${name}-360.png`);
        await page.setViewportSize({ width: 1280, height: 900 });
        await shoot(page, shots, `${name}-desktop.png`);
        await page.setViewportSize(MOBILE.viewport);
      };
      await check(ther, '/therapist', 'therapist');
      await check(ther, spacePath, 'space');
      await check(ther, `${spacePath}/summary`, 'summary');
      await check(pageA, '/homework', 'homework');
      await check(pageA, '/bridge', 'bridge');

      // The export asks for the password once the session is no longer fresh: type it if asked.
      await pageA.goto(`${base}/account/export`);
      if (new URL(pageA.url()).pathname === '/reauth') {
        await pageA.locator('input[name="password"]').fill(PASSWORD);
        await pageA.locator('main form button[type="submit"]').click();
        await pageA.waitForLoadState('load');
      }
      await check(pageA, '/account/export', 'export');
      // The person's own words stay as written.
      assert.ok((await pageA.locator('main').innerText()).includes('How we talk about money'));

      // A form's problem from the domain, in the reader's language.
      await gotoOk(pageA, base, '/bridge');
      await pageA.locator('main form[action="/bridge"] button[type="submit"]').click();
      await pageA.waitForLoadState('load');
      const problem = lang === 'es' ? 'Primero escribe lo que te gustaría llevar.' : 'Schreib zuerst, was du mitbringen möchtest.';
      assert.ok((await pageA.locator('main').innerText()).includes(problem), `the problem in ${lang}`);
      await assertNoAxeViolations(pageA, `/bridge with a problem (${lang})`);

      await ther.context().close();
      await pageA.context().close();
    });
  }
});
