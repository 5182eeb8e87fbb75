import { z } from 'zod';
import { AppError } from '../../lib/errors';
import {
  andThen,
  check,
  errorTable,
  parseOrThrow,
  problem,
  problemPath,
  problemsOf,
  validate,
  within,
} from '../../lib/validation';

const word = check<string>((v, ctx) => {
  if (v === undefined || v === null) return problem(ctx, 'required');
  if (typeof v !== 'string') return problem(ctx, 'type', { expected: 'string' });
  if (v.length > 3) return problem(ctx, 'too_long', { max: 3, length: v.length });
  return v;
});

describe('the problem list adapter', () => {
  it.each<[(string | number)[], string, string]>([
    [[], '', ''],
    [['title'], '', 'title'],
    [['posts', 1, 'text', 'fr'], '', 'posts[1].text.fr'],
    [[0, 'a'], '', '[0].a'],
    [['text', 'fr'], 'posts[3]', 'posts[3].text.fr'],
    [[], 'posts[3]', 'posts[3]'],
  ])('writes the path %j below %j as %j', (path, at, written) => {
    expect(problemPath(path, at)).toBe(written);
  });

  it("reads a custom issue's code and params, and leaves out params when there are none", () => {
    const schema = z.object({ a: word, b: word, c: word });
    expect(validate(schema, { b: 7, c: 'abcd' })).toEqual({
      problems: [
        { path: 'a', code: 'required' },
        { path: 'b', code: 'type', params: { expected: 'string' } },
        { path: 'c', code: 'too_long', params: { max: 3, length: 4 } },
      ],
    });
    expect(validate(schema, { a: 'x', b: 'y', c: 'z' })).toEqual({
      value: { a: 'x', b: 'y', c: 'z' },
    });
  });

  it("reads zod's own type issue as required or type, and keeps any other zod code", () => {
    const schema = z.object({ n: z.number(), s: z.string().min(2) });
    const parsed = schema.safeParse({ s: 'x' });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    expect(problemsOf(parsed.error, 'body')).toEqual([
      { path: 'body.n', code: 'required' },
      { path: 'body.s', code: 'too_small', params: { message: expect.any(String) } },
    ]);
    expect(validate(z.number(), 'x')).toEqual({
      problems: [{ path: '', code: 'type', params: { expected: 'number' } }],
    });
  });

  it('lists every problem: a failed field leaves its object checking the others and its own rules', () => {
    const schema = z.object({ a: word, b: word, c: word }).superRefine(({ b, c }, ctx) => {
      // `a` failed and reads undefined; the rule on b and c still runs.
      if (b !== undefined && b === c) problem(ctx, 'same', { value: b }, ['c']);
    });
    expect(validate(schema, { a: 1, b: 'x', c: 'x' })).toEqual({
      problems: [
        { path: 'a', code: 'type', params: { expected: 'string' } },
        { path: 'c', code: 'same', params: { value: 'x' } },
      ],
    });
  });

  it('puts the problems of a schema run within another below it, and reads a failure as undefined', () => {
    const pair = check((v, ctx) => {
      const first = within(word, (v as string[])[0], ctx, [0]);
      const second = within(word, (v as string[])[1], ctx, [1]);
      return first && second ? `${first}+${second}` : undefined;
    });
    expect(validate(z.object({ pair }), { pair: ['ab', 'abcde'] }, 'x')).toEqual({
      problems: [{ path: 'x.pair[1]', code: 'too_long', params: { max: 3, length: 5 } }],
    });
    expect(validate(pair, ['a', 'b'])).toEqual({ value: 'a+b' });
    const shout = andThen(word, (w, ctx) =>
      w === 'no' ? problem(ctx, 'refused') : w.toUpperCase(),
    );
    expect(validate(shout, 'abc')).toEqual({ value: 'ABC' });
    expect(validate(shout, 'no')).toEqual({ problems: [{ path: '', code: 'refused' }] });
    expect(validate(shout, 5)).toEqual({
      problems: [{ path: '', code: 'type', params: { expected: 'string' } }],
    });
  });

  it('throws the first problem as the AppError its code names', () => {
    const toError = errorTable({
      too_long: 'tooLong',
      type: { key: 'badType', status: 422 },
      required: { key: 'missing', details: ['hint'] },
    });
    const schema = z.object({ a: word, b: word });
    expect(parseOrThrow(schema, { a: 'x', b: 'y' }, toError)).toEqual({ a: 'x', b: 'y' });
    try {
      parseOrThrow(schema, { a: 'abcd', b: 1 }, toError);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({
        status: 400,
        code: 'too_long',
        messageKey: 'tooLong',
        params: { max: 3, length: 4 },
        details: {},
      });
    }
    expect(toError({ path: 'b', code: 'type', params: { expected: 'string' } })).toMatchObject({
      status: 422,
      code: 'type',
      messageKey: 'badType',
    });
    expect(
      toError({ path: 'a', code: 'required', params: { name: 'a', hint: ['x'] } }),
    ).toMatchObject({ params: { name: 'a' }, details: { hint: ['x'] } });
    expect(() => toError({ path: '', code: 'nope' })).toThrow(
      'no error for the input problem "nope"',
    );
  });
});
