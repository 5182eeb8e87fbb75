import { bearerSecurity, errorResponse, langParameter, OpenApiPaths } from './types';

const period = [
  {
    name: 'from',
    in: 'query',
    required: false,
    description: 'First Toronto day, YYYY-MM-DD (default: 29 days before to).',
    schema: { type: 'string', format: 'date' },
  },
  {
    name: 'to',
    in: 'query',
    required: false,
    description: 'Last Toronto day, YYYY-MM-DD (default: today).',
    schema: { type: 'string', format: 'date' },
  },
  langParameter,
];
const staffErrors = {
  401: errorResponse('No, unknown or expired token.'),
  403: errorResponse('The token’s role may not do this.'),
};

export const staffPaths: OpenApiPaths = {
  '/api/me': {
    get: {
      summary: 'The role and organization of a staff token.',
      security: bearerSecurity,
      responses: { 200: { description: '{ role, org, label }' }, ...staffErrors },
    },
  },
  '/api/insights': {
    get: {
      summary:
        'Managers’ measures for a period: questions per day by jurisdiction, language and channel, top services, referrals, unanswered questions (redacted), demand by postal area per 10,000 residents. Role admin.',
      security: bearerSecurity,
      parameters: period,
      responses: {
        200: { description: 'The measures.' },
        400: errorResponse('Bad date or period.'),
        ...staffErrors,
      },
    },
  },
  '/api/insights/export.csv': {
    get: {
      summary: 'One table of the measures as CSV (daily, services, unanswered, areas). Role admin.',
      security: bearerSecurity,
      parameters: [
        ...period,
        {
          name: 'table',
          in: 'query',
          required: false,
          schema: { type: 'string', enum: ['daily', 'services', 'unanswered', 'areas'] },
        },
      ],
      responses: {
        200: { description: 'CSV', content: { 'text/csv': {} } },
        400: errorResponse('Bad date, period or table.'),
        ...staffErrors,
      },
    },
  },
};
