// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Issue 16: the repair pages in Spanish and German. A couple made in English opens the pages
// of repairs (the list, opening one, both sides and the private check, a writing step, the
// steps after, the safety page), our cycle, what we came through, a break and agreements,
// from browsers that ask for es and de (Accept-Language, by the context's locale). Each page
// says its language in <html lang>, shows translated words, keeps none of a list of English
// sentences of these pages, passes axe, and does not scroll sideways at 360 px. The content
// (the guides, the feelings) is not checked here: content-translations.test.mjs does.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, assertNoHorizontalScroll } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, makeCouple, apiAs } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

// English sentences of these pages that must not remain in a translated page.
const ENGLISH = [
  'Open a repair', 'First, a private check', 'This answer is for you alone', 'I feel afraid of my partner',
  'Continue', 'Before you answer, a private check', 'Your side', 'Feelings', 'Perspective', 'Both sides are open',
  'When you have read', 'All repairs', 'I need a break', 'say when you will be back', 'Step 1 of',
  'Save my draft', 'Back to the step before', 'Where to find help', 'Leaving quickly',
  'Our cycle', 'When a hard moment comes', 'What we came through', 'Nothing here yet', 'Take a break',
  'I will be back in', 'minutes, back around', 'Agreements', 'Propose an agreement', 'would like to try this',
  'Yes, I want to try this', 'every 7 days', 'Proposed by', 'No repairs yet', 'opened', 'it happened',
  'While you pause', 'Back to your hearth', 'You deserve to be safe', 'Before you begin', 'Next',
];

// Where the content shows (the guides, the feelings, the safety resources): its language is
// content-translations.test.mjs's concern, so the English check below leaves it out.
const CONTENT = [
  '#rules ul', '#rules p.hint', '.reread ul', '.feeling-group', '#feelings legend', '#feelings-hint',
  '.tag', '.break-guide', '.break-partner ul', 'section[aria-labelledby="help-heading"] ul', 'main > p:not(.lead)',
].join(', ');

// Per language: the words each page must show.
const WORDS = {
  es: {
    repairs: ['Reparaciones', 'Abrir una reparación', 'Los dos lados están abiertos'],
    repairNew: ['Primero, un chequeo privado', 'Siento miedo de mi pareja', 'Continuar'],
    repairSides: ['Antes de responder, un chequeo privado', 'Sentimientos', 'Perspectiva', 'Todas las reparaciones'],
    step: ['Paso 1 de 6', 'Guardar mi borrador', 'Siguiente'],
    after: ['Después de escucharse', 'Paso 1 de 3', 'Lo que te escuché decir'],
    safety: ['Mereces estar a salvo', 'Dónde encontrar ayuda', 'Salir rápido, salir para siempre'],
    cycle: ['Nuestro ciclo', 'Antes de escribir, un chequeo privado'],
    cameThrough: ['Lo que hemos atravesado', 'Todavía no hay nada aquí'],
    brk: ['Necesito una pausa', 'Vuelvo dentro de', 'minutos, de vuelta hacia', 'Hacer una pausa'],
    agreementsA: ['Acuerdos', 'Propuesto por ti', 'cada 7 días', 'esperando la respuesta de Brook Partner'],
    agreementsB: ['A Alex Partner le gustaría probar esto.', 'Sí, quiero probarlo', 'Hablemos de esto'],
  },
  de: {
    repairs: ['Aussprachen', 'Aussprache beginnen', 'Beide Seiten sind offen'],
    repairNew: ['Zuerst ein privater Check', 'Ich habe Angst vor der anderen Person', 'Weiter'],
    repairSides: ['Bevor du antwortest: ein privater Check', 'Gefühle', 'Meine Sicht', 'Alle Aussprachen'],
    step: ['Schritt 1 von 6', 'Entwurf speichern', 'Weiter'],
    after: ['Nachdem ihr einander gehört habt', 'Schritt 1 von 3', 'Was ich von dir gehört habe'],
    safety: ['Du verdienst es, geschützt zu sein', 'Wo du Hilfe findest', 'Schnell gehen, endgültig gehen'],
    cycle: ['Unser Kreislauf', 'Bevor du schreibst: ein privater Check'],
    cameThrough: ['Was wir durchgestanden haben', 'Hier ist noch nichts'],
    brk: ['Ich brauche eine Pause', 'Ich bin zurück in', 'Minuten, zurück gegen', 'Pause machen'],
    agreementsA: ['Vereinbarungen', 'Von dir vorgeschlagen', 'alle 7 Tage', 'wartet auf die Antwort von Brook Partner'],
    agreementsB: ['Alex Partner möchte das ausprobieren.', 'Ja, ich möchte es versuchen', 'Lass uns darüber reden'],
  },
};

