// Splits the page's wasm at its `#[wasm_split]` points (the add-ons, crates/kubectl's
// `addon_modules`): each add-on becomes a module of its own (`split_*.wasm`) that the page
// fetches when a line first installs it, and the first download keeps the rest. Trunk runs
// this after its build (Trunk.toml's post_build hook), on its staging folder:
//
//   1. wasm-split-cli cuts cargo's wasm (linked with --emit-relocs: the root build.rs) into
//      the main module, the split modules and `__wasm_split.js`, their loader;
//   2. wasm-bindgen runs on the main module as Trunk ran it on the whole, keeping the
//      function table the split modules import (--keep-lld-exports), under Trunk's hashed
//      name, so the loader imports the very module the page loaded;
//   3. in a release build wasm-opt -Oz runs on every module (Trunk's own wasm-opt is off:
//      index.html's data-wasm-opt="0"), and index.html's integrity hashes are made again.
//
// Tools: wasm-split-cli, wasm-bindgen and wasm-opt at the versions scripts/setup installs.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = 'rollout-lab';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const staging = process.env.TRUNK_STAGING_DIR;
const profile = process.env.TRUNK_PROFILE;
if (!staging || !profile) {
    console.error('tools/wasm-split.mjs runs as a Trunk post_build hook (Trunk.toml)');
    process.exit(2);
}
// The tools scripts/setup installs, whatever PATH `trunk` was started with.
const PATH = [join(homedir(), '.cargo', 'bin'), join(root, 'tools', 'node_modules', '.bin'), process.env.PATH].join(':');
const run = (tool, args) => {
    try {
        return execFileSync(tool, args, { cwd: root, env: { ...process.env, PATH }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    } catch (error) {
        const why = error.code === 'ENOENT' ? `${tool} is not installed (scripts/setup serve installs it)` : `${tool} failed`;
        console.error(`wasm-split: ${why}`);
        process.exit(1);
    }
};

// wasm-bindgen's JS must match the crate's version, which Trunk.toml pins.
const pinned = readFileSync(join(root, 'Trunk.toml'), 'utf8').match(/^wasm_bindgen = "(.*)"/m)?.[1];
if (!run('wasm-bindgen', ['--version']).includes(` ${pinned}`)) {
    console.error(`wasm-split: wasm-bindgen on PATH is not ${pinned} (Trunk.toml)`);
    process.exit(1);
}

const target = JSON.parse(run('cargo', ['metadata', '--format-version', '1', '--no-deps', '--offline'])).target_directory;
const input = join(target, 'wasm32-unknown-unknown', profile, `${BIN}.wasm`);
// Trunk's names: rollout-lab-HASH.js and rollout-lab-HASH_bg.wasm.
const name = readdirSync(staging).find((f) => new RegExp(`^${BIN}-[0-9a-f]+\\.js$`).test(f))?.slice(0, -3);
if (!existsSync(input) || !name) {
    console.error(`wasm-split: no ${input} or no ${BIN}-HASH.js in ${staging}`);
    process.exit(1);
}

const work = join(target, 'wasm-split', profile);
rmSync(work, { recursive: true, force: true });
mkdirSync(join(work, 'bindgen'), { recursive: true });
run('wasm-split-cli', [input, work, '--out-name', name]);
run('wasm-bindgen', ['--target=web', '--keep-lld-exports', '--no-typescript', `--out-dir=${join(work, 'bindgen')}`, `--out-name=${name}`, join(work, `${name}.wasm`)]);

// WASM_KEEP_NAMES=1 keeps the function names (wasm-opt -g), for a profile in Chromium's
// DevTools; the shipped build has none.
const keepNames = process.env.WASM_KEEP_NAMES === '1' ? ['-g'] : [];
const optimise = (from, to) => (profile === 'release' ? run('wasm-opt', ['-Oz', ...keepNames, from, '-o', to]) : copyFileSync(from, to));
copyFileSync(join(work, 'bindgen', `${name}.js`), join(staging, `${name}.js`));
optimise(join(work, 'bindgen', `${name}_bg.wasm`), join(staging, `${name}_bg.wasm`));
// `chunk_*.wasm`: code two split modules share and the main module does not, which the loader
// fetches with either.
for (const file of readdirSync(work).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f))) {
    optimise(join(work, file), join(staging, file));
}
packModules(readFileSync(join(work, '__wasm_split.js'), 'utf8'));

