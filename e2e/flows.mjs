// Browser checks for Prongsai: what a citizen, an agency admin, the ITA coordinator and a division
// officer do, clicked through in headless Chromium. Run by `e2e/run`, which builds and starts a
// fresh server; or by hand against a server you started yourself:
//
//   node e2e/flows.mjs http://127.0.0.1:8080/        (a fresh data dir: the checks edit the demo)
//
// Prints one PASS/FAIL line per check (and WARN lines for what does not fail the run), saves
// screenshots to e2e/out/, and exits 1 if any check failed.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
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
// The division officer of กองคลัง (finance), who reports progress on the measures (README).
const OFFICER = { email: 'finance@nonhan.example', password: 'nonhan-demo-2566' };
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
async function signIn(page, who = ADMIN) {
  await goto(page, '/signin');
  await page.getByLabel('อีเมล').fill(who.email);
  await page.getByLabel('รหัสผ่าน').fill(who.password);
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith(ADMIN_HOME)), page.getByRole('button', { name: 'เข้าสู่ระบบ' }).click()]);
  await officeNav(page).waitFor();
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

/**
 * How wide the page is laid out at a viewport of `w` px, and the innermost elements that stick out
 * to the right. A phone browser zooms a page that is too wide out until it fits (innerWidth grows
 * past 360), so `tooWide` looks at both numbers.
 */
