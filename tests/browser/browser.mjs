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
//   --expect-svg-text-inside       every <text> of every outermost <svg> is drawn inside that
//                                  svg's viewBox (its getBBox() in the svg's coordinates)
//   --expect-no-overlap SELECTOR   no two matches within one <svg> overlap or touch on the page
//                                  (2 px at least between their boxes); at least two match
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
    } else if (step === '--expect-svg-text-inside') {
      const outside = await page.evaluate(svgTextOutside);
      if (outside.count === 0) fail('--expect-svg-text-inside: the page has no <text> in an <svg>');
      if (outside.problems.length)
        fail(`${outside.problems.length} of ${outside.count} SVG text(s) leave their picture:\n  ${outside.problems.join('\n  ')}`);
      console.log(`svg text inside: ${outside.count} text(s) in ${outside.svgs} picture(s)`);
    } else if (step === '--expect-no-overlap') {
      const selector = take();
      const found = await page.evaluate(overlapping, selector);
      if (found.count < 2) fail(`--expect-no-overlap: ${found.count} element(s) match ${selector}, expected 2 or more`);
      if (found.problems.length) fail(`${selector}: overlapping:\n  ${found.problems.join('\n  ')}`);
      console.log(`no overlap: ${found.count} element(s) match ${selector}`);
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

// In the page: each outermost <svg>'s texts, their boxes taken into the svg's own user space
// (the viewBox's), compared with the viewBox; half a unit of slack for rounding.
function svgTextOutside() {
  const problems = [];
  let count = 0;
  const svgs = Array.from(document.querySelectorAll('svg')).filter((svg) => !svg.parentElement.closest('svg'));
  for (const svg of svgs) {
    const vb = svg.viewBox.baseVal;
    const box = vb && vb.width > 0 ? vb : { x: 0, y: 0, width: svg.width.baseVal.value, height: svg.height.baseVal.value };
    const toSvg = svg.getScreenCTM().inverse();
    for (const text of svg.querySelectorAll('text')) {
      const b = text.getBBox();
      if (!text.textContent.trim() || b.width === 0) continue;
      ++count;
      const m = toSvg.multiply(text.getScreenCTM());
      const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height], [b.x + b.width, b.y + b.height]]
        .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
      const left = Math.min(...corners.map((p) => p.x)), right = Math.max(...corners.map((p) => p.x));
      const top = Math.min(...corners.map((p) => p.y)), bottom = Math.max(...corners.map((p) => p.y));
      const slack = 0.5;
      if (left < box.x - slack || right > box.x + box.width + slack || top < box.y - slack ||
          bottom > box.y + box.height + slack) {
        const where = svg.getAttribute('class') || 'svg';
        problems.push(`${where}: "${text.textContent.trim().slice(0, 60)}" spans x ${left.toFixed(1)}..${right.toFixed(1)}, ` +
          `y ${top.toFixed(1)}..${bottom.toFixed(1)}; the viewBox is x ${box.x}..${box.x + box.width}, y ${box.y}..${box.y + box.height}`);
      }
    }
  }
  return { problems, count, svgs: svgs.length };
}

// In the page: the elements matching `selector`, grouped by their <svg>, pairwise.
function overlapping(selector) {
  const problems = [];
  const elements = Array.from(document.querySelectorAll(selector));
  const shrink = -1;  // grows each box by 1 px: boxes that touch count as overlapping
  const boxes = elements.map((el) => ({ el, svg: el.closest('svg'), r: el.getBoundingClientRect() }));
  for (let i = 0; i < boxes.length; ++i)
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i], b = boxes[j];
      if (a.svg !== b.svg) continue;
      const apart = a.r.right - shrink <= b.r.left + shrink || b.r.right - shrink <= a.r.left + shrink ||
        a.r.bottom - shrink <= b.r.top + shrink || b.r.bottom - shrink <= a.r.top + shrink;
      if (!apart)
        problems.push(`"${a.el.textContent.trim()}" (x ${a.r.left.toFixed(1)}..${a.r.right.toFixed(1)}) and ` +
          `"${b.el.textContent.trim()}" (x ${b.r.left.toFixed(1)}..${b.r.right.toFixed(1)})`);
    }
  return { problems, count: elements.length };
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
