// Browser checks for Prongsai: what a citizen and an agency admin do, clicked through in headless
// Chromium. Run by `e2e/run`, which builds and starts a fresh server; or by hand against a server
// you started yourself:
//
//   node e2e/flows.mjs http://127.0.0.1:8080/        (a fresh data dir: the checks edit the demo)
//
// Prints one PASS/FAIL line per check (and WARN lines for what does not fail the run), saves
// screenshots to e2e/out/, and exits 1 if any check failed.

import { readFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const OUT = join(here, 'out');
mkdirSync(OUT, { recursive: true });

const BASE = new URL(process.argv[2] ?? process.env.E2E_URL ?? 'http://127.0.0.1:8080/');
const url = (path) => new URL(path, BASE).href;
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

// The demo agency and its admin (README).
const SLUG = 'nonhan';
const AGENCY = 'เทศบาลตำบลโนนหัน';
const PROVINCE = 'จังหวัดขอนแก่น';
const ADMIN = { email: 'admin@nonhan.example', password: 'nonhan-demo-2566' };
const AGENCY_HOME = `/a/${SLUG}/`;
const ADMIN_HOME = `/a/${SLUG}/admin/`;
const PROFILE = `/a/${SLUG}/admin/profile`;

const TIMEOUT = 10_000;

// ---------------------------------------------------------------------------------------------
// Reporting

const results = [];
const warnings = [];

function warn(msg) {
  warnings.push(msg);
  console.log(`WARN  ${msg}`);
}

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`PASS  ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false, err });
    console.log(`FAIL  ${name} (${Date.now() - started} ms)`);
    for (const line of String(err?.stack ?? err).split('\n').slice(0, 12)) console.log(`      ${line}`);
  }
}

class CheckError extends Error {}
function expect(cond, msg) {
  if (!cond) throw new CheckError(msg);
}
function expectEq(actual, wanted, what) {
  if (actual !== wanted) throw new CheckError(`${what}: wanted ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`);
}

const shot = (name) => join(OUT, `${name}.png`);

// ---------------------------------------------------------------------------------------------
// Browser, and everything the pages say on the console (check 8)

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox', // we run as root
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-sync',
    '--disable-quic',
  ],
});

/** Every console error, page error and CSP violation seen in any page, with where it happened. */
const problems = [];
/** Every URL a page navigated to, for the check 8 report. */
const visited = new Set();
/**
 * Responses that are errors on purpose (the invalid form answers 422): Chromium logs "Failed to
 * load resource" for those, which is not a problem of the page.
 */
const expectedStatus = [];

// Runs in every page before its own scripts; init scripts are not subject to the page's CSP.
function cspListener() {
  document.addEventListener('securitypolicyviolation', (e) => {
    // `__e2eCsp` is a Playwright binding (not a script in the page), so CSP cannot block it.
    window.__e2eCsp?.({
      directive: e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile ? `${e.sourceFile}:${e.lineNumber}` : '',
      sample: e.sample,
    });
  });
}

async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'th-TH', timezoneId: 'Asia/Bangkok', ...options });
  context.setDefaultTimeout(TIMEOUT);
  await context.exposeBinding('__e2eCsp', ({ page }, v) => {
    problems.push({ kind: 'CSP violation', url: page.url(), text: JSON.stringify(v) });
  });
  await context.addInitScript(cspListener);
  context.on('page', watchPage);
  return context;
}

function watchPage(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const loc = msg.location()?.url ?? '';
    if (/status of (\d+)/.test(text)) {
      const status = Number(text.match(/status of (\d+)/)[1]);
      if (expectedStatus.some((e) => e.status === status && loc.startsWith(e.url))) return;
    }
    problems.push({ kind: 'console error', url: page.url(), text: loc ? `${text} (${loc})` : text });
  });
  page.on('pageerror', (err) => problems.push({ kind: 'page error', url: page.url(), text: String(err) }));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) visited.add(frame.url());
  });
  page.on('response', (res) => {
    const s = res.status();
    if (s >= 400 && !expectedStatus.some((e) => e.status === s && res.url().startsWith(e.url))) {
      problems.push({ kind: `HTTP ${s}`, url: page.url(), text: res.url() });
    }
  });
}

async function newPage(options) {
  const context = await newContext(options);
  const page = await context.newPage();
  return { context, page };
}

// ---------------------------------------------------------------------------------------------
// Helpers a person would recognise

async function goto(page, path) {
  const res = await page.goto(url(path), { waitUntil: 'load' });
  expect(res, `no response for ${path}`);
  expect(res.status() < 400, `${path} answered ${res.status()}`);
  return res;
}

/** Signs in through the form, as check 3 does by hand (used to set up the other checks). */
async function signIn(page) {
  await goto(page, '/signin');
  await page.getByLabel('อีเมล').fill(ADMIN.email);
  await page.getByLabel('รหัสผ่าน').fill(ADMIN.password);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith(ADMIN_HOME)), page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click()]);
}

const officeNav = (page) => page.getByRole('navigation', { name: 'เมนูงานหลังบ้าน' });
const mainText = async (page) => (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();

/** Waits until every <img> inside `scope` has finished loading or failing; returns their states. */
async function imagesIn(scope) {
  const imgs = scope.locator('img');
  const n = await imgs.count();
  for (let i = 0; i < n; i++) await imgs.nth(i).scrollIntoViewIfNeeded(); // photos are loading="lazy"
  return scope.evaluate(async (el) => {
    const list = [...el.querySelectorAll('img')];
    await Promise.all(list.map((img) => (img.complete ? null : new Promise((r) => { img.onload = img.onerror = r; }))));
    return list.map((img) => ({ src: img.getAttribute('src'), alt: img.alt, w: img.naturalWidth }));
  });
}

// A value no demo data has, so that seeing it on the public page proves the save.
const stamp = new Date().toISOString().slice(11, 19).replace(/:/g, '');
const NEW_ABOUT = `เทศบาลตำบลโนนหันยินดีต้อนรับทุกท่าน ทดสอบการแก้ไขข้อมูลหน่วยงาน ${stamp}`;
const NEW_PHONE = `043-555-${stamp.slice(-4)}`;

// ---------------------------------------------------------------------------------------------
// The checks

const anon = await newPage({ viewport: { width: 1000, height: 800 } });

await check('1. / lists เทศบาลตำบลโนนหัน under จังหวัดขอนแก่น and links to its page', async () => {
  const { page } = anon;
  await goto(page, '/');
  const province = page.locator('section').filter({ has: page.getByRole('heading', { name: PROVINCE, exact: true }) });
  await province.waitFor();
  const link = province.getByRole('link', { name: AGENCY });
  expectEq(await link.count(), 1, `links named ${AGENCY} under ${PROVINCE}`);
  await Promise.all([page.waitForURL(url(AGENCY_HOME)), link.click()]);
  expectEq(new URL(page.url()).pathname, AGENCY_HOME, 'path after following the link');
  expectEq(await page.getByRole('heading', { level: 1 }).innerText(), AGENCY, 'h1 of the agency page');
});

await check('2. /a/nonhan/ shows both executive sides with name, position, photo or initial, contacts', async () => {
  const { page } = anon;
  await goto(page, AGENCY_HOME);
  const execs = page.locator('#executives');
  for (const side of ['ฝ่ายการเมือง', 'ฝ่ายประจำ']) {
    const heading = page.getByRole('heading', { name: side, exact: true });
    expectEq(await execs.locator(heading).count(), 1, `heading ${side}`);
    // The innermost box that holds this side's heading is its column.
    const column = execs.locator('div').filter({ has: heading }).last();
    const people = column.locator('li.person');
    const n = await people.count();
    expect(n > 0, `${side}: no executives listed`);
    const imgs = await imagesIn(column);
    for (const img of imgs) expect(img.w > 0, `${side}: photo ${img.src} (${img.alt}) did not load`);
    for (let i = 0; i < n; i++) {
      const p = people.nth(i);
      const name = (await p.locator('.name').innerText()).trim();
      const position = (await p.locator('.position').innerText()).trim();
      expect(name && /[\u0E00-\u0E7F]/.test(name), `${side} #${i + 1}: no Thai name`);
      expect(position, `${side} #${i + 1} (${name}): no position`);
      const photo = await p.locator('img').count();
      const initial = (await p.locator('.avatar').count()) ? (await p.locator('.avatar').innerText()).trim() : '';
      expect(photo === 1 || initial.length > 0, `${name}: neither a photo nor an initial`);
      const contacts = p.locator('.contact a[href^="tel:"], .contact a[href^="mailto:"]');
      expect((await contacts.count()) > 0, `${name}: no phone or e-mail`);
    }
    console.log(`      ${side}: ${n} executives, ${imgs.length} photos loaded, ${n - imgs.length} initials`);
  }
  await page.screenshot({ path: shot('check2-executives-1000'), fullPage: true });
});

