// Where a wasm module's bytes go, by crate and by module, read from its name section.
//
//   node tools/wasm-sizes.mjs FILE.wasm [--top N] [--scale-to BYTES]
//
// FILE must keep its names: the release build before wasm-opt strips them, or after
// `wasm-opt -g`. Every function body is charged to one group: the first path of this
// project's crates (rollout_sim, rollout_kubectl, rollout_lab) its name mentions — so a
// library's generic code monomorphised for one of our types is charged to the type's module —
// else the crate that defines it. Each group's bodies are gzipped on their own; the gzip
// column is that figure scaled so the groups add up to the whole file's gzip size (or to
// --scale-to, the shipped file's gzip size, when FILE is an unstripped copy of it).
// Data segments (string constants, tables) are one line of their own. Names are demangled
// by the program the environment variable DEMANGLE names (tools/demangle).

import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { spawnSync } from 'node:child_process';

const PROJECT = ['rollout_sim', 'rollout_kubectl', 'rollout_lab'];

function reader(bytes) {
    let pos = 0;
    const r = {
        get pos() { return pos; },
        set pos(p) { pos = p; },
        byte() { return bytes[pos++]; },
        uleb() {
            let result = 0, shift = 0, b;
            do {
                b = bytes[pos++];
                result += (b & 0x7f) * 2 ** shift;
                shift += 7;
            } while (b & 0x80);
            return result;
        },
        string() {
            const len = r.uleb();
            const s = Buffer.from(bytes.subarray(pos, pos + len)).toString('utf8');
            pos += len;
            return s;
        },
        limits() {
            const flags = r.byte();
            r.uleb();
            if (flags & 1) r.uleb();
        },
    };
    return r;
}

/** The module's function bodies (index → bytes), names (index → name) and data size. */
export function parse(bytes) {
    const r = reader(bytes);
    r.pos = 8;
    let imported = 0;
    const bodies = [];
    const names = new Map();
    let data = 0;
    let custom = 0;
    while (r.pos < bytes.length) {
        const id = r.byte();
        const size = r.uleb();
        const end = r.pos + size;
        if (id === 2) {
            const count = r.uleb();
            for (let i = 0; i < count; i++) {
                r.string();
                r.string();
                const kind = r.byte();
                if (kind === 0) { r.uleb(); imported++; }
                else if (kind === 1) { r.byte(); r.limits(); }
                else if (kind === 2) r.limits();
                else if (kind === 3) { r.byte(); r.byte(); }
                else if (kind === 4) { r.byte(); r.uleb(); }
            }
        } else if (id === 10) {
            const count = r.uleb();
            for (let i = 0; i < count; i++) {
                const len = r.uleb();
                bodies.push(bytes.subarray(r.pos, r.pos + len));
                r.pos += len;
            }
        } else if (id === 11) {
            data += size;
        } else if (id === 0) {
            const name = r.string();
            if (name === 'name') {
                while (r.pos < end) {
                    const sub = r.byte();
                    const subSize = r.uleb();
                    const subEnd = r.pos + subSize;
                    if (sub === 1) {
                        const count = r.uleb();
                        for (let i = 0; i < count; i++) {
                            const index = r.uleb();
                            names.set(index, r.string());
                        }
                    }
                    r.pos = subEnd;
                }
            } else {
                custom += size;
            }
        }
        r.pos = end;
    }
    return { imported, bodies, names, data, custom };
}

/** The crate and the module (at most two levels below the crate) a function is charged to. */
export function group(name) {
    const clean = name.replace(/::h[0-9a-f]{16}$/, '');
    for (const krate of PROJECT) {
        const at = clean.search(new RegExp(`\\b${krate}::`));
        if (at >= 0) {
            const segments = clean.slice(at).split('::');
            const modules = [];
            for (const seg of segments.slice(1, 3)) {
                if (!/^[a-z_][a-z0-9_]*$/.test(seg)) break;
                modules.push(seg);
            }
            return { krate, module: [krate, ...modules].join('::') };
        }
    }
    const match = clean.match(/([A-Za-z_][A-Za-z0-9_]*)::/);
    const krate = match ? match[1] : /^(__|wasm_bindgen|\$)/.test(clean) ? 'wasm-bindgen glue' : '(other)';
    return { krate, module: krate };
}

