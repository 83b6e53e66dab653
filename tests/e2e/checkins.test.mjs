// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Check-ins: create, validation, the visibility matrix, get, patch, delete,
// and cursor pagination (API.md: "Check-ins", "Conventions").

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, assertJsonType, RFC3339_UTC, TEST_TIMEOUT } from './lib/server.mjs';

let srv;
let a; let b; let outsider;
before(async () => {
  srv = await startServer();
  ({ a, b } = await srv.makeCouple('ck'));
  outsider = await srv.signUp('out');
  const sp = await srv.api('POST', '/api/v1/spaces', { token: outsider.token });
  assert.equal(sp.status, 201, sp.text);
}, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

const base = () => ({ mood: 3, connection: 5, secure: 5, visibility: 'private' });
const create = (u, body) => srv.api('POST', '/api/v1/checkins', { token: u.token, body });
const get = (u, id) => srv.api('GET', `/api/v1/checkins/${encodeURIComponent(id)}`, { token: u?.token });
const patch = (u, id, body) => srv.api('PATCH', `/api/v1/checkins/${encodeURIComponent(id)}`, { token: u.token, body });
const del = (u, id) => srv.api('DELETE', `/api/v1/checkins/${encodeURIComponent(id)}`, { token: u.token });
const FIELDS = ['id', 'author_id', 'created_at', 'mood', 'connection', 'secure', 'appreciation', 'need', 'worry', 'visibility'];

async function listAll(u, who) {
  const items = [];
  let q = `/api/v1/checkins?author=${who}&limit=100`;
  for (let i = 0; i < 50; i++) {
    const r = await srv.api('GET', q, { token: u.token });
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    items.push(...r.json.items);
    if (r.json.next === null) return items;
    q = `/api/v1/checkins?author=${who}&limit=100&before=${encodeURIComponent(r.json.next)}`;
  }
  throw new Error('too many pages');
}

describe('POST /api/v1/checkins', { timeout: TEST_TIMEOUT }, () => {
  test('201 with every field', async () => {
    const t0 = Date.now();
    const body = {
      mood: 4, connection: 7, secure: 8,
      appreciation: 'You made tea ☕ — thank you', need: 'A quiet evening', worry: 'Work "deadlines" & <stuff>',
      visibility: 'partner',
    };
    const r = await create(a, body);
    assert.equal(r.status, 201, r.text);
    assertJsonType(r);
    for (const k of FIELDS) assert.ok(k in r.json, `missing ${k}`);
    assert.equal(typeof r.json.id, 'string');
    assert.ok(r.json.id.length > 0);
    assert.equal(r.json.author_id, a.id);
    assert.match(r.json.created_at, RFC3339_UTC);
    const ts = Date.parse(r.json.created_at);
    assert.ok(Math.abs(ts - t0) < 5 * 60e3, `created_at ${r.json.created_at} far from now`);
    for (const k of Object.keys(body)) assert.deepEqual(r.json[k], body[k], k);
    const g = await get(a, r.json.id);
    assert.equal(g.status, 200, g.text);
    assert.deepEqual(g.json, r.json, 'GET returns what POST returned');
  });

  test('optional texts absent → null', async () => {
    const r = await create(a, { mood: 1, connection: 0, secure: 10, visibility: 'private' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.appreciation, null);
    assert.equal(r.json.need, null);
    assert.equal(r.json.worry, null);
    assert.equal(r.json.mood, 1);
    assert.equal(r.json.connection, 0);
    assert.equal(r.json.secure, 10);
    assert.equal(r.json.visibility, 'private');
  });

  test('boundaries are accepted: mood 5, connection 10, secure 0, visibility therapist', async () => {
    const r = await create(a, { mood: 5, connection: 10, secure: 0, visibility: 'therapist' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.mood, 5);
    assert.equal(r.json.visibility, 'therapist');
  });

  test('text limit counts characters: 4000 × "é" (8000 bytes) is valid, 4001 is not', async () => {
    let r = await create(a, { ...base(), appreciation: 'é'.repeat(4000) });
    assert.equal(r.status, 201, r.text.slice(0, 300));
    assert.equal(r.json.appreciation, 'é'.repeat(4000));
    r = await create(a, { ...base(), need: 'é'.repeat(4001) });
    assertError(r, 400, 'invalid_input', 'need', '4001 é');
    r = await create(a, { ...base(), worry: 'x'.repeat(4000) });
    assert.equal(r.status, 201, '4000 ASCII is valid');
    r = await create(a, { ...base(), worry: 'x'.repeat(4001) });
    assertError(r, 400, 'invalid_input', 'worry', '4001 x');
    r = await create(a, { ...base(), appreciation: 'x'.repeat(4001) });
    assertError(r, 400, 'invalid_input', 'appreciation', '4001 x');
  });

  const bad = [
    ['mood 0', { mood: 0 }, 'mood'],
    ['mood 6', { mood: 6 }, 'mood'],
    ['mood "3"', { mood: '3' }, 'mood'],
    ['mood 3.5', { mood: 3.5 }, 'mood'],
    ['mood null', { mood: null }, 'mood'],
    ['mood true', { mood: true }, 'mood'],
    ['connection -1', { connection: -1 }, 'connection'],
    ['connection 11', { connection: 11 }, 'connection'],
    ['connection "5"', { connection: '5' }, 'connection'],
    ['secure -1', { secure: -1 }, 'secure'],
    ['secure 11', { secure: 11 }, 'secure'],
    ['secure 2.5', { secure: 2.5 }, 'secure'],
    ['visibility "public"', { visibility: 'public' }, 'visibility'],
    ['visibility "Private"', { visibility: 'Private' }, 'visibility'],
    ['visibility ""', { visibility: '' }, 'visibility'],
    ['visibility 1', { visibility: 1 }, 'visibility'],
    ['appreciation a number', { appreciation: 5 }, 'appreciation'],
    ['need an array', { need: ['x'] }, 'need'],
    ['worry an object', { worry: { a: 'b' } }, 'worry'],
  ];
  for (const [name, p, field] of bad) {
    test(`400 invalid_input field=${field}: ${name}`, async () => {
      const r = await create(a, { ...base(), ...p });
      assertError(r, 400, 'invalid_input', field, name);
    });
  }
  const overflow = [
    ['mood 2^32+3 (wraps to 3 in 32 bits)', { mood: 4294967299 }, 'mood'],
    ['mood -2^32+3', { mood: -4294967293 }, 'mood'],
    ['connection 2^32+5', { connection: 4294967301 }, 'connection'],
    ['secure 2^31+5', { secure: 2147483653 }, 'secure'],
    ['mood 1e400', { raw: '1e400' }, 'mood'],
    ['mood 2^64+3', { raw: '18446744073709551619' }, 'mood'],
  ];
  for (const [name, p, field] of overflow) {
    test(`400 for an out-of-range integer that could wrap: ${name}`, async () => {
      let r;
      if (p.raw) {
        r = await srv.api('POST', '/api/v1/checkins', {
          token: a.token,
          rawBody: `{"mood":${p.raw},"connection":5,"secure":5,"visibility":"private"}`,
          headers: { 'Content-Type': 'application/json' },
        });
        assertError(r, 400, ['invalid_input', 'invalid_json'], undefined, name);
        if (r.json.error.code === 'invalid_input') assert.equal(r.json.error.field, field);
      } else {
        r = await create(a, { ...base(), ...p });
        assertError(r, 400, 'invalid_input', field, name);
      }
    });
  }
  test('text: NUL characters are kept or refused, never truncated; emoji count as one character each', async () => {
    let r = await create(a, { ...base(), need: 'before\u0000after' });
    if (r.status === 201) {
      assert.equal(r.json.need, 'before\u0000after');
      assert.equal((await get(a, r.json.id)).json.need, 'before\u0000after');
    } else {
      // \u0000 is valid JSON; refusing the body as invalid_json is acceptable too.
      const e = assertError(r, 400, ['invalid_input', 'invalid_json']);
      if (e.code === 'invalid_input') assert.equal(e.field, 'need');
    }
    r = await create(a, { ...base(), appreciation: '😀'.repeat(4000) });
    assert.equal(r.status, 201, `4000 emoji (16000 bytes) are 4000 characters: ${r.text.slice(0, 200)}`);
    assert.equal(r.json.appreciation, '😀'.repeat(4000));
    r = await create(a, { ...base(), appreciation: '😀'.repeat(4001) });
    assertError(r, 400, 'invalid_input', 'appreciation', '4001 emoji');
  });
  test('text that is not valid UTF-8 → 400; a lone surrogate escape → 400', async () => {
    const pre = Buffer.from('{"mood":3,"connection":5,"secure":5,"visibility":"private","worry":"x', 'utf8');
    let r = await srv.api('POST', '/api/v1/checkins', {
      token: a.token, rawBody: Buffer.concat([pre, Buffer.from([0xe2, 0x82]), Buffer.from('"}')]),
      headers: { 'Content-Type': 'application/json' },
    });
    assertError(r, 400, ['invalid_input', 'invalid_json'], undefined, 'truncated 3-byte sequence');
    r = await srv.api('POST', '/api/v1/checkins', {
      token: a.token, rawBody: '{"mood":3,"connection":5,"secure":5,"visibility":"private","worry":"x\\ud800y"}',
      headers: { 'Content-Type': 'application/json' },
    });
    assertError(r, 400, ['invalid_input', 'invalid_json'], undefined, 'lone surrogate');
    r = await srv.api('POST', '/api/v1/checkins', {
      token: a.token, rawBody: '{"mood":3,"connection":5,"secure":5,"visibility":"private","worry":"\\ud83d\\ude00"}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(r.status, 201, `a surrogate pair escape is valid: ${r.text}`);
    assert.equal(r.json.worry, '😀');
  });
  test('author_id, id and created_at in the body cannot forge a check-in', async () => {
    const r = await create(a, { ...base(), author_id: b.id, id: 'forged-id', created_at: '2001-01-01T00:00:00Z' });
    if (r.status === 400) {
      assertError(r, 400, 'invalid_input');
      return;
    }
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.author_id, a.id);
    assert.notEqual(r.json.id, 'forged-id');
    assert.notEqual(r.json.created_at, '2001-01-01T00:00:00Z');
  });
  for (const missing of ['mood', 'connection', 'secure']) {
    test(`400 invalid_input field=${missing} when missing`, async () => {
      const body = base();
      delete body[missing];
      assertError(await create(a, body), 400, 'invalid_input', missing, `missing ${missing}`);
    });
  }
  test('missing visibility: 400 field visibility, or a private check-in (never a shared one)', async () => {
    const body = base();
    delete body.visibility;
    const r = await create(a, body);
    if (r.status === 201) assert.equal(r.json.visibility, 'private', 'the default must be private');
    else assertError(r, 400, 'invalid_input', 'visibility');
  });
  test('a rejected check-in is not stored', async () => {
    const before = (await listAll(a, 'me')).length;
    await create(a, { ...base(), mood: 9 });
    await create(a, { ...base(), need: 'x'.repeat(5000) });
    assert.equal((await listAll(a, 'me')).length, before);
  });
  test('anonymous → 401', async () => {
    const r = await srv.api('POST', '/api/v1/checkins', { body: base() });
    assertError(r, 401, 'unauthenticated');
  });
});

describe('visibility', { timeout: TEST_TIMEOUT }, () => {
  let priv; let part; let ther; let bOwn;
  before(async () => {
    priv = (await create(a, { ...base(), visibility: 'private', worry: 'secret' })).json;
    part = (await create(a, { ...base(), visibility: 'partner', need: 'for b' })).json;
    ther = (await create(a, { ...base(), visibility: 'therapist', need: 'for b and t' })).json;
    bOwn = (await create(b, { ...base(), visibility: 'private' })).json;
    assert.ok(priv.id && part.id && ther.id && bOwn.id);
  });

  test('the partner lists partner and therapist items of the other, never private ones', async () => {
    const partnerIds = (await listAll(b, 'partner')).map((c) => c.id);
    assert.ok(partnerIds.includes(part.id), 'partner item');
    assert.ok(partnerIds.includes(ther.id), 'therapist item');
    assert.ok(!partnerIds.includes(priv.id), 'private item must not be listed');
    assert.ok(!partnerIds.includes(bOwn.id), 'author=partner must not list own items');
    const all = await listAll(b, 'all');
    const allIds = all.map((c) => c.id);
    assert.ok(allIds.includes(part.id) && allIds.includes(ther.id) && allIds.includes(bOwn.id));
    assert.ok(!allIds.includes(priv.id), 'private item must not be in author=all');
    for (const c of all) if (c.author_id === a.id) assert.notEqual(c.visibility, 'private');
    const mine = await listAll(b, 'me');
    assert.ok(mine.every((c) => c.author_id === b.id), 'author=me lists only own');
    assert.ok(mine.some((c) => c.id === bOwn.id));
    const dflt = await srv.api('GET', '/api/v1/checkins', { token: b.token });
    assert.equal(dflt.status, 200, dflt.text);
    assert.ok(!dflt.json.items.some((c) => c.id === priv.id), 'default list must not show the private item');
  });

  test('the author lists all own items including private ones', async () => {
    const ids = (await listAll(a, 'me')).map((c) => c.id);
    for (const c of [priv, part, ther]) assert.ok(ids.includes(c.id));
    const aPartner = (await listAll(a, 'partner')).map((c) => c.id);
    assert.ok(!aPartner.includes(bOwn.id), 'B\'s private item is hidden from A');
  });

  test('GET /checkins/{id}: partner reads shared items, gets 404 for a private one', async () => {
    let r = await get(b, part.id);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, part);
    r = await get(b, ther.id);
    assert.equal(r.status, 200, r.text);
    assertError(await get(b, priv.id), 404, 'not_found', undefined, 'private item by partner');
    assertError(await get(a, bOwn.id), 404, 'not_found', undefined, 'private item of B by A');
  });

  test('an outsider (member of another space) gets 404 for everything of this couple', async () => {
    for (const c of [priv, part, ther, bOwn]) {
      assertError(await get(outsider, c.id), 404, 'not_found', undefined, `outsider GET ${c.visibility}`);
      assertError(await patch(outsider, c.id, { mood: 1 }), 404, 'not_found', undefined, 'outsider PATCH');
      assertError(await del(outsider, c.id), 404, 'not_found', undefined, 'outsider DELETE');
    }
    for (const who of ['partner', 'all']) {
      const ids = (await listAll(outsider, who)).map((c) => c.id);
      for (const c of [priv, part, ther, bOwn]) assert.ok(!ids.includes(c.id), `outsider author=${who}`);
    }
    assert.equal((await get(a, part.id)).json.mood, part.mood, 'outsider PATCH changed nothing');
  });

  test('anonymous gets 401 for list and item', async () => {
    assertError(await srv.api('GET', '/api/v1/checkins'), 401, 'unauthenticated');
    assertError(await get(null, part.id), 401, 'unauthenticated');
    assertError(await srv.api('PATCH', `/api/v1/checkins/${part.id}`, { body: { mood: 1 } }), 401, 'unauthenticated');
    assertError(await srv.api('DELETE', `/api/v1/checkins/${part.id}`), 401, 'unauthenticated');
  });

  test('unknown id → 404; invalid ?author → 400', async () => {
    assertError(await get(a, 'does-not-exist'), 404, 'not_found');
    assertError(await get(a, '0'), 404, 'not_found');
    const r = await srv.api('GET', '/api/v1/checkins?author=everyone', { token: a.token });
    assertError(r, 400, 'invalid_input', 'author');
  });
});

describe('PATCH and DELETE', { timeout: TEST_TIMEOUT }, () => {
  test('PATCH by the author → 200 with the whole updated object', async () => {
    const c = (await create(a, { mood: 2, connection: 3, secure: 4, need: 'n', visibility: 'partner' })).json;
    const r = await patch(a, c.id, { mood: 5, worry: 'w', visibility: 'therapist' });
    assert.equal(r.status, 200, r.text);
    assertJsonType(r);
    for (const k of FIELDS) assert.ok(k in r.json, `missing ${k}`);
    assert.equal(r.json.id, c.id);
    assert.equal(r.json.author_id, a.id);
    assert.equal(r.json.created_at, c.created_at, 'created_at does not change');
    assert.equal(r.json.mood, 5);
    assert.equal(r.json.connection, 3);
    assert.equal(r.json.secure, 4);
    assert.equal(r.json.need, 'n');
    assert.equal(r.json.worry, 'w');
    assert.equal(r.json.appreciation, null);
    assert.equal(r.json.visibility, 'therapist');
    const g = await get(a, c.id);
    assert.deepEqual(g.json, r.json, 'GET shows the update');
    const all = await patch(a, c.id, { mood: 1, connection: 10, secure: 0, appreciation: 'a', need: 'n2', worry: 'w2', visibility: 'partner' });
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(
      { ...all.json },
      { ...c, mood: 1, connection: 10, secure: 0, appreciation: 'a', need: 'n2', worry: 'w2', visibility: 'partner' },
    );
  });

  test('PATCH to private hides the item from the partner', async () => {
    const c = (await create(a, { ...base(), visibility: 'partner' })).json;
    assert.equal((await get(b, c.id)).status, 200);
    const r = await patch(a, c.id, { visibility: 'private' });
    assert.equal(r.status, 200, r.text);
    assertError(await get(b, c.id), 404, 'not_found', undefined, 'after PATCH to private');
    assert.ok(!(await listAll(b, 'partner')).some((x) => x.id === c.id));
  });

  test('PATCH by the partner of a visible item → 403 or 404, and nothing changes', async () => {
    const c = (await create(a, { ...base(), visibility: 'partner', need: 'orig' })).json;
    const r = await patch(b, c.id, { mood: 1, need: 'hijacked', visibility: 'private' });
    assertError(r, [403, 404], r.status === 403 ? 'forbidden' : 'not_found', undefined, 'partner PATCH');
    const g = await get(a, c.id);
    assert.deepEqual(g.json, c, 'unchanged');
  });

  test('PATCH validation: 400 with field, and nothing changes', async () => {
    const c = (await create(a, { ...base(), visibility: 'partner' })).json;
    assertError(await patch(a, c.id, { mood: 9 }), 400, 'invalid_input', 'mood');
    assertError(await patch(a, c.id, { mood: 0 }), 400, 'invalid_input', 'mood');
    assertError(await patch(a, c.id, { connection: 11 }), 400, 'invalid_input', 'connection');
    assertError(await patch(a, c.id, { secure: -1 }), 400, 'invalid_input', 'secure');
    assertError(await patch(a, c.id, { visibility: 'everyone' }), 400, 'invalid_input', 'visibility');
    assertError(await patch(a, c.id, { need: 'é'.repeat(4001) }), 400, 'invalid_input', 'need');
    assertError(await patch(a, c.id, { mood: 4, secure: 99 }), 400, 'invalid_input', 'secure');
    const j = await srv.api('PATCH', `/api/v1/checkins/${c.id}`, {
      token: a.token, rawBody: '{"mood":', headers: { 'Content-Type': 'application/json' },
    });
    assertError(j, 400, 'invalid_json');
    assert.deepEqual((await get(a, c.id)).json, c, 'a rejected PATCH changes nothing, not even partly');
  });

  test('PATCH cannot change id, author_id or created_at', async () => {
    const c = (await create(a, { ...base(), visibility: 'partner' })).json;
    const r = await patch(a, c.id, { mood: 2, author_id: b.id, id: 'forged-id', created_at: '2001-01-01T00:00:00Z' });
    if (r.status === 400) assertError(r, 400, 'invalid_input');
    else assert.equal(r.status, 200, r.text);
    const g = await get(a, c.id);
    assert.equal(g.status, 200);
    assert.equal(g.json.id, c.id);
    assert.equal(g.json.author_id, a.id);
    assert.equal(g.json.created_at, c.created_at);
    assert.equal((await get(b, 'forged-id')).status, 404);
  });

  test('PATCH with null for a required field → 400; null for an optional text clears it (or 400)', async () => {
    const c = (await create(a, { ...base(), need: 'something' })).json;
    assertError(await patch(a, c.id, { mood: null }), 400, 'invalid_input', 'mood');
    assertError(await patch(a, c.id, { visibility: null }), 400, 'invalid_input', 'visibility');
    const r = await patch(a, c.id, { need: null });
    if (r.status === 200) {
      assert.equal(r.json.need, null, 'need: null clears the text');
      assert.equal((await get(a, c.id)).json.need, null);
    } else {
      assertError(r, 400, 'invalid_input', 'need');
      assert.equal((await get(a, c.id)).json.need, 'something');
    }
  });

  test('odd ids: a very long or strange id → 404, never 500', async () => {
    for (const id of ['x'.repeat(3000), '%00', "1' OR '1'='1", '..', 'é']) {
      const r = await srv.api('GET', `/api/v1/checkins/${encodeURIComponent(id)}`, { token: a.token });
      assertError(r, 404, 'not_found', undefined, `id ${id.slice(0, 20)}`);
    }
  });

  test('PATCH of an unknown id → 404', async () => {
    assertError(await patch(a, 'no-such-checkin', { mood: 2 }), 404, 'not_found');
  });

  test('DELETE by the partner is refused and the item stays; DELETE by the author → 204, then 404', async () => {
    const c = (await create(a, { ...base(), visibility: 'partner' })).json;
    const r = await del(b, c.id);
    assertError(r, [403, 404], r.status === 403 ? 'forbidden' : 'not_found', undefined, 'partner DELETE');
    assert.equal((await get(a, c.id)).status, 200, 'still there for the author');
    assert.equal((await get(b, c.id)).status, 200, 'still there for the partner');
    const d = await del(a, c.id);
    assert.equal(d.status, 204, d.text);
    assert.equal(d.text, '');
    assertError(await get(a, c.id), 404, 'not_found', undefined, 'GET after delete');
    assertError(await get(b, c.id), 404, 'not_found', undefined, 'partner GET after delete');
    assertError(await del(a, c.id), 404, 'not_found', undefined, 'second delete');
    assertError(await patch(a, c.id, { mood: 2 }), 404, 'not_found', undefined, 'PATCH after delete');
    assert.ok(!(await listAll(a, 'me')).some((x) => x.id === c.id), 'gone from the list');
  });
});

describe('pagination', { timeout: TEST_TIMEOUT }, () => {
  let p; const created = [];
  before(async () => {
    p = await srv.signUp('page');
    for (let i = 0; i < 25; i++) {
      const r = await create(p, { mood: (i % 5) + 1, connection: i % 11, secure: 5, need: `n${i}`, visibility: 'private' });
      assert.equal(r.status, 201, r.text);
      created.push(r.json);
    }
  });

  test('limit=10 walks 10, 10, 5 through next cursors, newest first, no duplicates or gaps, last next=null', async () => {
    const seen = [];
    const sizes = [];
    let q = '/api/v1/checkins?author=me&limit=10';
    let last;
    for (let i = 0; i < 10; i++) {
      const r = await srv.api('GET', q, { token: p.token });
      assert.equal(r.status, 200, r.text);
      assertJsonType(r);
      assert.ok(Array.isArray(r.json.items));
      assert.ok('next' in r.json);
      sizes.push(r.json.items.length);
      seen.push(...r.json.items);
      last = r.json;
      if (r.json.next === null) break;
      assert.equal(typeof r.json.next, 'string');
      q = `/api/v1/checkins?author=me&limit=10&before=${encodeURIComponent(r.json.next)}`;
    }
    assert.deepEqual(sizes, [10, 10, 5]);
    assert.equal(last.next, null);
    const ids = seen.map((c) => c.id);
    assert.equal(new Set(ids).size, 25, 'no duplicates');
    assert.deepEqual(ids, created.map((c) => c.id).reverse(), 'newest first, nothing missing');
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i - 1].created_at >= seen[i].created_at, 'created_at non-increasing');
    }
    for (const c of seen) assert.deepEqual(c, created.find((x) => x.id === c.id), 'list items are whole check-ins');
  });

  test('default limit is 20; limit=100 returns everything', async () => {
    let r = await srv.api('GET', '/api/v1/checkins?author=me', { token: p.token });
    assert.equal(r.status, 200);
    assert.equal(r.json.items.length, 20);
    assert.equal(typeof r.json.next, 'string');
    r = await srv.api('GET', '/api/v1/checkins?author=me&limit=100', { token: p.token });
    assert.equal(r.json.items.length, 25);
    assert.equal(r.json.next, null);
    r = await srv.api('GET', '/api/v1/checkins?author=me&limit=25', { token: p.token });
    assert.equal(r.json.items.length, 25);
    if (r.json.next !== null) {
      const r2 = await srv.api('GET', `/api/v1/checkins?author=me&limit=25&before=${encodeURIComponent(r.json.next)}`, { token: p.token });
      assert.deepEqual(r2.json, { items: [], next: null }, 'a page exactly at the end may only be followed by an empty one');
    }
    r = await srv.api('GET', '/api/v1/checkins?author=me&limit=1', { token: p.token });
    assert.equal(r.json.items.length, 1);
    assert.equal(r.json.items[0].id, created[24].id);
  });

  test('a new check-in does not disturb paging that already started', async () => {
    const r1 = await srv.api('GET', '/api/v1/checkins?author=me&limit=10', { token: p.token });
    const extra = await create(p, { ...base() });
    assert.equal(extra.status, 201);
    const r2 = await srv.api('GET', `/api/v1/checkins?author=me&limit=10&before=${encodeURIComponent(r1.json.next)}`, { token: p.token });
    assert.deepEqual(r2.json.items.map((c) => c.id), created.slice(5, 15).map((c) => c.id).reverse());
    assert.equal((await del(p, extra.json.id)).status, 204);
  });

  test('a cursor is no key: used by someone else it shows only what they may see', async () => {
    const r = await srv.api('GET', '/api/v1/checkins?author=me&limit=5', { token: p.token });
    assert.equal(typeof r.json.next, 'string');
    for (const who of ['all', 'partner', 'me']) {
      const o = await srv.api('GET', `/api/v1/checkins?author=${who}&limit=100&before=${encodeURIComponent(r.json.next)}`, { token: outsider.token });
      if (o.status === 200) {
        const ids = new Set(created.map((c) => c.id));
        assert.ok(!o.json.items.some((c) => ids.has(c.id) || c.author_id === p.id), `author=${who}: another user's check-ins leaked through the cursor`);
      } else {
        assertError(o, 400, 'invalid_input', undefined, `foreign cursor author=${who}`);
      }
    }
  });

  test('a malformed cursor → 400; a solo member gets an empty partner list', async () => {
    for (const bad of ['garbage', '%00', 'x'.repeat(500)]) {
      const r = await srv.api('GET', `/api/v1/checkins?author=me&before=${bad}`, { token: p.token });
      assertError(r, 400, 'invalid_input', undefined, `before=${bad.slice(0, 10)}`);
    }
    const r = await srv.api('GET', '/api/v1/checkins?author=partner', { token: p.token });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { items: [], next: null });
  });

  test('limit that wraps in 32 bits (2^32+10) → 400', async () => {
    const r = await srv.api('GET', '/api/v1/checkins?author=me&limit=4294967306', { token: p.token });
    assertError(r, 400, 'invalid_input', undefined, 'limit=2^32+10');
  });

  test('limit out of range or not a number → 400', async () => {
    for (const l of ['0', '101', '-1', 'abc', '1.5', '10abc']) {
      const r = await srv.api('GET', `/api/v1/checkins?author=me&limit=${l}`, { token: p.token });
      assertError(r, 400, 'invalid_input', undefined, `limit=${l}`);
    }
  });
});
