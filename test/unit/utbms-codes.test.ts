import { type ClioHttpClient } from '../../src/integrations/clio/http-client';
import { ClioTimeEntries } from '../../src/integrations/clio/time-entries';

/** Clio's `utbms/codes.json` as a list the test changes between reads (a firm enabling a code set in Clio). */
function codesEndpoint(initial: { id: number; code: string; type: string }[]) {
  const state = { codes: [...initial], reads: 0 };
  const http = {
    request: (_method: string, path: string) => {
      if (path !== 'utbms/codes.json') throw new Error(`unexpected ${path}`);
      state.reads++;
      return Promise.resolve({ data: state.codes, meta: { paging: {}, records: state.codes.length } });
    },
  } as unknown as ClioHttpClient;
  return { http, state };
}

describe('UTBMS code ids', () => {
  afterEach(() => jest.restoreAllMocks());

  test('when a code is enabled in Clio after the list was read, then a miss reads the list again and finds it', async () => {
    let now = 1_800_000_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const { http, state } = codesEndpoint([{ id: 1, code: 'L110', type: 'UtbmsTask' }]);
    const entries = new ClioTimeEntries(http);
    expect(await entries.utbmsCodeId('L110')).toBe('1');
    expect(state.reads).toBe(1);

    state.codes.push({ id: 2, code: 'L210', type: 'UtbmsTask' });
    // Within the minute after a read, a miss is answered from the list held: unknown codes cost no requests.
    now += 30_000;
    expect(await entries.utbmsCodeId('L210')).toBeUndefined();
    expect(await entries.utbmsCodeId('X999')).toBeUndefined();
    expect(state.reads).toBe(1);
    now += 31_000;
    expect(await entries.utbmsCodeId('L210')).toBe('2');
    expect(state.reads).toBe(2);
    expect(await entries.utbmsCodeId('L110')).toBe('1');
    expect(state.reads).toBe(2);
  });
});
