import { CHANNELS, ACCOUNTS } from './model';

/**
 * The campaign endpoints as OpenAPI 3.1 `paths` and `components.schemas`, to merge into the
 * service's /api/openapi.json. test/bot/campaigns-openapi.test.ts checks every campaign route is here.
 */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const bilingual = {
  type: 'object',
  required: ['en', 'fr'],
  properties: { en: { type: 'string' }, fr: { type: 'string' } },
};
const time = {
  type: 'string',
  description: 'ISO 8601 with an offset, or a Toronto wall-clock time without one',
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const postIdParam = { name: 'postId', in: 'path', required: true, schema: { type: 'string' } };
const staff = [{ staffToken: [] }];
const COMMON = {
  401: error('No or bad token'),
  403: error('Not role comms, or the organization has no account in the campaign'),
  503: error('Redis is unreachable'),
};
const ONE = {
  200: { description: 'The campaign', ...json(ref('Campaign')) },
  404: error('Unknown campaign'),
  409: error('Not allowed in this state'),
  ...COMMON,
};

const action = (summary: string, body?: object) => ({
  post: {
    summary,
    security: staff,
    parameters: [idParam],
    ...(body ? { requestBody: json(body) } : {}),
    responses: { ...ONE, 400: error('Bad body') },
  },
});

export const CAMPAIGN_OPENAPI = {
  paths: {
    '/api/campaigns': {
      post: {
        summary: 'Create a campaign (draft)',
        security: staff,
        requestBody: json(ref('CampaignInput')),
        responses: {
          201: { description: 'Created', ...json(ref('Campaign')) },
          400: error('Every validation problem, listed'),
          ...COMMON,
        },
      },
      get: {
        summary: 'List campaigns, newest first',
        security: staff,
        parameters: [
          {
            name: 'status',
            in: 'query',
            schema: { enum: ['draft', 'scheduled', 'rejected', 'cancelled'] },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 200 } },
          { name: 'offset', in: 'query', schema: { type: 'integer' } },
        ],
        responses: {
          200: {
            description: 'Campaigns',
            ...json({
              type: 'object',
              properties: { items: { type: 'array', items: ref('Campaign') }, pausedAll: {} },
            }),
          },
          400: error('Bad parameter'),
          ...COMMON,
        },
      },
    },
    '/api/campaigns/{id}': {
      get: {
        summary: 'A campaign with each post’s status',
        security: staff,
        parameters: [idParam],
        responses: ONE,
      },
      patch: {
        summary: 'Edit or reschedule posts not yet published',
        security: staff,
        parameters: [idParam],
        requestBody: json(ref('CampaignEdit')),
        responses: { ...ONE, 400: error('Every validation problem, listed') },
      },
    },
    '/api/campaigns/{id}/posts/{postId}': {
      patch: {
        summary: 'Edit or reschedule one post not yet published',
        security: staff,
        parameters: [idParam, postIdParam],
        requestBody: json(ref('PostInput')),
        responses: { ...ONE, 400: error('Every validation problem, listed') },
      },
    },
    '/api/campaigns/{id}/posts/{postId}/reschedule': {
      post: {
        summary: 'Move one post (approvals are kept)',
        security: staff,
        parameters: [idParam, postIdParam],
        requestBody: json({
          type: 'object',
          required: ['publishAt'],
          properties: { publishAt: time },
        }),
        responses: { ...ONE, 400: error('Bad time') },
      },
    },
    '/api/campaigns/{id}/approve': action(
      'Approve for the token’s organization; scheduled once every organization involved approved',
    ),
    '/api/campaigns/{id}/reject': action('Reject with a reason', {
      type: 'object',
      required: ['reason'],
      properties: { reason: { type: 'string', maxLength: 500 } },
    }),
    '/api/campaigns/{id}/cancel': action('Cancel what is not yet published'),
    '/api/campaigns/{id}/pause': action('Pause a campaign', {
      type: 'object',
      properties: { reason: { type: 'string' } },
    }),
    '/api/campaigns/{id}/resume': action('Resume a paused campaign'),
    '/api/campaigns/{id}/audit': {
      get: {
        summary: 'Who did what and when, newest first',
        security: staff,
        parameters: [idParam],
        responses: {
          200: {
            description: 'Audit entries',
            ...json({
              type: 'object',
              properties: { items: { type: 'array', items: ref('AuditEntry') } },
            }),
          },
          404: error('Unknown campaign'),
          ...COMMON,
        },
      },
    },
    '/api/campaigns/audit': {
      get: {
        summary: 'Service-wide audit entries (pause and resume of everything)',
        security: staff,
        responses: {
          200: {
            description: 'Audit entries',
            ...json({
              type: 'object',
              properties: { items: { type: 'array', items: ref('AuditEntry') } },
            }),
          },
          ...COMMON,
        },
      },
    },
    '/api/campaigns/pause-all': {
      post: {
        summary: 'Emergency stop: pause every campaign',
        security: staff,
        requestBody: json({ type: 'object', properties: { reason: { type: 'string' } } }),
        responses: { 200: { description: 'Paused', ...json(ref('PauseAll')) }, ...COMMON },
      },
    },
    '/api/campaigns/resume-all': {
      post: {
        summary: 'Lift the emergency stop',
        security: staff,
        responses: { 200: { description: 'Resumed', ...json(ref('PauseAll')) }, ...COMMON },
      },
    },
    '/api/campaigns/credentials': {
      get: {
        summary: 'Each credentials entry (never its tokens) and every problem the pre-flight found',
        security: staff,
        responses: {
          200: { description: 'Entries and problems', ...json(ref('CredentialsStatus')) },
          ...COMMON,
        },
      },
    },
    '/api/campaigns/credentials/reload': {
      post: {
        summary: 'Read CAMPAIGN_CREDENTIALS_FILE again now (it is also re-read when it changes)',
        security: staff,
        responses: {
          200: {
            description: 'Reloaded; entries left out are listed by name',
            ...json({
              type: 'object',
              properties: {
                reloaded: { type: 'boolean' },
                changed: { type: 'boolean' },
                entries: { type: 'integer' },
                problems: { type: 'array', items: { type: 'object' } },
              },
            }),
          },
          422: error('The file cannot be read or is not JSON: the last good one is kept'),
          ...COMMON,
        },
      },
    },
    '/api/outbox': {
      get: {
        summary: 'What the outbox channel published, newest first',
        parameters: [
          { name: 'campaign', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 500 } },
          { name: 'offset', in: 'query', schema: { type: 'integer' } },
        ],
        responses: {
          200: {
            description: 'Published items',
            ...json({
              type: 'object',
              properties: {
                items: { type: 'array', items: ref('OutboxItem') },
                total: { type: 'integer' },
              },
            }),
          },
          503: error('Redis is unreachable'),
        },
      },
    },
  },
  schemas: {
    PostInput: {
      type: 'object',
      required: ['channel', 'account', 'publishAt', 'text'],
      properties: {
        channel: { enum: [...CHANNELS] },
        account: { enum: [...ACCOUNTS] },
        publishAt: time,
        text: bilingual,
        image: {
          type: 'object',
          required: ['url', 'alt'],
          properties: { url: { type: 'string' }, alt: bilingual },
        },
        repeat: {
          type: 'object',
          required: ['pattern'],
          properties: {
            pattern: { type: 'string', description: 'cron, five fields' },
            timeZone: { type: 'string', default: 'America/Toronto' },
            until: time,
            count: { type: 'integer' },
          },
        },
        partnerShare: {
          type: 'object',
          required: ['afterMinutes'],
          properties: { afterMinutes: { type: 'integer' }, text: bilingual },
        },
      },
    },
    CampaignInput: {
      type: 'object',
      required: ['title', 'posts'],
      properties: {
        title: { type: 'string', maxLength: 200 },
        posts: { type: 'array', minItems: 1, maxItems: 200, items: ref('PostInput') },
      },
    },
    CampaignEdit: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        posts: {
          type: 'array',
          items: {
            type: 'object',
            description: 'With id: the fields to change; without: a new post',
            properties: { id: { type: 'string' } },
          },
        },
      },
    },
    Post: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        status: {
          enum: ['draft', 'scheduled', 'paused', 'publishing', 'published', 'failed', 'cancelled'],
        },
        channel: { type: 'string' },
        account: { type: 'string' },
        organization: { type: 'string' },
        publishAt: { type: ['string', 'null'] },
        text: {},
        image: {},
        repeat: {},
        partnerShare: {},
        shareOf: { type: ['string', 'null'] },
        publishedAt: { type: ['string', 'null'] },
        latenessMs: { type: ['integer', 'null'] },
        attempts: { type: 'integer' },
        externalId: { type: ['string', 'null'] },
        externalIds: { type: 'object' },
        url: { type: ['string', 'null'] },
        error: {},
        credentials: {
          type: 'array',
          description:
            'What will stop this post: credentials missing, expired or not refreshable, of another account, or without a needed scope (empty once published, failed or cancelled)',
          items: ref('CredentialProblem'),
        },
      },
    },
    CredentialProblem: {
      type: 'object',
      required: ['code', 'entry', 'message'],
      properties: {
        code: {
          enum: [
            'credentials_missing',
            'token_expired',
            'token_expires',
            'token_refresh_failed',
            'token_invalid',
            'wrong_account',
            'account_unverified',
            'missing_scope',
            'entry_unknown_account',
            'entry_unknown_channel',
            'entry_unknown_language',
            'entry_bad_entry',
            'credentials_file_invalid',
          ],
        },
        entry: {
          type: 'string',
          description: 'The credentials file entry, e.g. service-canada.x.fr (never a secret)',
        },
        language: { enum: ['en', 'fr', null] },
        message: { type: 'string', description: 'In the request language' },
        firstDueAt: {
          type: ['string', 'null'],
          description: 'When the first post it stops is due',
        },
        since: { type: ['string', 'null'] },
      },
    },
    CredentialsStatus: {
      type: 'object',
      properties: {
        file: {
          type: 'object',
          properties: { configured: { type: 'boolean' }, error: { type: ['string', 'null'] } },
        },
        tokenStore: { enum: ['encrypted', 'off'] },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              entry: { type: 'string' },
              account: { type: 'string' },
              channel: { type: 'string' },
              language: { type: ['string', 'null'] },
              refreshable: { type: 'boolean' },
              expiresAt: { type: ['string', 'null'] },
              problems: { type: 'array', items: ref('CredentialProblem') },
            },
          },
        },
        problems: { type: 'array', items: ref('CredentialProblem') },
      },
    },
    Campaign: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        title: { type: 'string' },
        status: { enum: ['draft', 'scheduled', 'paused', 'completed', 'rejected', 'cancelled'] },
        paused: { type: 'boolean' },
        pausedAll: { type: 'boolean' },
        createdAt: { type: 'string' },
        approvals: { type: 'object' },
        rejection: {},
        posts: { type: 'array', items: ref('Post') },
        warnings: { type: 'array' },
      },
    },
    OutboxItem: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        campaignId: { type: 'string' },
        postId: { type: 'string' },
        account: { type: 'string' },
        language: { type: 'string' },
        text: { type: ['string', 'null'] },
        image: {},
        shareOf: {},
        scheduledAt: { type: 'string' },
        publishedAt: { type: 'string' },
      },
    },
    AuditEntry: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        at: { type: 'string' },
        action: { type: 'string' },
        campaignId: {},
        postId: {},
        actor: { type: 'object' },
        details: { type: 'object' },
        summary: { type: 'string' },
      },
    },
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            problems: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  path: { type: 'string' },
                  code: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
    PauseAll: {
      type: 'object',
      properties: {
        paused: { type: 'boolean' },
        changed: { type: 'boolean' },
        posts: { type: 'integer' },
      },
    },
  },
} as const;
