// browser.mjs: drives the system Chromium (headless, through puppeteer-core) for the tests
// of the HTML report and of Mermaid output.
//
//   node browser.mjs --modules DIR --chromium PATH page FILE.html [--no-js] [steps...]
//   node browser.mjs --modules DIR --chromium PATH render-mermaid FILE.mmd --screenshot OUT.png
//                    [--expect-text TEXT]...
//
// page: opens FILE.html, then runs the steps in order; fails (exit 1) on the first step that
// does not hold, and on any console error or uncaught page error. Steps:
//   --click SELECTOR               clicks the first element matching SELECTOR
//   --press KEY                    presses a key (Puppeteer's names: ArrowRight, j, Escape)
//   --expect-count SELECTOR N      exactly N elements match
//   --expect-text SELECTOR TEXT    the first match's text contains TEXT
//   --expect-visible SELECTOR      the first match is displayed (not hidden, has a size)
//   --expect-hidden SELECTOR       the first match is not displayed
//   --expect-style SELECTOR PROPERTY VALUE   the first match's computed PROPERTY is VALUE
//   --media TYPE                   emulates the CSS media type (print, screen)
//   --print SELECTOR               prints the text of every match (a DOM query, for a person)
//   --screenshot OUT.png           saves the full page as it is now
// --no-js loads the page with JavaScript disabled.
//
// render-mermaid: loads the mermaid package into a blank page, parses and renders FILE.mmd
// (exit 1 on a parse or render error, or when a --expect-text is not drawn), and screenshots
// the drawing.
//
// DIR holds node_modules (install.sh prints it); CI runs as root, hence --no-sandbox.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

function usage(message) {
  console.error(`browser.mjs: ${message}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let modules = '';
let chromium = '';
while (args.length && args[0].startsWith('--')) {
  const option = args.shift();
  if (option === '--modules') modules = args.shift() ?? '';
  else if (option === '--chromium') chromium = args.shift() ?? '';
  else usage(`unknown option ${option}`);
}
const mode = args.shift();
const file = args.shift();
if (!modules || !chromium || !mode || !file) usage('usage: --modules DIR --chromium PATH page|render-mermaid FILE ...');

const require = createRequire(path.join(path.resolve(modules), 'package.json'));
const puppeteer = require('puppeteer-core');

const problems = [];
function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));

  if (mode === 'page') await runPage(page);
  else if (mode === 'render-mermaid') await renderMermaid(page);
  else usage(`unknown mode ${mode}`);

  if (problems.length) fail(`the page reported ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  console.log(`ok: ${mode} ${file}`);
} catch (error) {
  if (!process.exitCode) console.error(`FAIL: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

async function runPage(page) {
  const steps = args.slice();
  if (steps[0] === '--no-js') {
    steps.shift();
    await page.setJavaScriptEnabled(false);
  }
  await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
  while (steps.length) {
    const step = steps.shift();
    const take = () => {
      if (!steps.length) usage(`${step} needs an argument`);
      return steps.shift();
    };
    if (step === '--click') {
      const selector = take();
      const element = await page.$(selector);
      if (!element) fail(`--click: nothing matches ${selector}`);
      await element.click();
    } else if (step === '--press') {
      await page.keyboard.press(take());
    } else if (step === '--expect-count') {
      const selector = take();
      const want = Number(take());
      const got = (await page.$$(selector)).length;
      if (got !== want) fail(`${selector}: ${got} element(s), expected ${want}`);
    } else if (step === '--expect-text') {
      const selector = take();
      const want = take();
      const got = await page.$eval(selector, (el) => el.textContent).catch(() => null);
      if (got === null) fail(`--expect-text: nothing matches ${selector}`);
      if (!got.includes(want)) fail(`${selector}: text does not contain "${want}"; it is: ${got.trim().slice(0, 300)}`);
    } else if (step === '--expect-visible') {
      const selector = take();
      const element = await page.$(selector);
      if (!element) fail(`--expect-visible: nothing matches ${selector}`);
      const box = await element.boundingBox();
      const shown = await element.evaluate((el) => !el.hidden && getComputedStyle(el).display !== 'none');
      if (!box || !shown || box.width === 0 || box.height === 0) fail(`${selector} is not visible`);
    } else if (step === '--expect-hidden') {
      const selector = take();
      const element = await page.$(selector);
      if (!element) fail(`--expect-hidden: nothing matches ${selector}`);
      if (await element.boundingBox()) fail(`${selector} is displayed`);
    } else if (step === '--expect-style') {
      const selector = take();
      const property = take();
      const want = take();
      const got = await page.$eval(selector, (el, p) => getComputedStyle(el).getPropertyValue(p), property)
        .catch(() => null);
      if (got === null) fail(`--expect-style: nothing matches ${selector}`);
      if (got !== want) fail(`${selector}: ${property} is "${got}", expected "${want}"`);
    } else if (step === '--media') {
      await page.emulateMediaType(take());
    } else if (step === '--print') {
      const selector = take();
      for (const text of await page.$$eval(selector, (list) => list.map((el) => el.textContent.trim())))
        console.log(`${selector}: ${text}`);
    } else if (step === '--screenshot') {
      const out = take();
      await page.screenshot({ path: out, fullPage: true });
      console.log(`screenshot: ${out}`);
    } else {
      usage(`unknown step ${step}`);
    }
  }
}

async function renderMermaid(page) {
  let out = '';
  const wanted = [];
  while (args.length) {
    const option = args.shift();
    if (option === '--screenshot') out = args.shift() ?? '';
    else if (option === '--expect-text') wanted.push(args.shift() ?? '');
    else usage(`unknown render-mermaid option ${option}`);
  }
  if (!out) usage('render-mermaid needs --screenshot OUT.png');
  const text = readFileSync(file, 'utf8');
  await page.setContent('<!DOCTYPE html><html><body><div id="drawing"></div></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const result = await page.evaluate(async (source) => {
    /* global mermaid */
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    try {
      await mermaid.parse(source);
    } catch (error) {
      return { error: `parse error: ${error.message ?? error}` };
    }
    const { svg } = await mermaid.render('drawing-svg', source);
    document.getElementById('drawing').innerHTML = svg;
    const drawn = document.querySelector('#drawing svg');
    return { error: '', elements: drawn ? drawn.querySelectorAll('*').length : 0, text: drawn ? drawn.textContent : '' };
  }, text);
  if (result.error) fail(`${file}: ${result.error}`);
  if (!result.elements) fail(`${file}: mermaid drew no SVG`);
  for (const text of wanted)
    if (!result.text.includes(text)) fail(`${file}: the drawing has no text "${text}"`);
  const drawing = await page.$('#drawing');
  await drawing.screenshot({ path: out });
  console.log(`rendered ${file}: ${result.elements} SVG elements; screenshot: ${out}`);
}
