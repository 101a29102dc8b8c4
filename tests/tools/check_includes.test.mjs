// scripts/check_includes.py on small trees made here: an include of a library the target
// does not link is reported, one it links is not, and the README table is compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/check_includes.py');

/// A tree with two libraries, http (links common) and api (links http), and one source of
/// http whose include line is `include`.
function tree({ include, readme }) {
    const root = mkdtempSync(join(tmpdir(), 'check-includes-'));
    const put = (path, text) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
    };
    put('src/common/ids.hpp', '#pragma once\n');
    put('src/http/server.hpp', '#pragma once\n#include "common/ids.hpp"\n');
    put('src/api/pipeline.hpp', '#pragma once\n#include "http/server.hpp"\n');
    put('src/http/server.cpp', `#include "http/server.hpp"\n#include <vector>\n#include "${include}"\n`);
    put('build/target_graph.json', JSON.stringify({
        headcount_common: { type: 'STATIC_LIBRARY', folder: 'src/common', links: [] },
        headcount_http: { type: 'STATIC_LIBRARY', folder: 'src/http', links: ['headcount_common'] },
        headcount_api: { type: 'STATIC_LIBRARY', folder: 'src/api', links: ['headcount_http'] },
    }));
    put('build/compile_commands.json', JSON.stringify([{
        directory: join(root, 'build'),
        file: join(root, 'src/http/server.cpp'),
        command: 'g++ -o src/http/CMakeFiles/headcount_http.dir/server.cpp.o -c server.cpp',
    }]));
    if (readme)
        put('README.md', readme);
    return root;
}

function check(root, ...extra) {
    const run = spawnSync('python3', [script, '--root', root, ...extra], { encoding: 'utf8' });
    return { status: run.status, out: run.stdout + run.stderr };
}

test('an include of a library the target links passes', () => {
    const { status, out } = check(tree({ include: 'common/ids.hpp' }));
    assert.equal(status, 0, out);
    assert.match(out, /1 sources and the headers under src\/ checked, 0 problem\(s\)/);
});

test('an include of a library the target does not link fails, naming file, header and library', () => {
    const { status, out } = check(tree({ include: 'api/pipeline.hpp' }));
    assert.equal(status, 1, out);
    assert.match(out, /src\/http\/server\.cpp: includes "api\/pipeline\.hpp" of headcount_api, which headcount_http does not link/);
});

const table = (rows) => `# x\n<!-- modules:begin -->\n| folder | what | links |\n| --- | --- | --- |\n${rows}\n<!-- modules:end -->\n`;

test('the README table must list every library with what it links', () => {
    const good = table('| `common/` | c | |\n| `http/` | h | `common/` |\n| `api/` | a | `http/` |');
    assert.equal(check(tree({ include: 'common/ids.hpp', readme: good }), '--readme', 'README.md').status, 0);

    const wrong = table('| `common/` | c | |\n| `http/` | h | |\n| `api/` | a | `http/` |');
    const r = check(tree({ include: 'common/ids.hpp', readme: wrong }), '--readme', 'README.md');
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /`http\/` links `common\/`/);

    const missing = table('| `common/` | c | |\n| `http/` | h | `common/` |');
    const m = check(tree({ include: 'common/ids.hpp', readme: missing }), '--readme', 'README.md');
    assert.equal(m.status, 1, m.out);
    assert.match(m.out, /no row for `api\/`/);
});
