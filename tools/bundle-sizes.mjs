// The release bundle's files with their raw, gzip and brotli sizes, and the first download
// (what the page fetches before it is drawn and takes input: the HTML, the JS glue, the CSS
// and the main wasm) against the budget, and what the first command waits for besides (the
// lab's module, fetched as soon as the page is drawn).
//
//   node tools/bundle-sizes.mjs DIST [--budget-kb N] [--enforce]
//
// Files under DIST's sub-folders and `.br`/`.gz` copies are fetched on demand or are
// precompressed twins: they are listed, not counted. With --enforce the exit status is 1
// when the first download is over the budget. Sizes are compressed here at the levels
// tools/precompress.mjs writes (gzip -9, brotli 11), so the figures are what hosts serve.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { pathToFileURL } from 'node:url';

export const gzip = (bytes) => gzipSync(bytes, { level: 9 });
export const brotli = (bytes) => brotliCompressSync(bytes, {
    params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
});

/** Every file under DIR, as paths relative to it (not Trunk's `.stage` folder). */
export function files(dir, base = dir) {
    return readdirSync(dir).filter((name) => !name.startsWith('.')).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path, base) : [relative(base, path)];
    });
}

/** Whether the page needs FILE before it is drawn and takes input (the lesson, the editor, the
 *  terminal's prompt): not the data files (`data/`) nor the modules a wasm split loads when
 *  their code is first called (`split_*.wasm`, and `chunk_*.wasm`, the code two of them
 *  share) — among them the lab's own (`split_lab_engine-HASH.pack` and
 *  `split_lesson_code-HASH.pack`: the simulator, kubectl and the shell, the lesson code, with
 *  their chunks), which the page fetches as soon as it is drawn and which the first command
 *  waits for. */
export const firstDownload = (file) =>
    !file.includes('/') && !onDemandModule(file) && /\.(html|m?js|css|wasm)$/.test(file);

/** A module the wasm split made (tools/wasm-split.mjs): fetched when its code is first called.
 *  Its loader, `__wasm_split.js`, is imported by the main JS and so is in the first download. */
export const onDemandModule = (file) => /^(split|chunk)_.*\.(wasm|pack)$/.test(file);

/** The lab's modules and the lesson code with the chunks they share (tools/wasm-split.mjs packs
 *  them), which the page fetches right after the first download. */
export const labModule = (file) => /^split_(lab_engine|lesson_code)-[0-9a-f]+\.pack$/.test(file);

function main() {
    const args = process.argv.slice(2);
    const dist = args.find((a) => !a.startsWith('--'));
    const at = args.indexOf('--budget-kb');
    const budget = at >= 0 ? Number(args[at + 1]) * 1024 : undefined;
    if (!dist) {
        console.error('usage: node tools/bundle-sizes.mjs DIST [--budget-kb N] [--enforce]');
        process.exit(2);
    }
    const rows = files(dist)
        .filter((f) => !/\.(br|gz)$/.test(f))
        .sort()
        .map((file) => {
            const bytes = readFileSync(join(dist, file));
            return { file, raw: bytes.length, gz: gzip(bytes).length, br: brotli(bytes).length };
        });
    const line = (label, raw, gz, br) =>
        `${label.padEnd(52)}${String(raw).padStart(10)}${String(gz).padStart(10)}${String(br).padStart(10)}`;
    console.log(line('bundle file', 'raw', 'gzip', 'brotli'));
    const first = rows.filter((r) => firstDownload(r.file));
    const later = rows.filter((r) => !firstDownload(r.file));
    for (const r of first) console.log(line(`  ${r.file}`, r.raw, r.gz, r.br));
    const sum = (rs, k) => rs.reduce((n, r) => n + r[k], 0);
    console.log(line('first download', sum(first, 'raw'), sum(first, 'gz'), sum(first, 'br')));
    // What the page fetches when a line first needs it: the add-ons' wasm modules, the data.
    const modules = later.filter((r) => onDemandModule(r.file));
    const data = later.filter((r) => !onDemandModule(r.file));
    for (const [label, rs] of [['loaded on demand (wasm modules)', modules], ['fetched on first use', data]]) {
        if (!rs.length) continue;
        for (const r of rs) console.log(line(`  ${r.file}`, r.raw, r.gz, r.br));
        console.log(line(label, sum(rs, 'raw'), sum(rs, 'gz'), sum(rs, 'br')));
    }
    // What the first command waits for: the first download, then the lab's module.
    const lab = rows.filter((r) => labModule(r.file));
    if (lab.length) {
        const before = [...first, ...lab];
        console.log(line('before the first command (+ the lab\'s packs)', sum(before, 'raw'), sum(before, 'gz'), sum(before, 'br')));
    }
    if (budget !== undefined) {
        const total = sum(first, 'gz');
        const kb = (n) => (n / 1024).toFixed(1);
        if (total > budget) {
            console.log(`first download: ${kb(total)} KB gzip, OVER the ${kb(budget)} KB budget by ${kb(total - budget)} KB`);
            if (args.includes('--enforce')) process.exit(1);
        } else {
            console.log(`first download: ${kb(total)} KB gzip, within the ${kb(budget)} KB budget`);
        }
    }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
