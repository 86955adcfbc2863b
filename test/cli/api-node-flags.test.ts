import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { API_NODE_FLAGS } from '../../src/api/node-flags';

const root = path.join(__dirname, '../..');

test('npm run api, docker-compose and the README start the API with its V8 flags, before the script', () => {
  expect(API_NODE_FLAGS.length).toBeGreaterThan(0);
  const scripts = (
    JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const npmApi = scripts.api!.split(' ');
  expect(npmApi[0]).toBe('node');
  const compose = parseYaml(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, { command?: string[] }>;
  };
  const composeApi = compose.services.api!.command!;
  expect(composeApi[0]).toBe('node');
  for (const [command, script] of [
    [npmApi, 'src/api/main.ts'],
    [composeApi, 'dist/src/api/main.js'],
  ] as const) {
    // Node reads its own options only before the script's path; after it they are the script's arguments.
    const options = command.slice(1, command.indexOf(script));
    expect(command).toContain(script);
    for (const flag of API_NODE_FLAGS) expect(options).toContain(flag);
  }
  // The README's command for running the API against a cluster of the user's own.
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  expect(readme).toContain(`\`node ${API_NODE_FLAGS.join(' ')} dist/src/api/main.js\``);
});