// Check 3 leaves this context signed in; checks 4, 7 and 9 reuse its session.
const admin = await newPage({ viewport: { width: 1000, height: 800 } });
let publicBeforeCheck4 = '';

await check('3. sign in as the demo admin, edit แนะนำหน่วยงาน and phone, see them on the public page', async () => {
  const { page } = admin;
  await goto(page, '/');
  await Promise.all([page.waitForURL(url('/signin')), page.getByRole('link', { name: 'เข้าสู่ระบบสำหรับเจ้าหน้าที่' }).click()]);
  await page.getByLabel('อีเมล').click();
  await page.keyboard.type(ADMIN.email);
  await page.getByLabel('รหัสผ่าน').click();
  await page.keyboard.type(ADMIN.password);
  await Promise.all([page.waitForURL((u) => u.pathname === ADMIN_HOME), page.keyboard.press('Enter')]);
  await officeNav(page).waitFor();

  await Promise.all([page.waitForURL(url(PROFILE)), officeNav(page).getByRole('link', { name: 'ข้อมูลหน่วยงาน' }).click()]);
  const about = page.getByLabel('แนะนำหน่วยงาน', { exact: true });
  const phone = page.getByLabel('โทรศัพท์', { exact: true });
  expect((await about.inputValue()).length > 0, 'the about text is empty before the edit');
  await about.fill(NEW_ABOUT);
  await phone.fill(NEW_PHONE);
  await Promise.all([page.waitForURL(url(PROFILE)), page.getByRole('button', { name: 'บันทึก', exact: true }).click()]);
  const flash = page.getByRole('status');
  await flash.waitFor();
  expect((await flash.innerText()).includes('บันทึกเรียบร้อยแล้ว'), `confirmation: got "${await flash.innerText()}"`);
  expectEq(await about.inputValue(), NEW_ABOUT, 'about text in the form after saving');
  expectEq(await phone.inputValue(), NEW_PHONE, 'phone in the form after saving');
  await page.screenshot({ path: shot('check3-profile-saved-1000'), fullPage: true });

  // "ดูหน้าเว็บสาธารณะ" in the back-office menu.
  await Promise.all([page.waitForURL(url(AGENCY_HOME)), officeNav(page).getByRole('link', { name: 'ดูหน้าเว็บสาธารณะ' }).click()]);
  const main = page.locator('main');
  expectEq(await main.getByText(NEW_ABOUT, { exact: true }).count(), 1, 'the new about text on the public page');
  const contact = page.locator('#contact');
  expectEq(await contact.getByRole('link', { name: NEW_PHONE }).count(), 1, 'the new phone in the public contacts');
  publicBeforeCheck4 = await mainText(page);
  await page.screenshot({ path: shot('check3-public-after-edit-1000'), fullPage: true });
});

