// Render each Mermaid file with mermaid itself in headless Chromium and print its drawing's size.
// Usage: RENDER_DIR=<folder with node_modules/puppeteer-core> MERMAID_JS=<mermaid.min.js>
//        CHROMIUM=<browser> node mermaid_size.mjs FILE.mmd...
// Prints one JSON object per file: {"file", "width", "height"} (the SVG's viewBox).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
const req = createRequire(path.join(process.env.RENDER_DIR || process.cwd(), 'noop.js'));
const puppeteer = req('puppeteer-core');
const lib = readFileSync(process.env.MERMAID_JS, 'utf8');
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.setContent('<html><body></body></html>');
await page.addScriptTag({ content: lib });
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  const size = await page.evaluate(async (t) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const { svg } = await mermaid.render('d' + Math.floor(Math.random() * 1e9), t);
    const box = svg.match(/viewBox="([^"]+)"/)[1].split(/\s+/).map(Number);
    return [Math.round(box[2]), Math.round(box[3])];
  }, text);
  console.log(JSON.stringify({ file, width: size[0], height: size[1] }));
}
await browser.close();