async function widthOf(page, w) {
  const m = await page.evaluate((w) => {
    const sticksOut = (el) => el.getBoundingClientRect().right > w + 1;
    const describe = (el) =>
      `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).trim().split(/\s+/).join('.') : ''}` +
      ` "${el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    return {
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
      culprits: [...document.querySelectorAll('body *')]
        .filter((el) => sticksOut(el) && ![...el.children].some(sticksOut))
        .slice(0, 6)
        .map(describe),
    };
  }, w);
  return { ...m, tooWide: m.scroll > m.inner + 1 || m.inner !== w };
}

// axe.min.js is evaluated through the DevTools protocol (page.evaluate), which the page's CSP does
// not govern; page.addScriptTag would insert an inline <script> without the nonce, which the CSP
// rightly blocks (and check 8 would then report). No bypassCSP is needed.
const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe on the open page: returns the serious and critical violations, warns of the others. */
async function axeCheck(page, label) {
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
  const failures = [];
  for (const v of r) {
    const line = `${label}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node${v.nodes.length > 1 ? 's' : ''}: ${v.nodes.slice(0, 3).join('; ')})`;
    if (v.impact === 'serious' || v.impact === 'critical') failures.push(line);
    else warn(`axe ${line}`);
  }
  console.log(`      ${label}: ${r.length} violation(s)`);
  return failures;
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
  ['data', `/a/${SLUG}/data`],
];

for (const [width, label, options] of [
  [360, 'phone', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
  [1000, 'desktop', { viewport: { width: 1000, height: 800 } }],
]) {
  await check(`7. ${width} px (${label}): screenshots of ${PAGES.length} pages${width === 360 ? ', no horizontal scrolling' : ''}`, async () => {
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
        const m = await widthOf(page, width);
        if (width === 360 && m.tooWide) {
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

await check('9. axe-core: no serious or critical violations on 10 pages (home, agency, sign-in, profile, open data, news list and item, a page, social, privacy)', async () => {
  const session = await admin.context.storageState();
  const out = await newPage({ viewport: { width: 1000, height: 800 } });
  const signed = await newPage({ viewport: { width: 1000, height: 800 }, storageState: session });
  const failures = [];
  try {
    const paths = ['/', AGENCY_HOME, '/signin', PROFILE, `/a/${SLUG}/data`, `/a/${SLUG}/news`, `/a/${SLUG}/p/about`, `/a/${SLUG}/social`, `/a/${SLUG}/privacy`];
    for (const path of paths) {
      const page = path.includes('/admin/') ? signed.page : out.page;
      await goto(page, path);
      failures.push(...(await axeCheck(page, path)));
      if (path.endsWith('/news')) {
        // The newest news item, as a reader reaches it from the list.
        const item = await page.locator(`main a[href^="/a/${SLUG}/news/"]:not([href$=".xml"])`).first().getAttribute('href');
        expect(item, 'the news list links to an item');
        await goto(page, item);
        failures.push(...(await axeCheck(page, item)));
      }
    }
  } finally {
    await out.context.close();
    await signed.context.close();
  }
  expect(failures.length === 0, `axe:\n${failures.join('\n')}`);
});

// ---------------------------------------------------------------------------------------------
// The measures module (issue 3): a division officer reports progress with evidence, the report
// shows it; the coordinator's consistency check; keyboard, phone, accessibility, screenshots.

const MEASURES = `/a/${SLUG}/admin/measures`;
const PLAN_2566 = `${MEASURES}/2566`;
const PLAN_2567 = `${MEASURES}/2567`;
const PUBLIC_2566 = `/a/${SLUG}/measures/2566`;
const OTHER_AGENCY = 'เทศบาลตำบลโคกสูงสัมพันธ์'; // named by the seed report inside Non Han's plan

// What only the coordinator may see: drafting links and buttons (plan.html, plans.html).
const DRAFTING_LINKS = ['แก้ไขมาตรการ', 'เพิ่มแนวทาง/กิจกรรม', 'เพิ่มมาตรการ', 'ข้อความในเอกสาร', 'ตารางมาตรการปีที่ผ่านมา', 'ตารางขั้นตอนและการกำกับติดตาม'];
const DRAFTING_BUTTONS = ['เสนอผู้บริหารอนุมัติ', 'อนุมัติแผนและเผยแพร่', 'ส่งกลับเป็นร่าง', 'ยืนยันว่าถูกต้อง', 'สร้างแผน'];
/** The drafting controls on the page, as "name ×count". */
async function draftingControls(page) {
  const main = page.locator('main');
  const found = [];
  for (const name of DRAFTING_LINKS) {
    const n = await main.getByRole('link', { name, exact: true }).count();
    if (n) found.push(`link "${name}" ×${n}`);
  }
  for (const name of DRAFTING_BUTTONS) {
    const n = await main.getByRole('button', { name, exact: true }).count();
    if (n) found.push(`button "${name}" ×${n}`);
  }
  const edits = await main.locator('a[href$="/edit"], form[action*="/status/"], form[action$="/accept-warning"], #check').count();
  if (edits) found.push(`edit links, status or accept forms, or the check section ×${edits}`);
  return found;
}

/** The rows of the plan page's action tables: number, responsible, progress text. */
async function planRows(page) {
  return page.locator('main table.cards tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      number: tr.querySelector('td a')?.textContent.trim(),
      responsible: tr.querySelector('td[data-label="ผู้รับผิดชอบ"]')?.textContent.trim(),
      progress: tr.querySelector('td[data-label="ผลการดำเนินการ"]')?.textContent.replace(/\s+/g, ' ').trim(),
    })),
  );
}
const rowOf = (page, number) => page.locator('main table.cards tbody tr').filter({ has: page.getByRole('link', { name: number, exact: true }) });

/** A small but real one-page PDF (hand-written objects, computed xref offsets). */
function tinyPdf(line) {
  const content = `BT /F1 18 Tf 72 760 Td (${line}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const pdfText = (file) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
/** Text compared across line wraps and digit styles: no white space, Thai digits as Arabic. */
const flat = (s) => s.replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50)).replace(/\s+/g, '');
const thaiDigits = (s) => String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x0e50 + Number(d)));
// Today in Bangkok, as the back office ("29 พ.ย. 69") and the report ("๒๙ พฤศจิกายน ๒๕๖๙") write it.
const todayShort = new Intl.DateTimeFormat('th-TH-u-ca-buddhist', { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'Asia/Bangkok' }).format(new Date());
const todayFull = new Intl.DateTimeFormat('th-TH-u-ca-buddhist-nu-thai', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Asia/Bangkok' }).format(new Date());

// What the officer reports on action 4.2 (the loan register of กองคลัง, in progress in the demo).
const ACTION = '4.2';
const ACTION_MEASURE = '4. การใช้ทรัพย์สินของราชการ';
const OLD_NARRATIVE = 'จัดทำแบบคำขอยืมทรัพย์สินของทางราชการ และทะเบียนคุมการยืม-คืน อยู่ระหว่างทดลองใช้';
const NARRATIVE = `ใช้ทะเบียนคุมการยืม-คืนทรัพย์สินของราชการครบทุกกองแล้ว ตรวจนับประจำเดือนไม่พบทรัพย์สินสูญหาย (รอบทดสอบ ${stamp})`;
const EVIDENCE_FILE = 'ทะเบียนยืมคืน-ทดสอบ.pdf';
const EVIDENCE_PDF = tinyPdf(`Prongsai e2e evidence ${stamp}`);
const EVIDENCE_LINK = { label: 'สรุปการตรวจนับทรัพย์สิน', url: `https://nonhan.example/assets/check-${stamp}` };
const REASON = `ข้อความยกมาจากรายงานต้นฉบับ ผู้ประสานงานตรวจแล้ว (${stamp})`;
let actionPath = ''; // the back-office page of action 4.2

await check(`10. officer of กองคลัง reports ${ACTION} with a PDF and a link; the public page and report.pdf show it`, async () => {
  const { page, context } = await newPage({ viewport: { width: 1000, height: 800 } });
  try {
    // Sanity: the evidence is a real PDF before it is uploaded.
    writeFileSync(join(OUT, 'evidence.pdf'), EVIDENCE_PDF);
    expect(pdfText(join(OUT, 'evidence.pdf')).includes(`Prongsai e2e evidence ${stamp}`), 'the generated evidence PDF does not read back with pdftotext');

    await signIn(page, OFFICER);
    const me = (await page.locator('.office-user a[href="/account"]').innerText()).trim();
    expect(me.includes('กองคลัง'), `signed in as "${me}", not the กองคลัง officer`);
    await Promise.all([page.waitForURL(url(MEASURES)), officeNav(page).getByRole('link', { name: 'มาตรการส่งเสริมคุณธรรม' }).click()]);
    expectEq(await page.locator('main').getByRole('heading', { name: 'จัดทำแผนมาตรการใหม่' }).count(), 0, 'the officer sees the "new plan" form');
    await Promise.all([page.waitForURL(url(PLAN_2566)), page.getByRole('link', { name: 'แผนมาตรการปีงบประมาณ พ.ศ. 2566' }).click()]);
    expectEq((await page.locator('h1').innerText()).trim(), 'แผนมาตรการปีงบประมาณ พ.ศ. 2566', 'h1 of the plan page');
    expect((await mainText(page)).includes('อนุมัติแล้ว'), 'the FY2566 plan is not shown as approved');
    expect((await mainText(page)).includes('แสดงเฉพาะกิจกรรมที่ส่วนราชการของท่านรับผิดชอบ'), 'no "only your division\'s actions" note');

    const rows = await planRows(page);
    expect(rows.length > 0, 'no actions listed for the officer');
    const foreign = rows.filter((r) => !/กองคลัง|ทุกส่วนราชการ/.test(r.responsible ?? ''));
    expect(foreign.length === 0, `actions listed that กองคลัง is not responsible for: ${foreign.map((r) => `${r.number} (${r.responsible})`).join(', ')}`);
    const reportLinks = await page.locator('main').getByRole('link', { name: 'รายงานผลการดำเนินการ', exact: true }).count();
    expectEq(reportLinks, rows.length, 'rows with a "รายงานผลการดำเนินการ" link');
    const drafting = await draftingControls(page);
    expect(drafting.length === 0, `drafting controls shown to the officer: ${drafting.join(', ')}`);
    console.log(`      the officer sees ${rows.length} actions, all of กองคลัง or ทุกส่วนราชการ; no drafting controls`);

    // Open the action and report.
    const row = rowOf(page, ACTION);
    expectEq(await row.count(), 1, `row ${ACTION} on the plan page`);
    await Promise.all([page.waitForURL((u) => /\/actions\/\d+$/.test(u.pathname)), row.getByRole('link', { name: 'รายงานผลการดำเนินการ' }).click()]);
    actionPath = new URL(page.url()).pathname;
    expectEq((await page.locator('h1').innerText()).trim(), `แนวทาง/กิจกรรมที่ ${ACTION}`, 'h1 of the action page');
    const history = page.locator('ol.history > li');
    const before = await history.count();
    const form = page.locator('#report form');
    await form.getByLabel('สถานะ', { exact: true }).selectOption({ label: 'ดำเนินการแล้ว' });
    await form.getByLabel('ผลการดำเนินการ', { exact: true }).fill(NARRATIVE);
    await form.getByLabel('ไฟล์หลักฐาน', { exact: true }).setInputFiles({ name: EVIDENCE_FILE, mimeType: 'application/pdf', buffer: EVIDENCE_PDF });
    await form.getByLabel('ลิงก์หลักฐาน', { exact: true }).fill(`${EVIDENCE_LINK.label} | ${EVIDENCE_LINK.url}`);
    await Promise.all([page.waitForURL(url(actionPath)), form.getByRole('button', { name: 'บันทึกผลการดำเนินการ' }).click()]);

    const flash = page.getByRole('status');
    await flash.waitFor();
    expect((await flash.innerText()).includes('บันทึกเรียบร้อยแล้ว'), `confirmation: got "${await flash.innerText()}"`);
    expectEq(await history.count(), before + 1, 'history entries after the report');
    const entry = history.filter({ hasText: NARRATIVE });
    expectEq(await entry.count(), 1, 'the new entry in the history');
    const entryText = (await entry.innerText()).replace(/\s+/g, ' ');
    for (const want of [todayShort, 'ดำเนินการแล้ว', 'ร้อยละ 100', me]) expect(entryText.includes(want), `the history entry lacks "${want}": ${entryText}`);
    const fileLink = entry.getByRole('link', { name: EVIDENCE_FILE });
    expectEq(await fileLink.count(), 1, `evidence link named ${EVIDENCE_FILE} (entry: ${entryText})`);
    const evidenceHref = await fileLink.getAttribute('href');
    const res = await context.request.get(url(evidenceHref));
    expectEq(res.status(), 200, `GET ${evidenceHref}`);
    expectEq(res.headers()['content-type'], 'application/pdf', `content type of ${evidenceHref}`);
    expect(Buffer.compare(await res.body(), EVIDENCE_PDF) === 0, 'the stored evidence file differs from the uploaded one');
    expectEq(await entry.getByRole('link', { name: EVIDENCE_LINK.label }).getAttribute('href'), EVIDENCE_LINK.url, 'href of the evidence link');
    const summary = (await page.locator('main dl').innerText()).replace(/\s+/g, ' ');
    expect(summary.includes('ดำเนินการแล้ว · ร้อยละ 100'), `the action's status after the report: ${summary}`);
    await page.screenshot({ path: shot('measures-action-reported-1000'), fullPage: true });

    // Back on the plan page, the row shows the new report as the latest.
    await Promise.all([page.waitForURL(url(PLAN_2566)), page.getByRole('link', { name: /แผนมาตรการปีงบประมาณ พ\.ศ\. 2566/ }).click()]);
    const after = (await rowOf(page, ACTION).innerText()).replace(/\s+/g, ' ');
    expect(after.includes(NARRATIVE) && after.includes('ร้อยละ 100'), `row ${ACTION} after the report: ${after}`);

    // Sign out: the back office is closed again.
    await Promise.all([page.waitForURL(url('/')), page.getByRole('button', { name: 'ออกจากระบบ' }).click()]);
    await goto(page, PLAN_2566);
    expectEq(new URL(page.url()).pathname, '/signin', 'where the plan page leads after signing out');

    // The public page, as a citizen sees it.
    await goto(page, AGENCY_HOME);
    await Promise.all([page.waitForURL(url(`/a/${SLUG}/s/integrity`)), page.locator('header').getByRole('link', { name: 'คุณธรรมและความโปร่งใส' }).click()]);
    await Promise.all([page.waitForURL(url(`/a/${SLUG}/measures`)), page.locator('main').getByRole('link', { name: 'มาตรการส่งเสริมคุณธรรมและความโปร่งใส' }).click()]);
    await Promise.all([page.waitForURL(url(PUBLIC_2566)), page.getByRole('link', { name: 'แผนมาตรการปีงบประมาณ พ.ศ. 2566' }).click()]);
    const measure = page.locator('table.measures-table tbody tr').filter({ hasText: thaiDigits(ACTION_MEASURE) });
    expectEq(await measure.count(), 1, `public row of measure ${ACTION_MEASURE}`);
    const line = measure.locator('p.progress-line').filter({ hasText: NARRATIVE });
    expectEq(await line.count(), 1, `the new narrative under ${ACTION} on the public page`);
    const lineText = (await line.innerText()).replace(/\s+/g, ' ');
    expect(lineText.includes('ดำเนินการแล้ว ร้อยละ ๑๐๐'), `public progress line: ${lineText}`);
    expect((await measure.innerText()).replace(/\s+/g, ' ').includes('ความคืบหน้า ร้อยละ ๑๐๐'), `measure 4 is not at 100 % on the public page: ${(await measure.innerText()).replace(/\s+/g, ' ')}`);
    expect(!(await measure.innerText()).includes(OLD_NARRATIVE), 'the superseded report of 4.2 is still shown on the public page');
    const publicFile = line.getByRole('link', { name: EVIDENCE_FILE });
    expectEq(await publicFile.count(), 1, 'public link to the evidence file');
    const pubRes = await context.request.get(url(await publicFile.getAttribute('href')));
    expectEq(pubRes.status(), 200, 'the public evidence file, signed out');
    expect(Buffer.compare(await pubRes.body(), EVIDENCE_PDF) === 0, 'the public evidence file differs from the uploaded one');
    expectEq(await line.getByRole('link', { name: EVIDENCE_LINK.label }).getAttribute('href'), EVIDENCE_LINK.url, 'public evidence link');

    // The report, through the page's download button.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'ดาวน์โหลด PDF' }).click()]);
    const pdfPath = join(OUT, 'report-2566.pdf');
    await download.saveAs(pdfPath);
    expect((await download.failure()) === null, `download failed: ${await download.failure()}`);
    const name = download.suggestedFilename();
    expect(name.endsWith('.pdf') && name.includes('2566'), `suggested file name: ${name}`);
    const bytes = readFileSync(pdfPath);
    expectEq(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'first bytes of report.pdf');
    const text = pdfText(pdfPath);
    const all = flat(text);
    for (const want of ['รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส', 'การปฏิบัติหน้าที่', NARRATIVE, `(ณ ${todayFull})`]) {
      expect(all.includes(flat(want)), `report.pdf lacks "${want}" (pdftotext -raw: e2e/out/report-2566.txt)`);
    }
    expect(!all.includes(flat(OLD_NARRATIVE)), 'report.pdf still prints the superseded report of 4.2');
    // The narrative sits under its action: after "๔.๒" and before "๕.๑" in the actions column.
    const [at, a42, a51] = [all.indexOf(flat(NARRATIVE)), all.indexOf(flat(`${thaiDigits('4.2')} การสร้างระบบ`)), all.indexOf(flat(`${thaiDigits('5.1')} การมุ่งเสริมสร้าง`))];
    expect(a42 >= 0 && a42 < at && (a51 < 0 || at < a51), `the narrative is not under action ${ACTION} (at ${at}, 4.2 at ${a42}, 5.1 at ${a51})`);
    // No broken Thai cluster: no line starts with a vowel or tone mark above/below, none ends with
    // a leading vowel (เ แ โ ใ ไ) cut from its consonant.
    const broken = text.split(/\n|\f/).filter((l) => /^[\u0E31\u0E33-\u0E3A\u0E47-\u0E4E]/.test(l) || /[\u0E40-\u0E44]$/.test(l));
    expect(broken.length === 0, `report.pdf has broken Thai clusters at line breaks: ${broken.slice(0, 5).join(' | ')}`);
    const pages = text.split('\f').filter((p) => p.trim());
    const unnumbered = pages.slice(1).map((p, i) => (p.includes(`- ${thaiDigits(i + 1)} -`) ? null : i + 2)).filter(Boolean);
    expect(unnumbered.length === 0, `pages without their number in Thai digits ("- ๑ -" from page 2): ${unnumbered.join(', ')}`);
    const fonts = execFileSync('pdffonts', [pdfPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(/Sarabun/.test(fonts) && !/\bno\s+(yes|no)\s+(yes|no)\s+\d+/.test(fonts), `fonts of report.pdf:\n${fonts}`);
    writeFileSync(join(OUT, 'report-2566.txt'), text);
    const narrativePage = pages.findIndex((p) => flat(p).includes(flat(NARRATIVE))) + 1;
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '3', pdfPath, join(OUT, 'report-2566')]);
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', String(narrativePage), '-l', String(narrativePage), pdfPath, join(OUT, 'report-2566')]);
    console.log(`      report.pdf: ${bytes.length} bytes, ${pages.length} pages, "${name}"; new narrative on page ${narrativePage}; pages 1–3 and ${narrativePage} as e2e/out/report-2566-*.png`);
    await page.screenshot({ path: shot('measures-public-after-report-1000'), fullPage: true });
  } finally {
    await context.close();
  }
});

// Checks 11 to 15 share one signed-in coordinator and one signed-in officer, made when first needed.
let coord = null;
let officer = null;
async function session(who) {
  const s = await newPage({ viewport: { width: 1000, height: 800 } });
  await signIn(s.page, who);
  return s;
}
const coordSession = async () => (coord ??= await session(ADMIN));
const officerSession = async () => (officer ??= await session(OFFICER));
/** The back-office path of action 4.2 of FY2566 (set by check 10; looked up if check 10 failed early). */
async function actionPathOf(page) {
  if (!actionPath) {
    await goto(page, PLAN_2566);
    actionPath = await rowOf(page, ACTION).getByRole('link', { name: ACTION, exact: true }).getAttribute('href');
  }
  return actionPath;
}

await check('11. coordinator: FY2567 draft lists the other agency\'s name; submit is refused until accepted with a reason', async () => {
  const { page } = await coordSession(); // signs in through the form
  await goto(page, ADMIN_HOME);
  await Promise.all([page.waitForURL(url(MEASURES)), officeNav(page).getByRole('link', { name: 'มาตรการส่งเสริมคุณธรรม' }).click()]);
  const item = page.locator('main li').filter({ has: page.getByRole('link', { name: 'แผนมาตรการปีงบประมาณ พ.ศ. 2567' }) });
  expect((await item.innerText()).includes('ร่าง'), `FY2567 is not a draft: ${await item.innerText()}`);
  await Promise.all([page.waitForURL(url(PLAN_2567)), item.getByRole('link').click()]);
  // The drafting controls the officer must not see are here for the coordinator.
  const drafting = await draftingControls(page);
  for (const want of ['แก้ไขมาตรการ', 'เพิ่มแนวทาง/กิจกรรม', 'เพิ่มมาตรการ', 'เสนอผู้บริหารอนุมัติ', 'ยืนยันว่าถูกต้อง']) {
    expect(drafting.some((d) => d.includes(`"${want}"`)), `the coordinator does not see "${want}" on the draft (found: ${drafting.join(', ')})`);
  }

  const section = page.locator('#check');
  expectEq((await section.getByRole('heading').innerText()).trim(), 'ตรวจความถูกต้องของเอกสาร', 'heading of the check section');
  const warningOf = () => section.locator('li').filter({ hasText: 'แนวทางที่ 10.1' }).filter({ hasText: OTHER_AGENCY });
  expectEq(await warningOf().count(), 1, `a warning at แนวทางที่ 10.1 naming ${OTHER_AGENCY}`);
  expect((await warningOf().innerText()).includes(`มีชื่อหน่วยงานอื่น "${OTHER_AGENCY}"`), `warning text: ${await warningOf().innerText()}`);
  expectEq(await warningOf().getAttribute('class'), 'open', 'state of the 10.1 warning before accepting it');
  const open = await section.locator('li.open').count();
  console.log(`      ${open} open warning(s): ${(await section.locator('li.open > p').allInnerTexts()).join(' | ')}`);

  const submit = async (left) => {
    const target = url(`${PLAN_2567}/status/submit`);
    expectedStatus.push({ url: target, status: 422 });
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'เสนอผู้บริหารอนุมัติ' }).click(),
    ]);
    await page.waitForLoadState('load');
    expectEq(res.status(), 422, 'status of the refused submission');
    const alert = page.getByRole('alert');
    expectEq((await alert.locator('p').first().innerText()).trim(), `ยังมีข้อความที่ต้องตรวจสอบ ${left} รายการ กรุณาแก้ไขหรือยืนยันก่อน`, 'refusal message');
    // The message leads to the list of what is left to check.
    const toCheck = alert.getByRole('link', { name: 'ไปที่รายการที่ต้องตรวจสอบ' });
    expectEq(await toCheck.getAttribute('href'), '#check', 'the refusal links the check section');
    expect(await page.locator('#check').count() === 1, 'the plan page has the check section');
    expectEq((await page.locator('main p .tag').first().innerText()).trim(), 'ร่าง', 'plan status after the refusal');
  };
  await submit(open);
  await page.screenshot({ path: shot('measures-submit-refused-1000'), fullPage: true });

  await warningOf().getByLabel('เหตุผลที่ยืนยัน').fill(REASON);
  await Promise.all([page.waitForURL((u) => u.pathname === PLAN_2567), warningOf().getByRole('button', { name: 'ยืนยันว่าถูกต้อง' }).click()]);
  const flash = page.getByRole('status');
  await flash.waitFor();
  expect((await flash.innerText()).includes('บันทึกเรียบร้อยแล้ว'), `confirmation: got "${await flash.innerText()}"`);
  expectEq(await warningOf().getAttribute('class'), 'accepted', 'state of the 10.1 warning after accepting it');
  const accepted = (await warningOf().innerText()).replace(/\s+/g, ' ');
  expect(accepted.includes('ยืนยันแล้วโดย') && accepted.includes(REASON), `the accepted warning does not show who and why: ${accepted}`);
  expectEq(await warningOf().locator('form').count(), 0, 'accept form left on the accepted warning');
  expectEq(await section.locator('li.open').count(), open - 1, 'open warnings after accepting one');
  await page.screenshot({ path: shot('measures-warning-accepted-1000'), fullPage: true });
  // The accepted warning no longer blocks; the others still do.
  if (open > 1) await submit(open - 1);
});

