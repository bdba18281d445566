// The name tsserver loads Async Lens's language-service plugin by
// (`async-lens-tsserver-plugin`, or `async-lens/tsserver-plugin` from the npm
// package). The plugin itself is the bundle dist/tsserver-plugin.js, found
// from here in either layout:
//   <package>/tsserver-plugin/index.js                              → ../dist  (the repository, the npm package)
//   <extension>/node_modules/async-lens-tsserver-plugin/index.js    → ../../dist  (the packaged .vsix)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const bundle = [path.join(__dirname, '..', 'dist', 'tsserver-plugin.js'), path.join(__dirname, '..', '..', 'dist', 'tsserver-plugin.js')].find((candidate) => fs.existsSync(candidate));
if (!bundle) throw new Error(`Async Lens: dist/tsserver-plugin.js is missing beside ${__dirname} (build it with \`npm run build\`)`);

module.exports = require(bundle);
