// Form fields carry the labels, names and buttons written in docs/pages.md.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { signup, gotoOk, uniqueUsername, submit } from './lib/hearth.mjs';

async function assertLabelled(page, label, selector, where) {
  const byLabel = page.getByLabel(label, { exact: true });
  assert.equal(await byLabel.count(), 1, `${where}: one field labelled "${label}"`);
  assert.ok(await byLabel.evaluate((el, sel) => el.matches(sel), selector),
    `${where}: the field labelled "${label}" is ${selector}`);
}

async function assertButton(page, name, where) {
  assert.ok(await page.getByRole('button', { name, exact: true }).count() >= 1, `${where}: button "${name}"`);
}

describe('labels and buttons follow docs/pages.md', () => {
  let server; let browser; let ctx; let page; let base;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctx = await newContext(browser);
    page = await ctx.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('/signup', async () => {
    await gotoOk(page, base, '/signup');
    await assertLabelled(page, 'Username', 'input[name="username"]', '/signup');
    await assertLabelled(page, 'Your name', 'input[name="display_name"]', '/signup');
    await assertLabelled(page, 'Password', 'input[name="password"][type="password"]', '/signup');
    await assertButton(page, 'Create my account', '/signup');
  });

  it('/login', async () => {
    await gotoOk(page, base, '/login');
    await assertLabelled(page, 'Username', 'input[name="username"]', '/login');
    await assertLabelled(page, 'Password', 'input[name="password"][type="password"]', '/login');
    await assertButton(page, 'Log in', '/login');
  });

  it('/checkins/new', async () => {
    await signup(page, base, { username: uniqueUsername('lab'), displayName: 'Lab Els' });
    await gotoOk(page, base, '/checkins/new');
    const where = '/checkins/new';
    const mood = page.getByRole('group', { name: 'Mood', exact: true });
    assert.equal(await mood.count(), 1, `${where}: a group (fieldset) with legend "Mood"`);
    const moods = ['1 – Very low', '2 – Low', '3 – Okay', '4 – Good', '5 – Very good'];
    for (const [i, name] of moods.entries()) {
      const radio = mood.getByRole('radio', { name, exact: true });
      assert.equal(await radio.count(), 1, `${where}: mood radio "${name}"`);
      assert.equal(await radio.getAttribute('name'), 'mood');
      assert.equal(await radio.getAttribute('value'), String(i + 1));
    }
    // Connection and felt-secure: a 0-10 scale, a group of eleven radio buttons each named by its number (issue 11).
    for (const [legend, name] of [['Connection (0–10)', 'connection'], ['Felt secure (0–10)', 'secure']]) {
      const group = page.getByRole('group', { name: legend, exact: true });
      assert.equal(await group.count(), 1, `${where}: a group (fieldset) with legend "${legend}"`);
      for (let v = 0; v <= 10; v++) {
        const radio = group.getByRole('radio', { name: String(v), exact: true });
        assert.equal(await radio.count(), 1, `${where}: ${name} radio "${v}"`);
        assert.equal(await radio.getAttribute('name'), name);
        assert.equal(await radio.getAttribute('value'), String(v));
      }
      assert.equal(await page.locator(`input[name="${name}"]:checked`).count(), 0, `${where}: no ${name} chosen in advance`);
    }
    await assertLabelled(page, 'An appreciation (optional)', 'textarea[name="appreciation"]', where);
    await assertLabelled(page, 'A need (optional)', 'textarea[name="need"]', where);
    await assertLabelled(page, 'A worry (optional)', 'textarea[name="worry"]', where);
    const vis = page.getByRole('group', { name: 'Who will see this?', exact: true });
    assert.equal(await vis.count(), 1, `${where}: a group with legend "Who will see this?"`);
    const expected = [['private', /^Only me/], ['partner', /^Me and my partner/], ['therapist', /^Me, my partner and our therapist/]];
    for (const [value, name] of expected) {
      const radio = vis.getByRole('radio', { name });
      assert.equal(await radio.count(), 1, `${where}: visibility radio labelled ${name}`);
      assert.equal(await radio.getAttribute('value'), value);
    }
    assert.ok(await page.locator('input[name="visibility"][value="private"]').isChecked(), `${where}: private is the default`);
    assert.equal(await page.locator('input[name="mood"]:checked').count(), 0, `${where}: no mood chosen in advance`);
    await assertButton(page, 'Save check-in', where);
  });

  it('/space without a space', async () => {
    await gotoOk(page, base, '/space');
    await assertButton(page, 'Create our space', '/space');
    await assertLabelled(page, 'Invite code', 'input[name="code"]', '/space');
    await assertButton(page, 'Join space', '/space');
    const actions = await page.locator('form[method="post" i]').evaluateAll((fs) => fs.map((f) => new URL(f.action).pathname));
    assert.ok(actions.includes('/space/create'), `/space: a form posting to /space/create (found ${actions.join(', ')})`);
    assert.ok(actions.includes('/space/join'), `/space: a form posting to /space/join (found ${actions.join(', ')})`);
  });

  it('/space in a space: invite and leave', async () => {
    await submit(page, 'Create our space');
    await gotoOk(page, base, '/space');
    await assertButton(page, 'Create an invite code', '/space (in a space)');
    await assertButton(page, 'Leave this space', '/space (in a space)');
    const actions = await page.locator('form[method="post" i]').evaluateAll((fs) => fs.map((f) => new URL(f.action).pathname));
    assert.ok(actions.includes('/space/invite'), `/space: a form posting to /space/invite (found ${actions.join(', ')})`);
    assert.ok(actions.includes('/space/leave'), `/space: a form posting to /space/leave (found ${actions.join(', ')})`);
  });
});