await check('12. an action the coordinator gives to กองช่าง only leaves the กองคลัง officer\'s FY2567 list; its page is 404 for them', async () => {
  const { page } = await coordSession();
  await goto(page, PLAN_2567);
  const adminRows = await planRows(page);
  await Promise.all([page.waitForURL((u) => u.pathname.endsWith('/edit')), rowOf(page, '3.2').getByRole('link', { name: '3.2', exact: true }).click()]);
  const actionId = new URL(page.url()).pathname.split('/').at(-2);
  for (const name of ['ทุกส่วนราชการ', 'สำนักปลัดเทศบาล', 'กองคลัง']) await page.getByLabel(name, { exact: true }).uncheck();
  await page.getByLabel('กองช่าง', { exact: true }).check();
  await Promise.all([page.waitForURL(url(PLAN_2567)), page.getByRole('button', { name: 'บันทึก', exact: true }).click()]);
  expectEq((await planRows(page)).find((r) => r.number === '3.2')?.responsible, 'กองช่าง', 'responsible for 3.2 after the edit');

  const o = (await officerSession()).page;
  await goto(o, PLAN_2567);
  const rows = await planRows(o);
  const numbers = rows.map((r) => r.number);
  expect(!numbers.includes('3.2'), `the officer still sees 3.2 (${numbers.join(' ')})`);
  expect(numbers.includes('3.1'), `the officer no longer sees 3.1 (${numbers.join(' ')})`);
  expectEq(rows.length, adminRows.length - 1, 'actions the officer sees (the coordinator\'s count minus 3.2)');
  const foreign = rows.filter((r) => !/กองคลัง|ทุกส่วนราชการ/.test(r.responsible ?? ''));
  expect(foreign.length === 0, `actions of other divisions listed: ${foreign.map((r) => r.number).join(', ')}`);
  const drafting = await draftingControls(o);
  expect(drafting.length === 0, `drafting controls shown to the officer on the draft: ${drafting.join(', ')}`);
  for (const path of [`${PLAN_2567}/actions/${actionId}`, `${PLAN_2567}/actions/${actionId}/edit`]) {
    expectedStatus.push({ url: url(path), status: path.endsWith('/edit') ? 403 : 404 });
    const res = await o.goto(url(path));
    expect([403, 404].includes(res.status()), `${path} answered ${res.status()} to the officer`);
    expect(!(await o.locator('main').innerText()).includes('การเปิดรับฟังความคิดเห็น'), `${path} shows the action's text to the officer`);
  }
});

