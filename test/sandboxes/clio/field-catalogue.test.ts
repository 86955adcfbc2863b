import {
  buildFieldCatalogue,
  type SchemaNode,
} from '../../../src/sandboxes/clio/schema/build-field-catalogue';
import committed from '../../../src/sandboxes/clio/schema/resource-fields.json';
import { readClioSpec } from './openapi-validator';

describe('field catalogue', () => {
  it('when rebuilt from clio-openapi-v4.json, then it equals the committed resource-fields.json', () => {
    const spec = readClioSpec<{ components: { schemas: Record<string, SchemaNode> } }>();
    expect(buildFieldCatalogue(spec.components.schemas)).toEqual(committed);
  });
});
