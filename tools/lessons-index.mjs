// Writes the bundle's lessons/ folder: every built-in lesson file (lessons/*.yaml, which the
// page lists from its catalog and fetches from here when a lesson opens) and lessons/index.json, the list the page reads after start-up.
// A course author extends the list with lessons of their own, files beside these, without a
// build (lessons/README.md: "Lessons beside the bundle"). Trunk runs it after its build
// (Trunk.toml's post_build hook, on its staging folder); the schema is copied by index.html.
//
//   node tools/lessons-index.mjs [DIR]      default: $TRUNK_STAGING_DIR

import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
    console.error('usage: node tools/lessons-index.mjs DIR (or run from a Trunk hook)');
    process.exit(2);
}
const source = join(root, 'lessons');
const target = join(dir, 'lessons');
mkdirSync(target, { recursive: true });
const lessons = readdirSync(source)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((file) => {
        copyFileSync(join(source, file), join(target, file));
        // The id is a plain top-level scalar in every lesson file (the schema's pattern).
        const id = /^id:\s*["']?([a-z0-9-]+)/m.exec(readFileSync(join(source, file), 'utf8'))?.[1];
        return { file, id };
    });
writeFileSync(join(target, 'index.json'), JSON.stringify({ lessons }, null, 2) + '\n');
