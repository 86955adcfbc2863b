import { call, expectEnvelope, useSandbox } from './helpers';

/**
 * Reference (../shared/reference/imanage-api.md §2 "Identifiers"): workspaces and folders are `{LIBRARY}!{number}`
 * (e.g. `ACTIVE_US!427`), documents `{LIBRARY}!{number}.{version}`; the connector's id pattern has the library, then
 * `!`, then digits. A bare number names nothing, so a client that sends one must learn it here, not from iManage.
 */
describe('iManage sandbox: ids', () => {
  const s = useSandbox();

  it('when a container is named by its bare number, then 404; by LIB!number, then found', async () => {
    expect((await call(`${s.lib}/workspaces/ACTIVE!1`, s.token)).status).toBe(200);
    expectEnvelope(await call(`${s.lib}/workspaces/1`, s.token), 404, 'NOT_FOUND');
    expectEnvelope(await call(`${s.lib}/folders/1001`, s.token), 404, 'NOT_FOUND');
    expectEnvelope(
      await call(`${s.lib}/workspaces/1/folders`, s.token, { json: { name: 'Bare' } }),
      404,
      'NOT_FOUND',
    );
  });

  it('when a search filters on a bare container number, then 400 naming the filter', async () => {
    const a = await call(`${s.lib}/folders?container_id=1`, s.token);
    expectEnvelope(a, 400, 'INVALID_REQUEST');
    expect(a.body.error.messages[0].field).toBe('container_id');
    expectEnvelope(await call(`${s.lib}/documents?container_id=1001`, s.token), 400, 'INVALID_REQUEST');
    expect((await call(`${s.lib}/folders?container_id=ACTIVE!1`, s.token)).status).toBe(200);
  });

  it('when a template is a bare number, then 422 TEMPLATE_NOT_FOUND', async () => {
    const a = await call(`${s.lib}/workspaces`, s.token, { json: { name: 'From bare', template: '1' } });
    expectEnvelope(a, 422, 'VALIDATION_FAILED');
    expect(a.body.error.messages[0].code).toBe('TEMPLATE_NOT_FOUND');
  });
});