await check('13. keyboard only: the officer fills and sends the progress form of 1.3 with Tab, arrows and Enter', async () => {
  const { page } = await officerSession();
  await goto(page, PLAN_2566);
  await Promise.all([page.waitForURL((u) => u.hash === '#report'), rowOf(page, '1.3').getByRole('link', { name: 'รายงานผลการดำเนินการ' }).click()]);
  const path = new URL(page.url()).pathname;
  const active = () => page.evaluate(() => ({ id: document.activeElement?.id, tag: document.activeElement?.tagName.toLowerCase(), text: document.activeElement?.textContent?.trim().slice(0, 30) }));
  const tabTo = async (id, max) => {
    const seen = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const a = await active();
      seen.push(a.id || a.text || a.tag);
      if (a.id === id) return seen;
    }
    throw new CheckError(`Tab did not reach #${id} (went: ${seen.join(' → ')})`);
  };
  const toForm = await tabTo('f-reported_on', 60);
  console.log(`      Tabs from #report to the first field: ${toForm.length}`);
  await tabTo('f-status', 4); // a date input has a Tab stop per part (day, month, year)
  for (let i = 0; i < 4 && (await page.locator('#f-status').inputValue()) !== 'done'; i++) await page.keyboard.press('ArrowDown');
  expectEq(await page.locator('#f-status').inputValue(), 'done', 'status chosen with the arrow keys');
  await tabTo('f-percent', 1);
  await tabTo('f-narrative', 1);
  const narrative = `ประกาศหลักเกณฑ์การบริหารงานบุคคลแล้ว กรอกด้วยแป้นพิมพ์ (${stamp})`;
  await page.keyboard.type(narrative);
  await tabTo('f-files', 1);
  await tabTo('f-links', 1);
  await page.keyboard.type('ประกาศหลักเกณฑ์ | https://nonhan.example/hr-rules');
  await page.keyboard.press('Tab');
  const button = await active();
  expect(button.tag === 'button' && button.text === 'บันทึกผลการดำเนินการ', `focus after the last field: ${JSON.stringify(button)}`);
  expect(await page.evaluate(() => document.activeElement.matches(':focus-visible')), 'the focused submit button shows no focus style');
  await page.screenshot({ path: shot('measures-keyboard-form-1000') });
  await Promise.all([page.waitForURL((u) => u.pathname === path && u.hash === ''), page.keyboard.press('Enter')]);
  const flash = page.getByRole('status');
  await flash.waitFor();
  expect((await flash.innerText()).includes('บันทึกเรียบร้อยแล้ว'), `confirmation: got "${await flash.innerText()}"`);
  const entry = page.locator('ol.history > li').filter({ hasText: narrative });
  expectEq(await entry.count(), 1, 'the keyboard report in the history');
  const t = (await entry.innerText()).replace(/\s+/g, ' ');
  expect(t.includes('ดำเนินการแล้ว') && t.includes('ร้อยละ 100') && t.includes('ประกาศหลักเกณฑ์'), `the keyboard report: ${t}`);
});