await check('4. invalid profile: Thai errors next to the fields, an error summary, nothing saved', async () => {
  const { page } = admin;
  await goto(page, PROFILE);
  const name = page.getByLabel('ชื่อหน่วยงาน', { exact: false }).first();
  const email = page.getByLabel('อีเมล', { exact: true });
  const phone = page.getByLabel('โทรศัพท์', { exact: true });
  await name.fill('');
  await email.fill('ไม่ใช่อีเมล@');
  await phone.fill('043-999-0000'); // a valid change that must not be saved either
  expectedStatus.push({ url: url(PROFILE), status: 422 });
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url() === url(PROFILE) && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'บันทึก', exact: true }).click(),
  ]);
  await page.waitForLoadState('load');
  expectEq(res.status(), 422, 'status of the refused form');

  const summary = page.locator('.error-summary');
  await summary.waitFor();
  expectEq(await summary.getAttribute('role'), 'alert', 'role of the error summary');
  const summaryText = await summary.innerText();
  expect(summaryText.includes('กรุณาแก้ไขข้อมูลที่ไม่ถูกต้อง'), `summary heading: ${summaryText}`);
  for (const [field, label, message] of [
    ['name', 'ชื่อหน่วยงาน', 'กรุณากรอกข้อมูลนี้'],
    ['email', 'อีเมล', 'รูปแบบอีเมลไม่ถูกต้อง'],
  ]) {
    const input = page.locator(`#f-${field}`);
    expectEq(await input.getAttribute('aria-invalid'), 'true', `aria-invalid of ${field}`);
    const errId = await input.getAttribute('aria-describedby');
    expect(errId, `${field} has no aria-describedby`);
    const err = page.locator(`[id="${errId.split(' ').find((id) => id.startsWith('e-'))}"]`);
    expectEq((await err.innerText()).trim(), message, `message for ${label}`);
    // Next to the field: in the same field box, right below the input.
    const sameBox = await input.evaluate((el, id) => el.closest('.field')?.contains(document.getElementById(id)), await err.getAttribute('id'));
    expect(sameBox, `the ${label} message is not next to its field`);
    const [ib, eb] = [await input.boundingBox(), await err.boundingBox()];
    expect(eb.y >= ib.y + ib.height - 1 && eb.y - (ib.y + ib.height) < 60, `the ${label} message is not right below its input`);
    const link = summary.locator(`a[href="#f-${field}"]`);
    expectEq(await link.count(), 1, `summary link to ${label}`);
  }
  // What the user typed is kept, so that they only fix what is wrong.
  expectEq(await email.inputValue(), 'ไม่ใช่อีเมล@', 'e-mail value kept after the refusal');
  expectEq(await phone.inputValue(), '043-999-0000', 'phone value kept after the refusal');
  // The summary link takes the user to the field.
  await summary.locator('a[href="#f-name"]').click();
  expectEq(await page.evaluate(() => document.activeElement?.id), 'f-name', 'focus after clicking the summary link');
  await page.screenshot({ path: shot('check4-profile-errors-1000'), fullPage: true });

  await goto(page, AGENCY_HOME);
  expectEq(await mainText(page), publicBeforeCheck4, 'public page text after the refused save');
  await goto(page, PROFILE);
  expectEq(await phone.inputValue(), NEW_PHONE, 'stored phone after the refused save');
});

