// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The main journey in Spanish and in German (issue 16), on a 360-px phone: sign-up, a space with
// a partner, a check-in, the daily question, a repair opened. Each couple's browsers ask for the
// language (Accept-Language from the context's locale); nobody sets anything. On every page:
//   - <html lang> is the language;
//   - no sentence is left in English: each text of the page is compared with the same page drawn
//     in English for the same person, and a text that is the same in both (other than what the
//     people wrote, their names and the few words the languages share) fails the test;
//   - axe-core finds nothing, and nothing is wider than the phone (German words are long).
// Forms are found by their action and fields by their names, never by English words.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newContext } from './lib/browser.mjs';
import { assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { uniqueUsername, PASSWORD, pathOf } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, bypassCSP: true };
// Words that are the same in English and the language: the name, what the glossary keeps, and every
// text of the content that its translation spells as the English does (a feeling "invisible", "warm").
const SAME = {
  es: new Set(['hearth']),
  de: new Set(['hearth', 'Check-in', 'Check-ins', 'Check-in.', 'Okay', 'Check-ins · hearth']),
};
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
function strings(v, out = new Set()) {
  if (typeof v === 'string') out.add(v.replace(/\s+/g, ' ').trim());
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}
for (const lang of Object.keys(SAME)) {
  for (const f of ['feelings.json', 'repair-guide.json', 'break-guide.json', 'safety.json', 'prompts.json']) {
    const en = strings(JSON.parse(readFileSync(path.join(ROOT, 'data', f), 'utf8')));
    for (const t of strings(JSON.parse(readFileSync(path.join(ROOT, 'data/i18n', lang, f), 'utf8')))) {
      if (en.has(t)) SAME[lang].add(t);
    }
  }
}

/** The page's texts: each text node and each read attribute, white space folded. */
function textsOf(page, html) {
  return page.evaluate((source) => {
    const doc = new DOMParser().parseFromString(source, 'text/html');
    const out = [];
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement && ['SCRIPT', 'STYLE', 'TEXTAREA', 'OPTION'].includes(n.parentElement.tagName)) continue;
      const t = n.textContent.replace(/\s+/g, ' ').trim();
      if (t) out.push(t);
    }
    for (const el of doc.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(a);
        if (v && v.trim()) out.push(v.replace(/\s+/g, ' ').trim());
      }
    }
    out.push(doc.title.replace(/\s+/g, ' ').trim());
    return out;
  }, html);
}

/** Fails when a text of this page is the same as in its English twin (what people wrote aside). */
async function assertTranslated(page, lang, own) {
  const url = page.url();
  const html = await page.content();
  const english = await page.request.get(url, { headers: { 'Accept-Language': 'en' } });
  assert.equal(english.status(), 200, `${url} in English`);
  const en = new Set(await textsOf(page, await english.text()));
  const left = (await textsOf(page, html)).filter((t) => en.has(t)
    && /[A-Za-z]{3}/.test(t)
    && !SAME[lang].has(t)
    && !own.some((o) => o && (t.includes(o) || o.includes(t)))
    && !/^[\d\s:./,–-]+$/.test(t));
  assert.deepEqual([...new Set(left)], [], `${pathOf(page)} in ${lang} still says, in English`);
}

/** Checks a page as the brief asks: its language, nothing in English, axe, 360 px. */
async function check(page, lang, own, shots, name) {
  assert.equal(await page.getAttribute('html', 'lang'), lang, `${page.url()}: <html lang>`);
  await assertTranslated(page, lang, own);
  await assertNoAxeViolations(page, `${pathOf(page)} (${lang})`);
  await assertNoHorizontalScroll(page, `${pathOf(page)} (${lang})`);
  await shoot(page, shots, `lang-${lang}-${name}-360.png`);
}

/** Submits the form with this action (its first submit button) and waits for the next page. */
async function post(page, action) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`form[action="${action}"] button[type="submit"]`).first().click(),
  ]);
  return response;
}

async function goto(page, base, p) {
  const r = await page.goto(base + p);
  assert.equal(r.status(), 200, `GET ${p}: ${r.status()}`);
}