// The fiscal year (Buddhist Era) of today: the demo's surveys of this year are open.
const THIS_FY = (() => { const d = new Date(); return d.getFullYear() + 543 + (d.getMonth() >= 9 ? 1 : 0); })();

await check('14. measures and ITA pages at 360 px (no sideways scrolling) and 1000 px: screenshots', async () => {
  const officerState = await (await officerSession()).context.storageState();
  const coordState = await (await coordSession()).context.storageState();
  const actionPath = await actionPathOf(officer.page);
  const MPAGES = [
    ['measures-plan', PLAN_2566, officerState],
    ['measures-action', actionPath, officerState],
    ['measures-draft-check', PLAN_2567, coordState],
    ['measures-documents', `${PLAN_2566}/documents`, coordState],
    ['ita-framework', '/a/nonhan/admin/ita/framework/2566', coordState],
    ['ita-results', '/a/nonhan/admin/ita/results', coordState],
    ['ita-simulate', '/a/nonhan/admin/ita/simulate?go=1&fy=2566&i1=91.35&i2=78.6&i3=82.1&i4=76.45&i5=80.9&i6=92.75&i7=89.4&i8=87.15&oit=O1&oit=O2&oit=O42', coordState],
    ['measures-public', PUBLIC_2566, undefined],
    ['ita-surveys', `/a/nonhan/admin/ita/surveys/${THIS_FY}`, coordState],
    ['ita-oit', '/a/nonhan/admin/ita/oit/2567', coordState],
    ['ita-oit-public', '/a/nonhan/ita/2567', undefined],
    ['ita-eit', '/a/nonhan/eit', undefined],
  ];
  const wide = [];
  for (const [width, options] of [
    [360, { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
    [1000, { viewport: { width: 1000, height: 800 } }],
  ]) {
    const contexts = new Map();
    try {
      for (const [name, path, state] of MPAGES) {
        if (!contexts.has(state)) contexts.set(state, await newPage({ ...options, storageState: state }));
        const { page } = contexts.get(state);
        await goto(page, path);
        const at = new URL(page.url());
        expectEq(at.pathname + at.search, path, `${path} redirected`);
        await page.screenshot({ path: shot(`${name}-${width}`), fullPage: true });
        const m = await widthOf(page, width);
        if (width === 360 && m.tooWide) wide.push(`${path}: scrollWidth ${m.scroll}, innerWidth ${m.inner} (sticking out: ${m.culprits.join(', ')}); see e2e/out/${name}-360.png`);
        if (width !== 360 && m.scroll > m.inner + 1) warn(`${path} scrolls sideways at ${width} px (scrollWidth ${m.scroll})`);
        if (width === 360 && name === 'measures-action') {
          // The progress form fits: every field and the button inside the screen's width.
          const boxes = await page.locator('#report form').locator('input:not([type=hidden]), select, textarea, button').evaluateAll((els) =>
            els.map((el) => { const r = el.getBoundingClientRect(); return { id: el.id || el.textContent.trim(), left: r.left, right: r.right }; }),
          );
          expect(boxes.length >= 6, `the progress form has ${boxes.length} controls at 360 px`);
          const out = boxes.filter((b) => b.left < 0 || b.right > width);
          expect(out.length === 0, `progress form controls outside the 360 px screen: ${JSON.stringify(out)}`);
        }
      }
    } finally {
      for (const c of contexts.values()) await c.context.close();
    }
  }
  console.log(`      screenshots: ${MPAGES.flatMap(([n]) => [`e2e/out/${n}-360.png`, `e2e/out/${n}-1000.png`]).join(' ')}`);
  expect(wide.length === 0, `horizontal scrolling at 360 px:\n${wide.join('\n')}`);
});

await check('15. axe-core: no serious or critical violations on the measures and ITA pages', async () => {
  await coordSession();
  const actionPath = await actionPathOf((await officerSession()).page);
  const anonPage = await newPage({ viewport: { width: 1000, height: 800 } });
  const failures = [];
  try {
    for (const [page, path, who] of [
      [officer.page, PLAN_2566, 'officer'],
      [officer.page, actionPath, 'officer'],
      [coord.page, PLAN_2567, 'coordinator'],
      [coord.page, `${PLAN_2566}/documents`, 'coordinator'],
      [coord.page, '/a/nonhan/admin/ita/framework/2566', 'coordinator'],
      [coord.page, '/a/nonhan/admin/ita/results', 'coordinator'],
      [coord.page, '/a/nonhan/admin/ita/simulate', 'coordinator'],
      [coord.page, `/a/nonhan/admin/ita/surveys/${THIS_FY}`, 'coordinator'],
      [coord.page, '/a/nonhan/admin/ita/oit/2567', 'coordinator'],
      [anonPage.page, '/a/nonhan/ita/2567', 'signed out'],
      [anonPage.page, '/a/nonhan/eit', 'signed out'],
      [anonPage.page, PUBLIC_2566, 'signed out'],
      [anonPage.page, `${PUBLIC_2566}/announcement`, 'signed out'],
      [anonPage.page, `${PUBLIC_2566}/analysis`, 'signed out'],
    ]) {
      await goto(page, path);
      failures.push(...(await axeCheck(page, `${path} (${who})`)));
    }
  } finally {
    await anonPage.context.close();
  }
  expect(failures.length === 0, `axe:\n${failures.join('\n')}`);
});

// ---------------------------------------------------------------------------------------------
// Search (issue 5): the header box on a phone, with the keyboard only; results with marked hits;
// the page at 360 px and under axe-core, with results, with none, and empty.

const SEARCH = `/a/${SLUG}/search`;
await check('17. search: from the header box with Tab, type and Enter; marked results; 360 px; axe-core', async () => {
  const { page, context } = await newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const failures = [];
  const wide = [];
  try {
    await goto(page, AGENCY_HOME);
    let reached = false;
    for (let i = 0; i < 8 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'portal-q');
    }
    expect(reached, 'Tab does not reach the search box of the portal header');
    await page.keyboard.type('ความโปร่งใส');
    await Promise.all([page.waitForURL((u) => u.pathname === SEARCH), page.keyboard.press('Enter')]);
    const titles = await page.locator('main .search-hit h2').allInnerTexts();
    expect(titles.length > 0, 'no results for ความโปร่งใส');
    expect(titles[0].replace(/\s+/g, '').includes('มาตรการส่งเสริมคุณธรรมและความโปร่งใส'), `first result: ${titles[0]}`);
    const marks = await page.locator('main .search-hit mark').allInnerTexts();
    expect(marks.length > 0 && marks.every((m) => m === 'ความโปร่งใส'), `marks: ${JSON.stringify(marks)}`);
    // From the box: the button, then on to the results.
    await page.locator('#q').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.tagName === 'BUTTON'), 'Tab from the search box does not reach its button');
    await page.screenshot({ path: shot('search-360'), fullPage: true });
    for (const [name, path] of [
      ['search-results', `${SEARCH}?q=${encodeURIComponent('เทศบาล')}`],
      ['search-none', `${SEARCH}?q=${encodeURIComponent('" OR 1=1 *')}`],
      ['search-empty', SEARCH],
      ['search-long', `${SEARCH}?q=${encodeURIComponent('ab '.repeat(70))}`],
    ]) {
      await goto(page, path);
      const m = await widthOf(page, 360);
      if (m.tooWide) wide.push(`${path}: scrollWidth ${m.scroll}, innerWidth ${m.inner} (sticking out: ${m.culprits.join(', ')}); see e2e/out/${name}-360.png`);
      await page.screenshot({ path: shot(`${name}-360`), fullPage: true });
      failures.push(...(await axeCheck(page, path)));
    }
  } finally {
    await context.close();
  }
  console.log('      screenshots: e2e/out/search-360.png e2e/out/search-results-360.png e2e/out/search-none-360.png e2e/out/search-empty-360.png e2e/out/search-long-360.png');
  expect(wide.length === 0, `horizontal scrolling at 360 px:\n${wide.join('\n')}`);
  expect(failures.length === 0, `axe:\n${failures.join('\n')}`);
});

