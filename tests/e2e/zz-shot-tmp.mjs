import { startServer } from './lib/server.mjs';
import { cookieLogin, addRoleUser, linkTherapist } from './lib/actors.mjs';
import { launchBrowser } from '../browser/lib/browser.mjs';
const srv = await startServer();
try {
  const c = await srv.makeCouple('thshot');
  const ther = await addRoleUser(srv, 'thshott', 'therapist');
  await linkTherapist(srv, ther, c.a);
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  await srv.ok(c.a, 'PUT', '/api/v1/cycle/mine', { when_i_feel: 'worried', i_tend_to: 'push for an answer', i_long_for: 'to know we are all right' });
  await srv.ok(c.b, 'PUT', '/api/v1/cycle/mine', { when_i_feel: 'overwhelmed', i_tend_to: 'go quiet', i_long_for: 'calm' });
  await srv.ok(c.a, 'POST', '/api/v1/cycle/mine/submit');
  await srv.ok(c.b, 'POST', '/api/v1/cycle/mine/submit');
  await srv.ok(c.a, 'PUT', '/api/v1/cycle/shared', { text: 'When the worry rises, one of us reaches and the other retreats. The loop is the problem, not us.' });
  const me = await srv.ok(c.a, 'GET', '/api/v1/me');
  const s = await cookieLogin(srv, ther.username, ther.password);
  const browser = await launchBrowser();
  for (const [w, name] of [[1280, 'desktop'], [360, '360']]) {
    for (const scheme of ['light', 'dark']) {
      const ctx = await browser.newContext({ viewport: { width: w, height: 800 }, colorScheme: scheme });
      await ctx.addCookies([{ name: 'hearth_session', value: s.cookie.split('=')[1], url: srv.url }]);
      const p = await ctx.newPage();
      await p.goto(srv.url + `/therapist/spaces/${me.space.id}`);
      await p.screenshot({ path: `/tmp/cycle-shots/therapist-${name}-${scheme}.png`, fullPage: true });
      await ctx.close();
    }
  }
  await browser.close();
} finally { await srv.stop(); }