// The JS and the wasm changed after Trunk hashed them for index.html's integrity attributes.
const integrity = (file) => `sha384-${createHash('sha384').update(readFileSync(join(staging, file))).digest('base64')}`;
const html = join(staging, 'index.html');
let text = readFileSync(html, 'utf8');
for (const file of [`${name}.js`, `${name}_bg.wasm`]) {
    const tag = new RegExp(`(href="\\./${file}"[^>]*integrity=")[^"]*(")`);
    if (!tag.test(text)) {
        console.error(`wasm-split: index.html has no integrity for ${file}`);
        process.exit(1);
    }
    text = text.replace(tag, `$1${integrity(file)}$2`);
}
// The loading bar's total: the size of the main module now.
const size = readFileSync(join(staging, `${name}_bg.wasm`)).length;
text = text.replace(new RegExp(`('\\./${name}_bg\\.wasm', )\\d+`), `$1${size}`);
writeFileSync(html, text);

// The modules the page fetches as it starts need a hundred chunks: the code they share with
// each combination of the other modules. A hundred requests cost round trips (six at a time
// over HTTP/1.1), so they travel in two files, the modules one after another, and the loader
// cuts each out of its file:
//   - `split_lesson_code-HASH.pack`: the lesson code and its chunks, which a page opened on a
//     lesson awaits before it is drawn (the lesson's text needs it);
//   - `split_lab_engine-HASH.pack`: the lab's modules, `lab_engine` (the simulator, kubectl and
//     the shell) and `lab_view` (the reader of the cluster model), with the chunks of theirs
//     the first file does not hold; fetched once the page is drawn.
// A chunk another module wants later comes from the file that holds it (already fetched).
function packModules(loader) {
    const PACKS = [['lesson_code'], ['lab_engine', 'lab_view']];
    const packed = new Set();
    const packs = [];
    for (const splits of PACKS) {
        const members = [];
        for (const split of splits) {
            const defined = loader.match(new RegExp(`__wasm_split_load_${split} = [\\s\\S]*?\\n, \\[([^\\]]*)\\]`));
            if (!defined) {
                console.error(`wasm-split: __wasm_split.js has no loader for ${split}`);
                process.exit(1);
            }
            const chunks = defined[1].split(',').map((d) => d.trim()).filter(Boolean)
                .map((d) => `${d.replace(/^__chunk_/, 'chunk_')}.wasm`);
            for (const file of [`split_${split}.wasm`, ...chunks]) {
                if (!packed.has(file)) {
                    packed.add(file);
                    members.push(file);
                }
            }
        }
        const index = {};
        let offset = 0;
        const parts = members.map((file) => {
            const bytes = readFileSync(join(staging, file));
            index[file] = [offset, offset + bytes.length];
            offset += bytes.length;
            return bytes;
        });
        const bytes = Buffer.concat(parts);
        const name = `split_${splits[0]}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.pack`;
        writeFileSync(join(staging, name), bytes);
        for (const file of members) {
            const fetched = `fetch(new URL("./${file}", import.meta.url))`;
            if (!loader.includes(fetched)) {
                console.error(`wasm-split: __wasm_split.js does not fetch ${file} as expected`);
                process.exit(1);
            }
            loader = loader.replace(fetched, `fromPack(${packs.length}, "${file}")`);
            rmSync(join(staging, file));
        }
        packs.push({ name, index, left: members.length });
    }
    const table = packs.map(({ name, index, left }) =>
        `    { url: new URL("./${name}", import.meta.url), index: ${JSON.stringify(index)}, bytes: undefined, left: ${left} },`);
    const helper = `
// Modules packed in one file each (tools/wasm-split.mjs): a file is fetched once, and each
// module cut out of it as its loader asks.
const packs = [
${table.join('\n')}
];
function fromPack(which, file) {
    const pack = packs[which];
    if (pack.bytes === undefined) {
        const bytes = fetch(pack.url).then((response) => {
            if (!response.ok) throw new Error(\`\${pack.url}: \${response.status}\`);
            return response.arrayBuffer();
        });
        bytes.catch(() => { if (pack.bytes === bytes) pack.bytes = undefined; });
        pack.bytes = bytes;
    }
    const [start, end] = pack.index[file];
    const bytes = pack.bytes;
    // Once every module has been cut out, the file's bytes can go.
    if (--pack.left === 0) pack.bytes = undefined;
    return bytes.then((all) => new Response(all.slice(start, end), { headers: { 'content-type': 'application/wasm' } }));
}
`;
    const firstLine = loader.indexOf('\n') + 1;
    writeFileSync(join(staging, '__wasm_split.js'), loader.slice(0, firstLine) + helper + loader.slice(firstLine));
}
