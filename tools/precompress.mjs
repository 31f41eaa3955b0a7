// Writes FILE.gz (gzip -9) and FILE.br (brotli 11) beside every file of a release bundle, so a
// static host serves them precompressed (README: Hosting). Trunk runs it after a release
// build (Trunk.toml's post_build hook, on its staging folder); a debug build is skipped.
//
//   node tools/precompress.mjs [DIR]      default: $TRUNK_STAGING_DIR
//
// Node's own zlib: nothing to install.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotli, files, gzip } from './bundle-sizes.mjs';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
    console.error('usage: node tools/precompress.mjs DIR (or run from a Trunk hook)');
    process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

for (const file of files(dir)) {
    if (/\.(br|gz)$/.test(file)) continue;
    const path = join(dir, file);
    const bytes = readFileSync(path);
    writeFileSync(`${path}.gz`, gzip(bytes));
    writeFileSync(`${path}.br`, brotli(bytes));
}