await check('5. the English switch on the public page, and back to Thai', async () => {
  const { page } = await newPage({ viewport: { width: 1000, height: 800 } });
  await goto(page, AGENCY_HOME);
  expectEq(await page.getAttribute('html', 'lang'), 'th', 'html lang before the switch');
  const header = page.locator('header');
  await Promise.all([page.waitForURL(url(AGENCY_HOME)), header.getByRole('link', { name: 'English', exact: true }).click()]);
  expectEq(await page.getAttribute('html', 'lang'), 'en', 'html lang after clicking English');
  const h2 = (await page.locator('main h2').allInnerTexts()).map((s) => s.trim());
  for (const want of ['Executives', 'Organisation', 'Contact']) expect(h2.includes(want), `English h2 "${want}" missing; h2s: ${h2.join(' | ')}`);
  const h3 = (await page.locator('#executives h3').allInnerTexts()).map((s) => s.trim());
  expectEq(h3.join(' | '), 'Political side | Permanent staff side', 'executive side headings');
  const thaiUi = await page.evaluate(() => {
    // UI text (headings, labels, links of the layout) must be English; names and data stay Thai.
    const ui = [...document.querySelectorAll('h2, h3.side-title, dt, .skip, nav a, .site-footer, summary')];
    return ui.map((el) => el.textContent.trim()).filter((t) => /[\u0E00-\u0E7F]/.test(t) && !/ไทย/.test(t));
  });
  expect(thaiUi.length === 0, `Thai UI text left on the English page: ${thaiUi.join(' | ')}`);
  expect((await page.title()).length > 0, 'no title');
  await page.screenshot({ path: shot('check5-public-english-1000'), fullPage: true });
  const back = header.getByRole('link', { name: 'ภาษาไทย', exact: true });
  expectEq(await back.getAttribute('lang'), 'th', 'lang of the switch-back link');
  await Promise.all([page.waitForURL(url(AGENCY_HOME)), back.click()]);
  expectEq(await page.getAttribute('html', 'lang'), 'th', 'html lang after switching back');
  expectEq(await page.locator('#h-executives').innerText(), 'ผู้บริหาร', 'heading after switching back');
  await page.context().close();
});

