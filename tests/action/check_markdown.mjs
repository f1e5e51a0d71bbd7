// Parses a job summary as CommonMark (mdast-util-from-markdown, from the Mermaid install of
// .ci/run) and fails on any node that scanned text could have injected: an image, a link
// outside the blob URL of the commit, raw HTML other than the report's own <details>,
// <summary> and <sub>, or a heading that is not the report's.
// Usage: node check_markdown.mjs NODE_MODULES_PARENT FILE.md BLOB_BASE
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [modulesParent, file, base] = process.argv.slice(2);
const require = createRequire(path.resolve(modulesParent, 'package.json'));
const { fromMarkdown } = await import(require.resolve('mdast-util-from-markdown'));
const { toString } = await import(require.resolve('mdast-util-to-string'));

const tree = fromMarkdown(fs.readFileSync(file, 'utf8'));
const ownHtml = /^(<details><summary>[^<>]*<\/summary>|<\/details>|<sub>|<\/sub>)$/;
const bad = [];
let links = 0;
(function walk(node) {
  if (node.type === 'image' || node.type === 'imageReference' || node.type === 'definition') {
    bad.push(`${node.type}: ${JSON.stringify(node)}`);
  } else if (node.type === 'link') {
    links += 1;
    if (!node.url.startsWith(base)) bad.push(`link to ${node.url}`);
  } else if (node.type === 'html' && !ownHtml.test(node.value.trim())) {
    bad.push(`html: ${node.value}`);
  } else if (node.type === 'heading' && !/^stackfit|^(Top evidence|Diagnostics|Components|Traits)$/.test(toString(node))) {
    bad.push(`heading: ${toString(node)}`);
  }
  for (const c of node.children || []) walk(c);
})(tree);
if (links === 0) bad.push('no link at all: the check would not see a bad one');
for (const b of bad) console.log(`${file}: ${b}`);
process.exit(bad.length ? 1 : 0);