if (coord) await coord.context.close();
if (officer) await officer.context.close();

await admin.context.close();
await anon.context.close();

// Check 8 runs last: it covers every page that the checks above opened.
await check('16. ITA: the coordinator makes IIT codes and prints the slips; a staff member answers on a 360 px phone; the code then no longer works', async () => {
  const coordinator = await session(ADMIN);
  const { page } = coordinator;
  await goto(page, '/a/nonhan/admin/ita/surveys');
  const year = new URL(page.url()).pathname.split('/').pop();
  const iit = page.locator('section#iit');
  await iit.getByLabel('จำนวนรหัสที่จะสร้างเพิ่ม').fill('3');
  await Promise.all([page.waitForURL(/#iit-codes$/), iit.getByRole('button', { name: 'สร้างรหัส' }).click()]);
  await page.screenshot({ path: shot('ita-surveys-1000'), fullPage: true });
  const slips = await page.request.get(url(`/a/nonhan/admin/ita/surveys/${year}/iit/slips.pdf`));
  expectEq(slips.status(), 200, 'slips.pdf status');
  expectEq(slips.headers()['content-type'], 'application/pdf', 'slips.pdf type');
  const pdf = await slips.body();
  expect(pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 10_000, `slips.pdf is a PDF (${pdf.length} bytes)`);
  writeFileSync(join(OUT, 'ita-slips.pdf'), pdf);
  await goto(page, `/a/nonhan/admin/ita/surveys/${year}/iit/links`);
  const link = await page.locator('ol.links a').last().getAttribute('href');
  const code = new URL(link).pathname;

  const phone = await newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  try {
    const p = phone.page;
    await goto(p, code);
    const m = await widthOf(p, 360);
    expect(!m.tooWide, `the survey scrolls sideways at 360 px: ${m.culprits.join(', ')}`);
    const fails = await axeCheck(p, code);
    expect(fails.length === 0, fails.join('\n'));
    // One answer only: the form comes back with it still chosen and the rest listed.
    expectedStatus.push({ url: url(code), status: 422 });
    const groups = p.locator('fieldset.choices');
    const n = await groups.count();
    expect(n === 51, `the IIT has ${n} answer fields (51 expected)`);
    await groups.first().getByText('มากที่สุด', { exact: true }).click();
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'ส่งคำตอบ' }).click()]);
    await p.locator('#missing').waitFor();
    expect(await groups.first().locator('input[value="4"]').isChecked(), 'the first answer is kept');
    // Every field, by tapping the label a person reads.
    for (let i = 0; i < n; i++) {
      const g = groups.nth(i);
      const yesNo = (await g.locator('input[type=radio]').count()) === 2;
      await g.getByText(yesNo ? 'ไม่มี' : 'มาก', { exact: true }).click();
    }
    await p.screenshot({ path: shot('ita-answer-360'), fullPage: true });
    await Promise.all([p.waitForURL(/\/survey\/thanks$/), p.getByRole('button', { name: 'ส่งคำตอบ' }).click()]);
    expect((await mainText(p)).includes('ขอบคุณที่ตอบแบบวัด'), 'the thank-you page');
    // The same code again: a clear page, not a form.
    expectedStatus.push({ url: url(code), status: 404 });
    const again = await p.goto(url(code));
    expectEq(again.status(), 404, 'a used code');
    expect((await mainText(p)).includes('ใช้รหัสนี้ไม่ได้'), 'the used-code page says so');
    await p.screenshot({ path: shot('ita-code-used-360'), fullPage: true });
  } finally {
    await phone.context.close();
    await coordinator.context.close();
  }
  console.log('      screenshots: e2e/out/ita-surveys-1000.png e2e/out/ita-answer-360.png e2e/out/ita-code-used-360.png; e2e/out/ita-slips.pdf');
});

