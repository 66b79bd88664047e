/** A busy data store is a 503 with Retry-After wherever errors are mapped: API, page, form. */
import { describe, expect, it } from 'vitest';
import { DataStoreBusyError } from '~/data/errors';
import { apiError, DATA_STORE_RETRY_AFTER_SECONDS } from './api.server';
import { formFailure } from './forms.server';
import { pageError } from './page.server';

const busy = () => new DataStoreBusyError('Query', { cause: new Error('ProvisionedThroughputExceededException') });

describe('a busy data store', () => {
  it('is the JSON envelope with 503 and Retry-After on /api', async () => {
    const res = apiError(busy());
    expect(res.status).toBe(503);
    expect(res.headers.get('Retry-After')).toBe(String(DATA_STORE_RETRY_AFTER_SECONDS));
    expect(await res.json()).toEqual({
      success: false,
      code: 'DATA_STORE_BUSY',
      error: expect.stringMatching(/busy.*try again/i),
    });
  });

  it('is a 503 page response with Retry-After, its code as status text', async () => {
    const res = pageError(busy());
    expect(res.status).toBe(503);
    expect(res.statusText).toBe('DATA_STORE_BUSY');
    expect(res.headers.get('Retry-After')).toBe(String(DATA_STORE_RETRY_AFTER_SECONDS));
  });

  it('is a form error that keeps what was typed', async () => {
    const res = formFailure(busy(), { title: 'My answer', password: 'secret' });
    expect(res.init?.status).toBe(503);
    expect(new Headers(res.init?.headers).get('Retry-After')).toBe(String(DATA_STORE_RETRY_AFTER_SECONDS));
    expect(res.data).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/busy/),
      values: { title: 'My answer' },
    });
    expect(res.data.values).not.toHaveProperty('password');
  });
});
