import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderReadme } from '../../scripts/generate-readme-tables';

/** Table rows cell by cell, ignoring the column padding the formatter adds. */
function normalizeTables(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split('|')
            .map((cell) => cell.trim().replace(/^:?-+:?$/, '---'))
            .join('|')
        : line,
    )
    .join('\n');
}

test('when the config schema or permission matrix changes, then the README tables are regenerated with it', () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(normalizeTables(renderReadme(readme))).toBe(normalizeTables(readme));
});
