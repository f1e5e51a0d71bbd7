// Parses every ```mermaid block of a Markdown file with the Mermaid library, as GitHub's
// renderer would, so a chart that would show "Unable to render rich display" fails the test.
// Usage: node check_mermaid.mjs NODE_MODULES_PARENT FILE.md
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const [modulesParent, file] = process.argv.slice(2);
const require = createRequire(path.resolve(modulesParent, 'package.json'));
const { JSDOM } = require('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const mermaidDir = path.dirname(require.resolve('mermaid/package.json'));
const mermaid = (await import(pathToFileURL(path.join(mermaidDir, 'dist/mermaid.core.mjs')).href)).default;

const md = fs.readFileSync(file, 'utf8');
const blocks = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length === 0) {
  console.log(`${file}: no mermaid block`);
  process.exit(1);
}
for (const b of blocks) {
  try {
    await mermaid.parse(b);
    console.log(`${file}: mermaid block parses`);
  } catch (e) {
    console.log(`${file}: mermaid block does not parse: ${e.message || e}`);
    process.exitCode = 1;
  }
}