describe('the repair pages in Spanish and German', () => {
  let server; let browser; let base;
  let stateA; let stateB;
  const repairs = {}; // per language: a repair with both sides shared (its check is answered there), one just opened

  before(async () => {
    ({ server, base, browser } = await openSuite());
    const ctxA = await newContext(browser);
    const ctxB = await newContext(browser);
    const pageA = await ctxA.newPage();
    const pageB = await ctxB.newPage();
    const { a, b } = await makeCouple(pageA, pageB, base, 'i18r');
    const apiA = await apiAs(base, a.username);
    const apiB = await apiAs(base, b.username);
    const feelings = (await apiA('GET', '/feelings')).groups[0].words.slice(0, 1);
    for (const lang of ['es', 'de']) {
      const rep = await apiA('POST', '/repairs', { title: 'The missed call' }, 201);
      for (const [call, words] of [[apiA, 'I waited and felt forgotten.'], [apiB, 'I was stuck at work.']]) {
        await call('PUT', `/repairs/${rep.id}/mine`, { feelings, perspective: words });
        await call('POST', `/repairs/${rep.id}/mine/submit`);
      }
      repairs[lang] = { revealed: rep.id, open: (await apiA('POST', '/repairs', { title: 'The holidays' }, 201)).id };
    }
    // An agreement A proposes: it waits for B's answer.
    await apiA('POST', '/agreements', { text: 'Pause and breathe before replying', review_every_days: 7 }, 201);
    stateA = await ctxA.storageState();
    stateB = await ctxB.storageState();
    await ctxA.close();
    await ctxB.close();
  });
  after(() => closeSuite({ server, browser }));

  /** The page in `lang`: its <html lang>, its words, no English sentence of these pages, axe, 360 px. */
  async function look(page, lang, path, words, label) {
    await gotoOk(page, base, path);
    assert.equal(await page.getAttribute('html', 'lang'), lang, `${label}: <html lang>`);
    const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    const title = await page.title();
    for (const w of words) assert.ok(text.includes(w) || title.includes(w), `${label}: shows “${w}”: ${text.slice(0, 600)}`);
    const ours = await page.evaluate((content) => {
      const main = document.querySelector('main').cloneNode(true);
      for (const e of main.querySelectorAll(content)) e.remove();
      return main.textContent.replace(/\s+/g, ' ');
    }, CONTENT);
    for (const e of ENGLISH) {
      assert.ok(!new RegExp(`\\b${e}\\b`).test(ours), `${label}: the English “${e}” remains: ${ours.slice(0, 600)}`);
    }
    await assertNoAxeViolations(page, label);
    await assertNoHorizontalScroll(page, label);
  }

  for (const [lang, locale] of [['es', 'es-ES'], ['de', 'de-DE']]) {
    it(`${lang}: repairs, the private check, both sides, a step, the steps after, the safety page`, async () => {
      const ctx = await newContext(browser, { ...MOBILE, bypassCSP: true, locale, storageState: stateA });
      const page = await ctx.newPage();
      const w = WORDS[lang];
      const { revealed: repairId, open: openId } = repairs[lang];
      await look(page, lang, '/repairs', w.repairs, `${lang} /repairs`);
      await look(page, lang, '/repairs/new', w.repairNew, `${lang} /repairs/new`);
      await look(page, lang, `/repairs/${repairId}`, w.repairSides, `${lang} the repair's sides`);
      await look(page, lang, `/repairs/${openId}`, w.step, `${lang} the first writing step`);
      // The steps after: the private check, answered with the translated button, then step 1.
      await gotoOk(page, base, `/repairs/${repairId}/steps/heard`);
      await submit(page, w.repairNew[2]);
      await look(page, lang, `/repairs/${repairId}/steps/heard`, w.after, `${lang} the first step after`);
      await look(page, lang, '/safety?checked=1', w.safety, `${lang} /safety`);
      await ctx.close();
    });

    it(`${lang}: our cycle, what we came through, a break, agreements`, async () => {
      const ctxA = await newContext(browser, { ...MOBILE, bypassCSP: true, locale, storageState: stateA });
      const ctxB = await newContext(browser, { ...MOBILE, bypassCSP: true, locale, storageState: stateB });
      const pageA = await ctxA.newPage();
      const pageB = await ctxB.newPage();
      const w = WORDS[lang];
      await look(pageA, lang, '/cycle', w.cycle, `${lang} /cycle`);
      await look(pageA, lang, '/came-through', w.cameThrough, `${lang} /came-through`);
      await look(pageA, lang, '/break', w.brk, `${lang} /break`);
      await look(pageA, lang, '/agreements', w.agreementsA, `${lang} /agreements (proposer)`);
      await look(pageB, lang, '/agreements', w.agreementsB, `${lang} /agreements (asked)`);
      await ctxA.close();
      await ctxB.close();
    });
  }
});
