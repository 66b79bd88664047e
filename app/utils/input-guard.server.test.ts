import { describe, expect, it } from 'vitest';
import { bodyProblem, urlProblem } from './input-guard.server';

const ULID = '01JABCDEFGHJKMNPQRSTVWXYZ0';

function post(path: string, body: string, type?: string) {
  return new Request(`http://127.0.0.1:3000${path}`, {
    method: 'POST',
    headers: type ? { 'Content-Type': type } : undefined,
    body,
  });
}

describe('urlProblem', () => {
  it('accepts ordinary addresses and ULID params', () => {
    expect(urlProblem(new URL(`http://x/courses/${ULID}?limit=5&q=caf%C3%A9`), { courseId: ULID })).toBeNull();
  });

  it.each([
    ['/courses/%00', 'path'],
    ['/courses/x?cursor=%00', 'cursor'],
    ['/api/videos?courseId=..%2F..', 'courseId'],
    ['/api/videos?courseId=abc', 'courseId'],
    ['/x%E0%A4%A', 'path'],
  ])('refuses %s naming %s', (path, field) => {
    expect(urlProblem(new URL(`http://x${path}`), {})).toMatchObject({ status: 400, field });
  });

  it('answers 404 for a malformed id in the address, before any lookup', () => {
    expect(urlProblem(new URL('http://x/courses/..%2F..'), { courseId: '../..' })).toMatchObject({ status: 404 });
  });

  it('leaves ids that are not ours alone (a student number)', () => {
    expect(urlProblem(new URL('http://x/api/users?studentId=S-42'), {})).toBeNull();
  });
});

describe('bodyProblem', () => {
  it('accepts JSON objects, forms and CR LF in text', async () => {
    expect(
      await bodyProblem(
        post('/api/courses', JSON.stringify({ title: 'a\r\nb\tc', courseId: ULID }), 'application/json'),
      ),
    ).toBeNull();
    expect(await bodyProblem(post('/dashboard', 'title=a%0D%0Ab', 'application/x-www-form-urlencoded'))).toBeNull();
  });

  it.each([
    ['{"title":"a\\u0000b"}', 'title'],
    ['{"title":"\\ud800"}', 'title'],
    ['{"nested":{"x":["ok","\\u0007"]}}', 'nested.x[1]'],
    ['{"assignmentId":"../../etc"}', 'assignmentId'],
    ['{"title":"lone CR\\r"}', 'title'],
  ])('refuses %s naming %s', async (body, field) => {
    expect(await bodyProblem(post('/api/courses', body, 'application/json'))).toMatchObject({ status: 400, field });
  });

  it.each([
    ['not json', 'application/json', 'INVALID_JSON'],
    ['[1,2]', 'application/json', 'INVALID_JSON'],
    ['"text"', 'application/json', 'INVALID_JSON'],
    ['a=1', 'multipart/form-data', 'INVALID_BODY'],
  ])('refuses the malformed body %j (%s)', async (body, type, code) => {
    expect(await bodyProblem(post('/api/courses', body, type))).toMatchObject({ status: 400, code });
  });

  it('refuses NUL in a form field and names it', async () => {
    expect(await bodyProblem(post('/dashboard', 'title=a%00', 'application/x-www-form-urlencoded'))).toMatchObject({
      status: 400,
      field: 'title',
    });
  });

  it('refuses a text/plain body to a page and an oversized body anywhere', async () => {
    expect(await bodyProblem(post('/dashboard', 'hello', 'text/plain'))).toMatchObject({ status: 415 });
    expect(
      await bodyProblem(post('/api/courses', `{"t":"${'x'.repeat(1_000_001)}"}`, 'application/json')),
    ).toMatchObject({
      status: 413,
    });
  });
});
