// The README's reference tables are kept true: every error code with its status, every variable.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../src/errors.ts';

const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
const serverTs = fs.readFileSync(path.resolve(__dirname, '../src/config/server.ts'), 'utf8');

describe('README reference', () => {
  it('lists every error code of the catalogue with its HTTP status', () => {
    for (const [code, { status }] of Object.entries(ERRORS)) {
      expect(readme, code).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });

  it('documents every environment variable the server reads', () => {
    const vars = [...serverTs.matchAll(/\b(?:env|alt): '(PARLEY_[A-Z_]+|PORT)'/g)].map((m) => m[1]!);
    expect(vars.length).toBeGreaterThan(10);
    for (const v of vars) expect(readme, v).toContain(`\`${v}\``);
  });
});
