import { describe, expect, it } from 'vitest';
import { SourceError } from '../../sync/sources/source.ts';
import { GoogleSheetsSource } from '../../sync/sources/google-sheets.ts';
import { withFakeSheets } from '../support/sheets.ts';

const sheets = withFakeSheets();

const isBatchGet = (_: string, path: string) => path.endsWith('/values:batchGet');

describe('quotas and server errors', () => {
  it('retries a 429 after the Retry-After the server asked for, prints the retry, then succeeds', async () => {
    const { id } = await sheets.sampleSheet();
    sheets.log.length = 0;
    const source = new GoogleSheetsSource(id, sheets.client({ retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 5000 } }));
    sheets.fake.fail(429, { retryAfter: '1', when: isBatchGet });
    const before = sheets.fake.requests.length;
    const workbook = await source.read();
    expect(workbook.get('contacts')?.rows.length).toBe(8);
    expect(sheets.fake.requests.length - before).toBe(3);
    expect(sheets.log).toEqual(['sheets: read 15 tabs got 429 (too many requests); retry 1 of 2 in 1.0s']);
    expect(source.usage()).toBe('3 Google Sheets API requests (1 retry); the quota is 60 per minute');
  });

  it('retries a 500 with backoff and succeeds', async () => {
    const { id } = await sheets.sampleSheet();
    sheets.log.length = 0;
    const source = new GoogleSheetsSource(id, sheets.client());
    sheets.fake.fail(500, { times: 2 });
    expect((await source.read()).has('donations')).toBe(true);
    expect(sheets.log).toHaveLength(2);
    expect(sheets.log[0]).toMatch(/^sheets: read the tab list of \S+ got 500 \(server error\); retry 1 of 3 in \d+\.\ds$/);
    expect(source.usage()).toMatch(/^4 Google Sheets API requests \(2 retries\)/);
  });

  it('is the only retry layer: with one attempt allowed, one request reaches the server', async () => {
    const { id } = await sheets.sampleSheet();
    const source = new GoogleSheetsSource(id, sheets.client({ retry: { attempts: 1, baseDelayMs: 5, maxDelayMs: 5 } }));
    // One failure only: a hidden retry in the client library would get through and the read would succeed.
    sheets.fake.fail(500);
    const before = sheets.fake.requests.length;
    await expect(source.read()).rejects.toThrow(SourceError);
    expect(sheets.fake.requests.length - before).toBe(1);
  });

  it('gives up after the bounded attempts with a message saying what to do', async () => {
    const { id } = await sheets.sampleSheet();
    const source = new GoogleSheetsSource(id, sheets.client());
    sheets.fake.fail(429, { times: 4, retryAfter: '0' });
    const before = sheets.fake.requests.length;
    await expect(source.read()).rejects.toThrow(/too many requests.*60 requests per minute.*wait a few minutes/);
    expect(sheets.fake.requests.length - before).toBe(4);
  });

  it('after a 500 on a row deletion (it may have happened), reads again instead of deleting blind; after a 429, deletes', async () => {
    const { id, source } = await sheets.sampleSheet();
    const isStructural = (method: string, path: string) => method === 'POST' && path.endsWith(':batchUpdate');
    // The deletion is carried out, then answered 500: resent as it was, it would delete two other rows.
    sheets.fake.fail(500, { when: isStructural, afterApplying: true });
    expect(await source.deleteRows('participants', 'contact_id', ['C002'])).toBe(2);
    expect(sheets.fake.values(id, 'participants').map((r) => r[1])).toEqual(['contact_id', 'C001']);
    sheets.fake.fail(429, { when: isStructural, retryAfter: '0' });
    expect(await source.deleteRows('participants', 'contact_id', ['C001'])).toBe(1);
    expect(sheets.fake.values(id, 'participants').map((r) => r[1])).toEqual(['contact_id']);
  });
});
