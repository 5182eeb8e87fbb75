import type { Request, Response, Server } from 'restify';
import { AppError } from '../../lib/errors';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { check, errorTable, parseOrThrow, problem } from '../../lib/validation';
import { campaignError, StaffActor, ValidationFailed } from '../../campaigns/context';
import type { StoredCampaignStatus } from '../../campaigns/model';
import type { CampaignRuntime } from '../../campaigns/runtime';
import type { Problem } from '../../campaigns/validation';
import { auditView, campaignView, ViewOptions } from '../../campaigns/view';
import type { Language } from '../../knowledge/schema';
import type { StaffVerifier } from '../auth/authenticator';
import { requireStaff } from '../auth/require-staff';
import { queryString, requestLanguage, route } from '../http';

export interface CampaignRouteDeps {
  i18n: I18n;
  logger: Logger;
  tokens: StaffVerifier;
  /** Null when the service runs without Redis: every campaign endpoint then answers 503. */
  campaigns: CampaignRuntime | null;
}

const STATUSES: readonly StoredCampaignStatus[] = ['draft', 'scheduled', 'rejected', 'cancelled'];

/** Problems in the request language, each with where it is and a stable code. */
function localize(i18n: I18n, lang: Language, problems: Problem[]) {
  return problems.map((p) => ({
    path: p.path,
    code: p.code,
    message: i18n.t(lang, `campaigns:problems.${p.code}`, { path: p.path || '/', ...p.params }),
    ...(p.params ?? {}),
  }));
}

const queryError = errorTable({ bad_parameter: 'badRequest' });

const wholeNumber = (name: string, fallback: number, max: number) =>
  check<number>((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 && n <= max
      ? n
      : problem(ctx, 'bad_parameter', {
          detail: `${name} must be a whole number from 0 to ${max}`,
        });
  });

const status = check<StoredCampaignStatus | undefined>((v, ctx) =>
  v === undefined || (STATUSES as readonly unknown[]).includes(v)
    ? (v as StoredCampaignStatus | undefined)
    : problem(ctx, 'bad_parameter', { detail: `status must be one of ${STATUSES.join(', ')}` }),
);

function intParam(req: Request, name: string, fallback: number, max: number): number {
  return parseOrThrow(wholeNumber(name, fallback, max), queryString(req, name), queryError);
}