await check('6. keyboard only: skip link on the public pages; sign in with Tab and Enter', async () => {
  const { page } = await newPage({ viewport: { width: 1000, height: 800 } });
  const active = () =>
    page.evaluate(() => {
      const a = document.activeElement;
      return { tag: a?.tagName.toLowerCase(), id: a?.id, cls: a?.className, text: a?.textContent?.trim().slice(0, 40), name: a?.getAttribute('name') };
    });
  for (const path of ['/', AGENCY_HOME]) {
    await goto(page, path);
    await page.keyboard.press('Tab');
    const first = await active();
    expect(first.tag === 'a' && first.cls.includes('skip'), `${path}: first Tab focused ${JSON.stringify(first)}`);
    expectEq(first.text, 'ข้ามไปยังเนื้อหา', `${path}: skip link text`);
    const box = await page.locator('a.skip').boundingBox();
    expect(box && box.y >= 0 && box.x >= 0 && box.width > 10, `${path}: the focused skip link is not visible (${JSON.stringify(box)})`);
    if (path === '/') await page.screenshot({ path: shot('check6-skip-link-focused-1000') });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main', null, { timeout: 3000 }).catch(async () => {
      throw new CheckError(`${path}: Enter on the skip link left the focus on ${JSON.stringify(await active())}`);
    });
    // The next Tab continues inside main, not back at the top.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('main').contains(document.activeElement)), `${path}: Tab after the skip link left main`);
  }

  await goto(page, '/signin');
  const order = [];
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    const a = await active();
    order.push(a.id || a.name || a.text || a.tag);
    if (a.id === 'f-email') break;
  }
  expectEq(order.at(-1), 'f-email', `Tab never reached the e-mail field (order: ${order.join(' → ')})`);
  console.log(`      Tab order to the e-mail field: ${order.join(' → ')}`);
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press('Tab');
  expectEq((await active()).id, 'f-password', 'focus after Tab from the e-mail field');
  await page.keyboard.type(ADMIN.password);
  await page.keyboard.press('Tab');
  const button = await active();
  expect(button.tag === 'button' && button.text === 'เข้าสู่ระบบ', `focus after Tab from the password: ${JSON.stringify(button)}`);
  expect(await page.evaluate(() => document.activeElement.matches(':focus-visible')), 'the focused button shows no focus style (:focus-visible)');
  await Promise.all([page.waitForURL((u) => u.pathname === ADMIN_HOME), page.keyboard.press('Enter')]);
  await officeNav(page).waitFor();
  await page.context().close();
});

const PAGES = [
  ['home', '/'],
  ['agency', AGENCY_HOME],
  ['signin', '/signin'],
  ['admin', ADMIN_HOME],
  ['admin-profile', PROFILE],
  ['admin-people', `/a/${SLUG}/admin/people`],
];

