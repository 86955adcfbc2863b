import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderReadme } from '../../scripts/generate-readme-tables';

test('when the config schema or permission matrix changes, then the README tables are regenerated with it', () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  expect(renderReadme(readme)).toBe(readme);
});