function report(file, top, scaleTo) {
    const bytes = readFileSync(file);
    const { imported, bodies, names: mangled, data, custom } = parse(bytes);
    const names = demangle(mangled);
    const crates = new Map();
    const modules = new Map();
    const add = (map, key, body) => {
        const entry = map.get(key) ?? { raw: 0, parts: [] };
        entry.raw += body.length;
        entry.parts.push(body);
        map.set(key, entry);
    };
    bodies.forEach((body, i) => {
        const { krate, module } = group(names.get(imported + i) ?? '(unnamed)');
        add(crates, krate, body);
        add(modules, module, body);
    });
    const whole = scaleTo ?? gzipSync(bytes, { level: 9 }).length;
    const code = bodies.reduce((n, b) => n + b.length, 0);
    const gz = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
    const measured = (map) => [...map].map(([key, v]) => ({ key, raw: v.raw, gz: gz(v.parts) }));
    const crateRows = measured(crates);
    const moduleRows = measured(modules);
    const dataRow = { key: 'data segments (strings, tables)', raw: data, gz: 0 };
    // Data: gzip of the data section is what remains of the whole once code is counted.
    const codeGz = crateRows.reduce((n, row) => n + row.gz, 0);
    const fileGz = gzipSync(bytes, { level: 9 }).length;
    const dataSection = extractData(bytes);
    dataRow.gz = gzipSync(dataSection, { level: 9 }).length;
    const scale = whole / (codeGz + dataRow.gz);
    const kb = (n) => (n / 1024).toFixed(1).padStart(8);
    const print = (title, rows, limit) => {
        rows.sort((a, b) => b.gz - a.gz);
        console.log(`${title}${' '.repeat(Math.max(1, 46 - title.length))}     KB raw   KB gzip  share`);
        for (const row of rows.slice(0, limit)) {
            const share = ((row.gz * scale) / whole * 100).toFixed(1).padStart(5);
            console.log(`  ${row.key.padEnd(48).slice(0, 48)}${kb(row.raw)}  ${kb(row.gz * scale)}  ${share}%`);
        }
        const rest = rows.slice(limit);
        if (rest.length) {
            const raw = rest.reduce((n, r) => n + r.raw, 0);
            const g = rest.reduce((n, r) => n + r.gz, 0) * scale;
            console.log(`  ${`(${rest.length} more)`.padEnd(48)}${kb(raw)}  ${kb(g)}  ${(g / whole * 100).toFixed(1).padStart(5)}%`);
        }
    };
    console.log(`${file}: ${kb(bytes.length).trim()} KB raw, ${kb(fileGz).trim()} KB gzip` +
        (scaleTo ? `; figures scaled to the shipped ${kb(scaleTo).trim()} KB gzip` : '') +
        `; code ${kb(code).trim()} KB in ${bodies.length} functions, data ${kb(data).trim()} KB` +
        (custom ? `, other custom sections ${kb(custom).trim()} KB` : ''));
    print('by crate', [...crateRows, dataRow], top);
    console.log();
    print('by module (this project\'s crates)', moduleRows.filter((r) => PROJECT.some((p) => r.key.startsWith(p))), top * 2);
}

/** Names through tools/demangle (rustc's v0 mangling), whose binary DEMANGLE names. */
function demangle(names) {
    const bin = process.env.DEMANGLE;
    if (!bin) return names;
    const keys = [...names.keys()];
    const out = spawnSync(bin, { input: keys.map((k) => names.get(k)).join('\n') + '\n', maxBuffer: 1 << 28 });
    if (out.status !== 0) throw new Error(`${bin} failed: ${out.stderr}`);
    const lines = out.stdout.toString('utf8').split('\n');
    return new Map(keys.map((k, i) => [k, lines[i]]));
}

function extractData(bytes) {
    const r = reader(bytes);
    r.pos = 8;
    while (r.pos < bytes.length) {
        const id = r.byte();
        const size = r.uleb();
        if (id === 11) return bytes.subarray(r.pos, r.pos + size);
        r.pos += size;
    }
    return Buffer.alloc(0);
}

function main() {
const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const flag = (name) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : undefined;
};
if (!file) {
    console.error('usage: node tools/wasm-sizes.mjs FILE.wasm [--top N] [--scale-to BYTES]');
    process.exit(2);
}
report(file, flag('--top') ?? 15, flag('--scale-to'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
