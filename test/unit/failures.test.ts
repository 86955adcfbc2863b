import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../activities/shared/failures';
import { ClioApiError } from '../../src/integrations/clio/errors';
import { IManageApiError } from '../../src/integrations/imanage/errors';

describe('integration errors become Temporal failures once', () => {
  test.each([
    [
      new ClioApiError('Clio answered 422: Matter not found', 422, 'ValidationError', false),
      'Clio422',
      true,
      undefined,
    ],
    [new ClioApiError('Clio answered 429', 429, 'RateLimited', true, 30_000), 'Clio429', false, 30_000],
    [
      new ClioApiError('Clio could not be reached', undefined, 'NetworkError', true),
      'ClioUnavailable',
      false,
      undefined,
    ],
    [new IManageApiError('iManage answered 404', 404, 'NOT_FOUND', false), 'IManage404', true, undefined],
    [
      new IManageApiError('iManage answered 503', 503, 'SERVICE_UNAVAILABLE', true, 5_000),
      'IManage503',
      false,
      5_000,
    ],
  ])('%s → %s (non-retryable: %s, next retry delay: %s)', (err, type, nonRetryable, delay) => {
    const failure = toActivityFailure(err) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(failure.nextRetryDelay).toBe(delay);
  });

  test('anything else passes through untouched', () => {
    const other = new Error('boom');
    expect(toActivityFailure(other)).toBe(other);
  });
});
