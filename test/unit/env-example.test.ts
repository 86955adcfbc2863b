import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderEnvExample } from '../../scripts/generate-env-example';

test('when the config schema changes, then .env.example is regenerated with it', () => {
  const committed = readFileSync(path.join(__dirname, '../../.env.example'), 'utf8');
  expect(committed).toBe(renderEnvExample());
});
