// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Issue 16, the check-in area in Spanish and German: a couple writes check-ins, answers the
// daily question and a questionnaire in English; then A reads the check-ins, the form, the
// daily question and its history, the decks, trends, the timeline and the questionnaire pages
// with a browser asking for es and then de (the same session, another Accept-Language). Each
// page says <html lang>, shows a few words of its language and none of a few English sentences
// of the area, passes axe, and does not scroll sideways at 360 px. The content (questions,
// deck and questionnaire texts) is another part's work: it is not asserted here.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, makeCouple, writeCheckin, submit } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

// Sentences of the area's pages that must not remain in English (UI words, not content).
const ENGLISH = {
  '/checkins': ['Write a check-in', "My partner's", 'Answer the appreciation:', 'Shared with you', 'Older check-ins'],
  '/checkins/new': ['Who will see this?', 'How close do you feel to each other today?', 'Choose per item', 'Save check-in'],
  '/prompts': ["Today's question", "Your partner's answer", 'I need a break', 'Questions we answered'],
  '/prompts/history': ['Questions we answered', 'Earlier questions'],
  '/decks': ['Decks of questions for walks', 'The decks work without a connection'],
  '/decks/money': ['Ask this tomorrow', 'All the decks'],
  '/trends': ['One point per day with data', 'the last 30 days', 'Show'],
  '/timeline': ['Everything you may see, newest first.', 'mood 4/5', 'Review of an agreement'],
  '/questionnaires': ['Short check-ups you can repeat', 'Suggested every'],
  '/questionnaires/security-check': ['Who will see the result?', 'My results over time', 'About this questionnaire', 'Save my answers'],
  '/questionnaires/security-check?done=1': ['your result', 'Part by part', 'Answer it again', 'Scores go from'],
};

// A few words each page must show in the language.
const WORDS = {
  es: {
    '/checkins': ['Puestas al día', 'Mías', 'De mi pareja', 'Escribir una puesta al día', 'Responde al aprecio:'],
    '/checkins/new': ['¿Quién lo verá?', 'Elegir parte por parte', 'Ánimo', 'Guardar la puesta al día'],
    '/prompts': ['La pregunta del día', 'La respuesta de tu pareja', 'Necesito una pausa'],
    '/prompts/history': ['Preguntas que respondimos', 'Tu pareja'],
    '/decks': ['Preguntas para conversar', 'Colecciones de preguntas'],
    '/decks/money': ['Preguntar mañana', 'Todas las colecciones'],
    '/trends': ['Tendencias', 'los últimos 30 días', 'Mostrar'],
    '/timeline': ['Línea de tiempo', 'ánimo 4/5', 'Puesta al día'],
    '/questionnaires': ['Cuestionarios', 'Sugerido cada'],
    '/questionnaires/security-check': ['¿Quién verá el resultado?', 'Mis resultados en el tiempo', 'Sobre este cuestionario'],
    '/questionnaires/security-check?done=1': ['tu resultado', 'Parte por parte', 'Responder de nuevo', 'Los resultados van de'],
  },
  de: {
    '/checkins': ['Check-ins', 'Meine', 'Vom Menschen an meiner Seite', 'Check-in schreiben', 'Antworte auf die Wertschätzung:'],
    '/checkins/new': ['Wer sieht das?', 'Für jeden Teil wählen', 'Stimmung', 'Check-in speichern'],
    '/prompts': ['Frage des Tages', 'Die andere Antwort', 'Ich brauche eine Pause'],
    '/prompts/history': ['Unsere beantworteten Fragen', 'Der Mensch an deiner Seite'],
    '/decks': ['Fragen zum Reden', 'Fragensets für Spaziergänge'],
    '/decks/money': ['Morgen fragen', 'Alle Fragensets'],
    '/trends': ['Entwicklung', 'die letzten 30 Tage', 'Zeigen'],
    '/timeline': ['Verlauf', 'Stimmung 4/5', 'Check-in'],
    '/questionnaires': ['Fragebögen', 'Empfohlen alle'],
    '/questionnaires/security-check': ['Wer sieht das Ergebnis?', 'Meine Ergebnisse im Verlauf', 'Über diesen Fragebogen'],
    '/questionnaires/security-check?done=1': ['dein Ergebnis', 'Teil für Teil', 'Noch einmal beantworten', 'Die Werte reichen von'],
  },
};

const LOCALES = { es: 'es-ES', de: 'de-DE' };

describe('the check-in area in Spanish and German', () => {
  let server; let browser; let base; let shots; let ctxA; let ctxB; let pageA; let pageB; let state;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    await makeCouple(pageA, pageB, base, 'i18nck');
    await writeCheckin(pageA, base, { mood: 4, visibility: 'partner', appreciation: 'Thanks for the tea.' });
    await writeCheckin(pageB, base, { mood: 5, visibility: 'partner', appreciation: 'You listened well.' });
    for (const page of [pageA, pageB]) {
      await gotoOk(page, base, '/prompts');
      await page.locator('textarea[name="text"]').fill('Walking together on Sunday.');
      await submit(page, 'Share my answer');
    }
    await gotoOk(pageA, base, '/questionnaires/security-check');
    const items = await pageA.locator('#answers fieldset').evaluateAll((fs) => fs.map((f) => f.id));
    for (const id of items) await pageA.locator(`input[name="${id}"]`).first().check();
    await submit(pageA, 'Save my answers');
    state = await ctxA.storageState();
  });
  after(() => closeSuite({ server, browser }));

  for (const [lang, locale] of Object.entries(LOCALES)) {
    it(`${lang}: every page of the area speaks ${lang}, passes axe and fits 360 px`, async () => {
      const desk = await newContext(browser, { bypassCSP: true, locale, storageState: state });
      const phone = await newContext(browser, { bypassCSP: true, locale, storageState: state, ...MOBILE });
      try {
        const page = await desk.newPage();
        const small = await phone.newPage();
        for (const [urlPath, english] of Object.entries(ENGLISH)) {
          await gotoOk(page, base, urlPath);
          assert.equal(await page.locator('html').getAttribute('lang'), lang, `${urlPath}: <html lang>`);
          const text = await page.locator('main').innerText();
          for (const w of WORDS[lang][urlPath]) assert.ok(text.includes(w), `${urlPath} (${lang}) says "${w}"`);
          for (const e of english) assert.ok(!text.includes(e), `${urlPath} (${lang}) still says "${e}"`);
          await assertNoAxeViolations(page, `${urlPath} (${lang})`);
          await gotoOk(small, base, urlPath);
          await assertNoHorizontalScroll(small, `${urlPath} (${lang}, 360 px)`);
          const name = `i18n-checkin-${lang}-${urlPath.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
          await shoot(small, shots, `${name}-360.png`);
          await shoot(page, shots, `${name}-desktop.png`);
        }
      } finally {
        await desk.close();
        await phone.close();
      }
    });
  }

  it('English stays as it was: the same session with en-GB', async () => {
    await gotoOk(pageA, base, '/checkins');
    assert.equal(await pageA.locator('html').getAttribute('lang'), 'en');
    const text = await pageA.locator('main').innerText();
    for (const w of ['Write a check-in', "My partner's", 'Answer the appreciation:']) assert.ok(text.includes(w), w);
  });
});