for (const lang of ['es', 'de']) {
  describe(`the main journey in ${lang} at 360 px`, () => {
    let suite; let a; let b; const own = [];
    const locale = lang === 'es' ? 'es-ES' : 'de-DE';

    before(async () => {
      suite = await openSuite();
      a = await (await newContext(suite.browser, { ...PHONE, locale })).newPage();
      b = await (await newContext(suite.browser, { ...PHONE, locale })).newPage();
    });
    after(async () => closeSuite(suite));

    it('signs up, makes a space and brings the partner in', async () => {
      const { base, shots } = suite;
      await goto(a, base, '/signup');
      await check(a, lang, own, shots, 'signup');
      const names = lang === 'es' ? ['Lucía', 'Mateo'] : ['Jana', 'Lukas'];
      own.push(...names);
      for (const [page, name] of [[a, names[0]], [b, names[1]]]) {
        if (page === b) await goto(b, base, '/signup');
        const username = uniqueUsername(lang);
        own.push(username);
        await page.locator('input[name="username"]').fill(username);
        await page.locator('input[name="display_name"]').fill(name);
        await page.locator('input[name="password"]').fill(PASSWORD);
        await post(page, '/signup');
        assert.equal(pathOf(page), '/dashboard', `sign-up lands on the dashboard, got ${page.url()}`);
      }
      await check(a, lang, own, shots, 'dashboard-new');
      await goto(a, base, '/space');
      await check(a, lang, own, shots, 'space');
      await post(a, '/space/create');
      await post(a, '/space/invite');
      const code = (await a.locator('.invite-code').first().textContent()).trim();
      own.push(code);
      await check(a, lang, own, shots, 'space-invite');
      await goto(b, base, '/space');
      await b.locator('input[name="code"]').fill(code);
      await post(b, '/space/join');
      await check(b, lang, own, shots, 'space-joined');
    });

    it('writes a check-in and reads it back', async () => {
      const { base, shots } = suite;
      await goto(a, base, '/checkins/new');
      await check(a, lang, own, shots, 'checkin-form');
      // the form again with its errors: every message in the language
      await a.evaluate(() => { for (const f of document.querySelectorAll('form')) f.noValidate = true; });
      await post(a, '/checkins/new');
      await check(a, lang, own, shots, 'checkin-errors');
      // each field's message is the summary's, in the language (the English twin of a refused form is not a GET)
      const summary = (await a.locator('.error-summary li').allTextContents()).map((t) => t.trim());
      const fields = (await a.locator('.field-error').allTextContents()).map((t) => t.trim());
      assert.ok(fields.length >= 3, `the refused form marks its fields: ${fields}`);
      for (const f of fields) assert.ok(summary.includes(f), `"${f}" by its field is not the summary's (${summary})`);
      assert.ok(!summary.some((t) => /^Choose /.test(t)), `the summary is in ${lang}: ${summary}`);
      const words = lang === 'es' ? 'gracias por el café de esta mañana' : 'danke für den Kaffee heute früh';
      own.push(words);
      await a.locator('input[name="mood"][value="4"]').check();
      await a.locator('input[name="connection"][value="7"]').check();
      await a.locator('input[name="secure"][value="8"]').check();
      await a.locator('textarea[name="appreciation"]').fill(words);
      await a.locator('input[name="visibility"][value="partner"]').check();
      await post(a, '/checkins/new');
      assert.equal(pathOf(a), '/checkins');
      await check(a, lang, own, shots, 'checkins');
      await goto(b, base, '/dashboard');
      await check(b, lang, own, shots, 'dashboard-partner');
    });

    it('answers the daily question', async () => {
      const { base, shots } = suite;
      await goto(a, base, '/prompts');
      await check(a, lang, own, shots, 'prompt');
      const answer = lang === 'es' ? 'cuando bailamos en la cocina' : 'als wir in der Küche getanzt haben';
      own.push(answer);
      await a.locator('textarea[name="text"]').fill(answer);
      const action = await a.locator('form textarea[name="text"]').evaluate((t) => t.form.getAttribute('action'));
      await post(a, action);
      await check(a, lang, own, shots, 'prompt-answered');
    });

    it('opens a repair', async () => {
      const { base, shots } = suite;
      await goto(a, base, '/repairs');
      await check(a, lang, own, shots, 'repairs');
      await goto(a, base, '/repairs/new');
      await check(a, lang, own, shots, 'repair-check');
      await post(a, '/repairs/safety'); // the private check, nothing ticked
      await check(a, lang, own, shots, 'repair-title');
      const title = lang === 'es' ? 'la cena del domingo' : 'das Abendessen am Sonntag';
      own.push(title);
      await a.locator('input[name="title"]').fill(title);
      await post(a, '/repairs/new');
      assert.match(pathOf(a), /^\/repairs\/[^/]+$/, `the repair opens, got ${a.url()}`);
      await check(a, lang, own, shots, 'repair-step');
    });
  });
}