export function registerCampaignRoutes(server: Server, deps: CampaignRouteDeps): void {
  type Ctx = { runtime: CampaignRuntime; actor: StaffActor; lang: Language; view: ViewOptions };
  const open = async (
    req: Request,
    staff: boolean,
  ): Promise<Omit<Ctx, 'actor'> & { actor: StaffActor | null }> => {
    const identity = staff ? await requireStaff(deps.tokens, req, ['comms']) : null;
    const runtime = deps.campaigns;
    if (!runtime || !(await runtime.available()))
      throw campaignError(503, 'campaigns_unavailable', 'unavailable');
    const lang = requestLanguage(req);
    const t = (key: string, params?: Record<string, unknown>) => deps.i18n.t(lang, key, params);
    const view = {
      pausedAll: (await runtime.service.pausedAll()) !== null,
      language: lang,
      t,
      credentials: staff ? await runtime.credentials.flags(t) : undefined,
    };
    const actor: StaffActor | null = identity
      ? { kind: 'staff', org: identity.org, role: identity.role, tokenId: identity.tokenId }
      : null;
    return { runtime, actor, lang, view };
  };
  /** A campaign route: staff only unless `staff` is false; 503 while Redis is down; validation problems become one 400. */
  const handle = (
    handler: (c: Ctx, req: Request, res: Response) => Promise<void> | void,
    staff = true,
  ) =>
    route(deps, async (req, res) => {
      try {
        const c = await open(req, staff);
        await handler(c as Ctx, req, res);
      } catch (err) {
        if (err instanceof AppError && err.status === 503) res.header('Retry-After', '30');
        if (!(err instanceof ValidationFailed)) throw err;
        const lang = requestLanguage(req);
        const problems = localize(deps.i18n, lang, err.problems);
        throw new AppError(
          400,
          'invalid_campaign',
          'campaigns.invalid',
          { count: problems.length, list: problems.map((p) => p.message).join(' ') },
          { problems },
        );
      }
    });
  const id = (req: Request) => String(req.params.id ?? '');
  const body = (req: Request): unknown =>
    req.body === undefined || req.body === '' ? {} : req.body;
  /** A body that must be a JSON object when there is one (an array, a number or a string is refused, not ignored). */
  const objectBody = (req: Request): Record<string, unknown> => {
    const b = body(req) ?? {};
    if (typeof b !== 'object' || Array.isArray(b))
      throw new ValidationFailed([{ path: '', code: 'type', params: { expected: 'object' } }]);
    return b as Record<string, unknown>;
  };

  server.post(
    '/api/campaigns',
    handle(async ({ runtime, actor, view, lang }, req, res) => {
      const { campaign, warnings } = await runtime.service.create(req.body, actor);
      res.send(201, {
        ...campaignView(campaign, view),
        warnings: localize(deps.i18n, lang, warnings),
      });
    }),
  );

  server.get(
    '/api/campaigns',
    handle(async ({ runtime, view }, req, res) => {
      const items = await runtime.service.list({
        status: parseOrThrow(status, queryString(req, 'status'), queryError),
        limit: intParam(req, 'limit', 50, 200),
        offset: intParam(req, 'offset', 0, 1_000_000),
      });
      res.send(200, {
        items: items.map((c) => campaignView(c, view)),
        pausedAll: await runtime.service.pausedAll(),
      });
    }),
  );

  /** Audit entries, newest first (`limit`, `before`): the service's, or one campaign's. */
  const auditRoute = (campaignOf: (req: Request) => string | null) =>
    handle(async ({ runtime, view }, req, res) => {
      const before =
        queryString(req, 'before') === undefined
          ? undefined
          : intParam(req, 'before', 0, Number.MAX_SAFE_INTEGER);
      res.send(200, {
        items: (
          await runtime.service.audit(campaignOf(req), intParam(req, 'limit', 100, 1000), before)
        ).map((e) => auditView(e, view.t)),
      });
    });
  server.get(
    '/api/campaigns/audit',
    auditRoute(() => null),
  );

  server.post(
    '/api/campaigns/pause-all',
    handle(async ({ runtime, actor }, req, res) =>
      res.send(200, await runtime.service.pauseAll(actor, objectBody(req))),
    ),
  );
  server.post(
    '/api/campaigns/resume-all',
    handle(async ({ runtime, actor }, _req, res) =>
      res.send(200, await runtime.service.resumeAll(actor)),
    ),
  );

  // Credentials: each entry's state and problems (never a token), and a reload of the file now.
  server.get(
    '/api/campaigns/credentials',
    handle(async ({ runtime, view }, _req, res) =>
      res.send(200, await runtime.credentials.status(view.t)),
    ),
  );
  server.post(
    '/api/campaigns/credentials/reload',
    handle(async ({ runtime }, _req, res) => {
      const r = runtime.credentials.reload();
      if (!r.ok)
        throw campaignError(422, 'credentials_file_invalid', 'credentialsFileInvalid', {
          error: r.error,
        });
      res.send(200, {
        reloaded: true,
        changed: r.changed,
        entries: r.entries,
        problems: r.problems,
      });
    }),
  );

  server.get(
    '/api/campaigns/:id',
    handle(async ({ runtime, view }, req, res) =>
      res.send(200, campaignView(await runtime.service.get(id(req)), view)),
    ),
  );
  server.patch(
    '/api/campaigns/:id',
    handle(async ({ runtime, actor, view }, req, res) =>
      res.send(200, campaignView(await runtime.service.edit(id(req), req.body, actor), view)),
    ),
  );
  // One post at a time: the same edit as PATCH /api/campaigns/ID with a single post.
  const postEdit = (req: Request, fields: Record<string, unknown>) => ({
    posts: [{ ...fields, id: String(req.params.postId ?? '') }],
  });
  server.patch(
    '/api/campaigns/:id/posts/:postId',
    handle(async ({ runtime, actor, view }, req, res) =>
      res.send(
        200,
        campaignView(
          await runtime.service.edit(id(req), postEdit(req, objectBody(req)), actor),
          view,
        ),
      ),
    ),
  );
  server.post(
    '/api/campaigns/:id/posts/:postId/reschedule',
    handle(async ({ runtime, actor, view }, req, res) => {
      const publishAt = objectBody(req).publishAt;
      res.send(
        200,
        campaignView(
          await runtime.service.edit(
            id(req),
            postEdit(req, { publishAt: publishAt ?? null }),
            actor,
          ),
          view,
        ),
      );
    }),
  );
  server.post(
    '/api/campaigns/:id/approve',
    handle(async ({ runtime, actor, view }, req, res) => {
      const campaign = await runtime.service.approve(id(req), actor);
      // Scheduled now: its channels' credentials are checked at once, however far ahead it is.
      if (campaign.status === 'scheduled') void runtime.credentials.checkPosts(campaign.posts);
      res.send(200, campaignView(campaign, view));
    }),
  );
  server.post(
    '/api/campaigns/:id/reject',
    handle(async ({ runtime, actor, view }, req, res) =>
      res.send(200, campaignView(await runtime.service.reject(id(req), actor, body(req)), view)),
    ),
  );
  server.post(
    '/api/campaigns/:id/cancel',
    handle(async ({ runtime, actor, view }, req, res) =>
      res.send(200, campaignView(await runtime.service.cancel(id(req), actor), view)),
    ),
  );
  server.post(
    '/api/campaigns/:id/pause',
    handle(async ({ runtime, actor, view }, req, res) => {
      const { campaign, changed } = await runtime.service.pause(id(req), actor, objectBody(req));
      res.send(200, { ...campaignView(campaign, view), changed });
    }),
  );
  server.post(
    '/api/campaigns/:id/resume',
    handle(async ({ runtime, actor, view }, req, res) => {
      const { campaign, changed } = await runtime.service.resume(id(req), actor);
      res.send(200, { ...campaignView(campaign, view), changed });
    }),
  );
  server.get('/api/campaigns/:id/audit', auditRoute(id));

  // What the outbox channel published is public, like the posts on any other channel.
  server.get(
    '/api/outbox',
    handle(async ({ runtime }, req, res) => {
      const campaignId = queryString(req, 'campaign');
      res.send(
        200,
        await runtime.service.outbox({
          limit: intParam(req, 'limit', 50, 500),
          offset: intParam(req, 'offset', 0, 1_000_000),
          campaignId,
        }),
      );
    }, false),
  );
}