await check('18. OIT: the coordinator attaches a page with its navigation path and submits O36; the assessor fails it, the coordinator clarifies, the assessor passes it; the public table lists it', async () => {
  const ASSESSOR = { email: 'assessor@itas.example', password: 'nonhan-demo-2566' };
  const item = `/a/${SLUG}/admin/ita/oit/2567/items/O36`;
  const coordinator = await session(ADMIN);
  const assessor = await session(ASSESSOR);
  try {
    const c = coordinator.page;
    await goto(c, item);
    await c.getByLabel('URL หรือเส้นทางของหน้า').fill(`/a/${SLUG}/`);
    await c.getByLabel('เส้นทางเข้าถึง').fill('หน้าแรก > ผู้บริหาร');
    await c.getByLabel('ชื่อหลักฐาน').fill('ผู้บริหารและช่องทางติดต่อ');
    await Promise.all([c.waitForLoadState('load'), c.getByRole('button', { name: 'แนบ', exact: true }).click()]);
    const checks = await c.locator('ul.checks').last().innerText();
    expect(checks.includes('หน้านี้มีอยู่และเปิดเผยต่อสาธารณะ'), `the pre-check of the own page: ${checks}`);
    const fails = await axeCheck(c, item);
    expect(fails.length === 0, fails.join('\n'));
    await c.screenshot({ path: shot('oit-item-1000'), fullPage: true });
    await Promise.all([c.waitForLoadState('load'), c.getByRole('button', { name: 'ส่งตรวจ', exact: true }).click()]);

    const a = assessor.page;
    await goto(a, item);
    await a.getByLabel('ไม่ผ่าน', { exact: true }).check();
    await a.getByLabel('ความเห็นของผู้ตรวจประเมิน').fill('ยังไม่มีรายงานผลการดำเนินการ');
    await Promise.all([a.waitForLoadState('load'), a.getByRole('button', { name: 'บันทึกผลการตรวจ' }).click()]);

    await goto(c, item);
    expect((await mainText(c)).includes('ยังไม่มีรายงานผลการดำเนินการ'), 'the coordinator reads the comment');
    await c.getByLabel('คำชี้แจง').fill('ช่องทางติดต่อของผู้บริหารอยู่ใต้รูปของแต่ละท่าน');
    await Promise.all([c.waitForLoadState('load'), c.getByRole('button', { name: 'ส่งคำชี้แจง' }).click()]);

    await goto(a, item);
    await a.getByLabel('ผ่าน', { exact: true }).check();
    await Promise.all([a.waitForLoadState('load'), a.getByRole('button', { name: 'บันทึกผลการตรวจ' }).click()]);
    await goto(a, `/a/${SLUG}/admin/ita/oit/2567`);
    expectEq(await a.locator('tr#O36').getAttribute('data-status'), 'final', 'O36 status on the list');

    const pub = await newPage({ viewport: { width: 360, height: 740 } });
    try {
      await goto(pub.page, `/a/${SLUG}/ita/2567`);
      const row = await pub.page.locator('tr#O36').innerText();
      expect(row.includes('ผู้บริหารและช่องทางติดต่อ') && row.includes('หน้าแรก > ผู้บริหาร'), `the public row of O36: ${row}`);
      await pub.page.screenshot({ path: shot('oit-public-360'), fullPage: true });
    } finally {
      await pub.context.close();
    }
  } finally {
    await coordinator.context.close();
    await assessor.context.close();
  }
  console.log('      screenshots: e2e/out/oit-item-1000.png e2e/out/oit-public-360.png');
});

// Participation: a citizen asks on a phone; the Q&A board and the suggestions under axe-core.
await check('19. participation: a citizen asks a question on a 360 px phone and is told it awaits moderation; axe-core on /qa and /suggestions', async () => {
  const { page, context } = await newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const failures = [];
  const wide = [];
  const question = `ขอสอบถามเวลาเปิดศูนย์พัฒนาเด็กเล็ก ${stamp}`;
  try {
    await goto(page, `/a/${SLUG}/qa`);
    failures.push(...(await axeCheck(page, `/a/${SLUG}/qa`)));
    await page.screenshot({ path: shot('qa-360'), fullPage: true });
    await Promise.all([page.waitForURL((u) => u.pathname === `/a/${SLUG}/qa/ask`), page.getByRole('link', { name: 'ถามคำถาม' }).first().click()]);
    failures.push(...(await axeCheck(page, `/a/${SLUG}/qa/ask`)));
    await page.getByLabel('คำถาม').fill(question);
    await page.getByLabel('อีเมลหรือเบอร์โทรศัพท์').fill('081-234-5678');
    await page.screenshot({ path: shot('qa-ask-360'), fullPage: true });
    await Promise.all([page.waitForURL((u) => u.pathname === `/a/${SLUG}/qa/sent`), page.getByRole('button', { name: 'ส่ง', exact: true }).click()]);
    const said = await mainText(page);
    expect(said.includes('รอเจ้าหน้าที่ตรวจสอบ'), `the confirmation: ${said}`);
    await goto(page, `/a/${SLUG}/qa`);
    expect(!(await mainText(page)).includes(question), 'the question is public before moderation');
    for (const path of [`/a/${SLUG}/suggestions`, `/a/${SLUG}/suggestions/new`]) {
      await goto(page, path);
      const m = await widthOf(page, 360);
      if (m.tooWide) wide.push(`${path}: scrollWidth ${m.scroll}, innerWidth ${m.inner} (sticking out: ${m.culprits.join(', ')})`);
      failures.push(...(await axeCheck(page, path)));
    }
    await page.screenshot({ path: shot('suggestions-new-360'), fullPage: true });
  } finally {
    await context.close();
  }
  console.log('      screenshots: e2e/out/qa-360.png e2e/out/qa-ask-360.png e2e/out/suggestions-new-360.png');
  expect(wide.length === 0, `horizontal scrolling at 360 px:\n${wide.join('\n')}`);
  expect(failures.length === 0, `axe:\n${failures.join('\n')}`);
});

