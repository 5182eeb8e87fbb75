import { z } from 'zod';
import { AppError } from './errors';

/**
 * The one way input is validated (STYLE.md): zod schemas whose checks record problems with
 * `problem()`, and this adapter from zod's issues to the API's problem list.
 *
 * A problem is a custom zod issue whose `params` carry the API's code and the values its message
 * needs (`{ code: 'too_long', max, length }`); `problemsOf` reads them back with the path written
 * the API's way (`posts[1].text.fr`). Checks built with `check` never abort their parent: a value
 * that fails reads `undefined`, and the enclosing object goes on to its other fields and its own
 * refinements, so every problem is listed (a route that answers one error takes the first).
 */

/** A JSON object (not null, not an array): what most inputs must be before their fields are read. */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** One thing wrong with an input: where (`posts[1].text.fr`, '' for the whole input), a stable code, and the values its message needs. */
export interface Problem {
  path: string;
  code: string;
  params?: Record<string, unknown>;
}

type Segment = string | number;

/** A zod path as the API writes it, below `at`: `['posts', 1, 'text', 'fr']` → `posts[1].text.fr`. */
export function problemPath(path: readonly Segment[], at = ''): string {
  return path.reduce<string>(
    (out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s),
    at,
  );
}

/**
 * Records a problem on the check `ctx` belongs to (at `path` below the value checked) and returns
 * `undefined`, the value a failed check reads: `return problem(ctx, 'empty')`.
 */
export function problem(
  ctx: z.RefinementCtx,
  code: string,
  params: Record<string, unknown> = {},
  path: Segment[] = [],
): undefined {
  ctx.addIssue({ code: z.ZodIssueCode.custom, path, params: { ...params, code } });
  return undefined;
}

/**
 * The problems of a failed parse, in the order they were found, with paths below `at`. A custom
 * issue gives its `params.code` and the other params (left out when there are none); zod's own
 * type check reads `required` (undefined or null) or `type` with `expected`; any other zod issue
 * keeps zod's code, with its message.
 */
export function problemsOf(error: z.ZodError, at = ''): Problem[] {
  return error.issues.map((issue): Problem => {
    const path = problemPath(issue.path, at);
    if (issue.code === z.ZodIssueCode.custom && typeof issue.params?.code === 'string') {
      const { code, ...params } = issue.params as { code: string };
      return Object.keys(params).length ? { path, code, params } : { path, code };
    }
    if (issue.code === z.ZodIssueCode.invalid_type)
      return issue.received === 'undefined' || issue.received === 'null'
        ? { path, code: 'required' }
        : { path, code: 'type', params: { expected: issue.expected } };
    return { path, code: issue.code, params: { message: issue.message } };
  });
}

/** What `schema` reads from `value`, or every problem it has (paths below `at`). */
export function validate<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  at = '',
): { value: z.output<S> } | { problems: Problem[] } {
  const parsed = schema.safeParse(value);
  return parsed.success ? { value: parsed.data } : { problems: problemsOf(parsed.error, at) };
}

/** What `schema` reads from `value`; for an input that answers one error, throws `toError` of the first problem. */
export function parseOrThrow<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  toError: (first: Problem) => Error,
  at = '',
): z.output<S> {
  const checked = validate(schema, value, at);
  if ('problems' in checked) throw toError(checked.problems[0]);
  return checked.value;
}

/** How a problem code answers as an AppError: its message key in errors.json, the status when not 400, the params that go beside the message (`details`) rather than into it. */
export type ErrorSpec = string | { key: string; status?: number; details?: readonly string[] };

/** Turns a problem into the AppError its code names in `table` (a code missing from it is a bug). */
export function errorTable(table: Record<string, ErrorSpec>): (problem: Problem) => AppError {
  return ({ code, params = {} }) => {
    const spec = table[code];
    if (spec === undefined) throw new Error(`no error for the input problem "${code}"`);
    const { key, status = 400, details = [] } = typeof spec === 'string' ? { key: spec } : spec;
    const message: Record<string, unknown> = {};
    const extra: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(params))
      (details.includes(name) ? extra : message)[name] = value;
    return new AppError(status, code, key, message, extra);
  };
}

/**
 * A schema from a check that records its problems with `problem()` and returns what it read, or
 * `undefined` when it failed. The check sees any value (zod's own type checks would abort the
 * parent and answer their own codes). Its output type is what a successful parse reads; refinements
 * of an enclosing object may see `undefined` for it.
 */
export function check<T>(
  fn: (value: unknown, ctx: z.RefinementCtx) => T | undefined,
): z.ZodType<T, z.ZodTypeDef, unknown> {
  return z.unknown().transform(fn) as z.ZodType<T, z.ZodTypeDef, unknown>;
}

/**
 * Runs `schema` on `value` inside another check: its problems become that check's (at `path`
 * below it), and a value that fails reads `undefined`. For schemas chosen from the input itself
 * (a post's length limits depend on its channel) and for steps taken in a set order.
 */
export function within<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
  ctx: z.RefinementCtx,
  path: Segment[] = [],
): z.output<S> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ ...issue, path: [...path, ...issue.path] } as z.IssueData);
  return undefined;
}

/** `schema`, then `next` on what it read (only when it passed). Unlike zod's `.transform`, a failure leaves the parent object going. */
export function andThen<S extends z.ZodTypeAny, T>(
  schema: S,
  next: (value: z.output<S>, ctx: z.RefinementCtx) => T | undefined,
): z.ZodType<T, z.ZodTypeDef, unknown> {
  return check((v, ctx) => {
    const value = within(schema, v, ctx);
    return value === undefined ? undefined : next(value, ctx);
  });
}