for (const [width, label, options] of [
  [360, 'phone', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
  [1000, 'desktop', { viewport: { width: 1000, height: 800 } }],
]) {
  await check(`7. ${width} px (${label}): screenshots of 6 pages${width === 360 ? ', no horizontal scrolling' : ''}`, async () => {
    // Public pages and /signin signed out; the back office with the admin's session from check 3.
    const session = await admin.context.storageState();
    const out = await newPage(options);
    const signed = await newPage({ ...options, storageState: session });
    const wide = [];
    try {
      for (const [name, path] of PAGES) {
        const page = path.includes('/admin/') ? signed.page : out.page;
        await goto(page, path);
        expect(new URL(page.url()).pathname === path, `${path} redirected to ${page.url()}`);
        await imagesIn(page.locator('body'));
        await page.screenshot({ path: shot(`${name}-${width}`), fullPage: true });
        const m = await page.evaluate((w) => {
          const sticksOut = (el) => el.getBoundingClientRect().right > w + 1;
          const describe = (el) =>
            `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}` +
            ` "${el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
          return {
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
            // The innermost elements that stick out to the right of the viewport, for the report.
            culprits: [...document.querySelectorAll('body *')]
              .filter((el) => sticksOut(el) && ![...el.children].some(sticksOut))
              .slice(0, 6)
              .map(describe),
          };
        }, width);
        // A phone browser zooms a page that is too wide out until it fits (innerWidth grows past
        // 360), so both numbers are checked.
        if (width === 360 && (m.scroll > m.inner + 1 || m.inner !== width)) {
          wide.push(`${path}: scrollWidth ${m.scroll}, innerWidth ${m.inner} (sticking out: ${m.culprits.join(', ')}); see e2e/out/${name}-${width}.png`);
        }
        if (width !== 360 && m.scroll > m.inner + 1) warn(`${path} scrolls sideways at ${width} px (scrollWidth ${m.scroll})`);
      }
    } finally {
      await out.context.close();
      await signed.context.close();
    }
    console.log(`      screenshots: ${PAGES.map(([n]) => `e2e/out/${n}-${width}.png`).join(' ')}`);
    expect(wide.length === 0, `horizontal scrolling at 360 px:\n${wide.join('\n')}`);
  });
}

await check('9. axe-core: no serious or critical violations on 4 pages', async () => {
  // axe.min.js is evaluated through the DevTools protocol (page.evaluate), which the page's CSP
  // does not govern; page.addScriptTag would insert an inline <script> without the nonce, which
  // the CSP rightly blocks (and check 8 would then report). No bypassCSP is needed.
  const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
  const session = await admin.context.storageState();
  const out = await newPage({ viewport: { width: 1000, height: 800 } });
  const signed = await newPage({ viewport: { width: 1000, height: 800 }, storageState: session });
  const failures = [];
  try {
    for (const path of ['/', AGENCY_HOME, '/signin', PROFILE]) {
      const page = path.includes('/admin/') ? signed.page : out.page;
      await goto(page, path);
      await page.evaluate(axeSource);
      const r = await page.evaluate(() =>
        window.axe.run(document, { resultTypes: ['violations'] }).then((res) =>
          res.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ' — ' + n.failureSummary.split('\n').slice(1).join(' ').trim() : ''}`),
          })),
        ),
      );
      for (const v of r) {
        const line = `${path}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length > 1 ? 's' : ''}: ${v.nodes.slice(0, 3).join('; ')})`;
        if (v.impact === 'serious' || v.impact === 'critical') failures.push(line);
        else warn(`axe ${line}`);
      }
      console.log(`      ${path}: ${r.length} violation(s)`);
    }
  } finally {
    await out.context.close();
    await signed.context.close();
  }
  expect(failures.length === 0, `axe:\n${failures.join('\n')}`);
});

await admin.context.close();
await anon.context.close();

// Check 8 runs last: it covers every page that the checks above opened.
await check(`8. no console errors, page errors, failed loads or CSP violations (${visited.size} page URLs visited)`, async () => {
  const paths = [...new Set([...visited].map((u) => { const x = new URL(u); return x.pathname + x.search; }))].sort();
  console.log(`      pages: ${paths.join(' ')}`);
  const lines = problems.map((p) => `${p.kind} on ${p.url}: ${p.text}`);
  expect(lines.length === 0, [...new Set(lines)].join('\n'));
});

await browser.close();

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed, ${warnings.length} warning(s). Screenshots: ${OUT}`);
process.exit(failed.length ? 1 : 0);