await check('20. standard pages: the menu leads to a section at 360 px; the coordinator writes the missing page O6 from its gap on the OIT checklist, publishes it, and the public OIT table links it with its menu path; axe-core', async () => {
  const coordinator = await session(ADMIN);
  const pub = await newPage({ viewport: { width: 360, height: 740 } });
  try {
    const v = pub.page;
    await goto(v, AGENCY_HOME);
    await Promise.all([v.waitForLoadState('load'), v.getByRole('navigation', { name: 'เมนูหลัก' }).getByRole('link', { name: 'ข้อมูลหน่วยงาน' }).click()]);
    expectEq(new URL(v.url()).pathname, `/a/${SLUG}/s/about`, 'the section page');
    const links = await v.locator('ul.section-links a').allInnerTexts();
    expect(links.includes('โครงสร้าง') && links.includes('ผู้บริหาร'), `the section lists its pages: ${links}`);
    const m = await widthOf(v, 360);
    expect(!m.tooWide, `no horizontal scrolling at 360 px: ${m.culprits.join(', ')}`);
    let fails = await axeCheck(v, `/a/${SLUG}/s/about`);
    expect(fails.length === 0, fails.join('\n'));
    await v.screenshot({ path: shot('section-360'), fullPage: true });

    const c = coordinator.page;
    await goto(c, `/a/${SLUG}/admin/ita/oit/2567`);
    const gap = c.locator('tr#O6 td.oit-page');
    expect((await gap.innerText()).includes('ยังไม่มีหน้า'), 'O6 shows its gap');
    await Promise.all([c.waitForLoadState('load'), gap.getByRole('link', { name: 'เขียนหน้า' }).click()]);
    expectEq(await c.getByLabel('ที่อยู่หน้าเว็บ').inputValue(), 'laws', 'the standard address is filled in');
    expectEq(await c.getByLabel('หัวเรื่อง').inputValue(), 'กฎหมายที่เกี่ยวข้อง', 'the standard name is filled in');
    await c.getByLabel('เนื้อหา').fill('- พระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖\n- พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ. ๒๕๔๒');
    await Promise.all([c.waitForLoadState('load'), c.getByRole('button', { name: 'บันทึก', exact: true }).click()]);
    await Promise.all([c.waitForLoadState('load'), c.getByRole('button', { name: 'เผยแพร่', exact: true }).click()]);
    await goto(c, `/a/${SLUG}/admin/pages/standard`);
    expectEq(await c.locator('tr#std-laws').getAttribute('data-state'), 'present', 'the standard page is there');
    fails = await axeCheck(c, `/a/${SLUG}/admin/pages/standard`);
    expect(fails.length === 0, fails.join('\n'));
    await c.screenshot({ path: shot('standard-pages-1000'), fullPage: true });

    await goto(v, `/a/${SLUG}/ita/2567`);
    const row = await v.locator('tr#O6').innerText();
    expect(row.includes('หน้าแรก > ข้อมูลหน่วยงาน > กฎหมายที่เกี่ยวข้อง'), `the public row of O6: ${row}`);
    await Promise.all([v.waitForLoadState('load'), v.locator('tr#O6 td.links a').first().click()]);
    expectEq(new URL(v.url()).pathname, `/a/${SLUG}/p/laws`, 'the link leads to the page');
    expectEq(await v.locator('h1').innerText(), 'กฎหมายที่เกี่ยวข้อง', 'the page');
  } finally {
    await pub.context.close();
    await coordinator.context.close();
  }
  console.log('      screenshots: e2e/out/section-360.png e2e/out/standard-pages-1000.png');
});

await check('21. cases: on a 360 px phone a citizen files an anonymous corruption report with a photo; the handler unlocks their key, reads it and replies; the citizen comes back with the receipt and reads the reply; axe-core', async () => {
  const HANDLER = { email: 'complaints@nonhan.example', password: 'nonhan-demo-2566' };
  const SUBJECT = `ทดสอบการแจ้งเรื่อง ${stamp}`;
  const REPLY = `หน่วยงานได้รับเรื่องแล้ว กำลังตรวจสอบ ${stamp}`;
  // A 1×1 PNG.
  const PHOTO = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const phone = await newPage({ viewport: { width: 360, height: 740 } });
  const handler = await session(HANDLER);
  try {
    const p = phone.page;
    await goto(p, `/a/${SLUG}/complaints/new`);
    let fails = await axeCheck(p, `/a/${SLUG}/complaints/new`);
    expect(fails.length === 0, fails.join('\n'));
    const m = await widthOf(p, 360);
    expect(!m.tooWide, `no horizontal scrolling at 360 px: ${m.culprits.join(', ')}`);
    await p.getByLabel('ทุจริตและประพฤติมิชอบ').check();
    await p.getByLabel('ไม่ประสงค์ออกนาม').check();
    await p.getByLabel('เรื่อง', { exact: true }).fill(SUBJECT);
    await p.getByLabel('รายละเอียด', { exact: true }).fill('พบการเรียกรับเงินในการออกใบอนุญาตก่อสร้าง');
    await p.locator('#f-files').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO });
    await p.screenshot({ path: shot('case-new-360'), fullPage: true });
    await Promise.all([p.waitForSelector('#receipt', { timeout: 30_000 }), p.getByRole('button', { name: 'ส่งเรื่อง' }).click()]);
    const receipt = (await p.locator('#receipt').innerText()).trim();
    expect(/^[0-9 ]{34}$/.test(receipt), `a receipt of 28 digits in groups: ${receipt}`);
    expect(!new URL(p.url()).pathname.includes('corruption'), `the address does not say what was filed: ${p.url()}`);
    await p.screenshot({ path: shot('case-receipt-360'), fullPage: true });

    const h = handler.page;
    await goto(h, `/a/${SLUG}/admin/cases`);
    if (await h.getByLabel('รหัสผ่านเข้าระบบของท่าน').count()) {
      await h.getByLabel('รหัสผ่านเข้าระบบของท่าน').fill(HANDLER.password);
      await Promise.all([h.waitForLoadState('load'), h.locator('main form button[type=submit]').first().click()]);
    }
    await Promise.all([h.waitForLoadState('load'), h.getByRole('link', { name: SUBJECT }).click()]);
    expect((await mainText(h)).includes('พบการเรียกรับเงิน'), 'the handler reads the report');
    fails = await axeCheck(h, 'the case page');
    expect(fails.length === 0, fails.join('\n'));
    await h.getByLabel('ข้อความ (เว้นว่างเพื่อใช้แบบข้อความ)').fill(REPLY);
    await Promise.all([h.waitForLoadState('load'), h.getByRole('button', { name: 'บันทึกข้อความ' }).click()]);
    await h.screenshot({ path: shot('case-handler-1000'), fullPage: true });

    await goto(p, `/a/${SLUG}/complaints/status`);
    await p.getByLabel('เลขรับเรื่อง').fill(receipt.replace(/ /g, '-'));
    await Promise.all([p.waitForLoadState('load'), p.getByRole('button', { name: 'ดูเรื่อง' }).click()]);
    const text = await mainText(p);
    expect(text.includes(SUBJECT) && text.includes(REPLY), `the reporter reads the reply: ${text.slice(0, 400)}`);
    fails = await axeCheck(p, `/a/${SLUG}/complaints/status`);
    expect(fails.length === 0, fails.join('\n'));
    await p.screenshot({ path: shot('case-status-360'), fullPage: true });
  } finally {
    await phone.context.close();
    await handler.context.close();
  }
  console.log('      screenshots: e2e/out/case-new-360.png e2e/out/case-receipt-360.png e2e/out/case-handler-1000.png e2e/out/case-status-360.png');
});

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
