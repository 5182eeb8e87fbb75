import { CAMPAIGN_OPENAPI } from '../../campaigns/openapi';
import { staffPaths } from './insights';
import { lookupPaths } from './lookup';
import { messagesPaths } from './messages';
import { officePaths } from './offices';
import { OpenApiPaths } from './types';

const bilingual = { type: 'object', required: ['en', 'fr'], properties: { en: { type: 'string' }, fr: { type: 'string' } } };

const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
  },
  LookupResult: {
    type: 'object',
    required: ['id', 'kind', 'jurisdiction', 'name', 'deliveredBy', 'score', 'url'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string', enum: ['service', 'bundle'] },
      jurisdiction: { type: 'string', enum: ['federal', 'provincial', 'municipal', 'shared'] },
      name: { type: 'string' },
      deliveredBy: { type: 'string' },
      score: { type: 'number' },
      url: { type: ['string', 'null'] },
      answer: { type: 'string' },
      steps: { type: 'array', items: { type: 'object', properties: { service: { type: 'string' }, name: { type: 'string' }, jurisdiction: { type: 'string' } } } },
    },
  },
  LookupAnswer: {
    type: 'object',
    required: ['language', 'outOfScope', 'results'],
    properties: {
      language: { type: 'string', enum: ['en', 'fr'] },
      outOfScope: { type: 'boolean' },
      results: { type: 'array', items: { $ref: '#/components/schemas/LookupResult' } },
    },
  },
  KnowledgeRecord: {
    type: 'object',
    required: ['id', 'kind', 'jurisdiction', 'name', 'deliveredBy', 'answer', 'links', 'keywords'],
    properties: { id: { type: 'string' }, kind: { type: 'string' }, jurisdiction: { type: 'string' }, name: bilingual, deliveredBy: bilingual, answer: bilingual },
  },
};

/** Every /api endpoint's description: each route module contributes its own paths here. */
const PATHS: OpenApiPaths[] = [
  lookupPaths,
  staffPaths,
  CAMPAIGN_OPENAPI.paths,
  officePaths,
  messagesPaths,
  {
    '/api/openapi.json': { get: { summary: 'This document.', responses: { 200: { description: 'OpenAPI 3.1 document.' } } } },
  },
];

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ontario government-services assistant API',
      version: '1.0.0',
      description: 'Which government handles what, where to go, and coordinated cross-promotion campaigns. Errors are { "error": { "code", "message" } } in the request language.',
    },
    paths: Object.assign({}, ...PATHS),
    components: {
      schemas: { ...CAMPAIGN_OPENAPI.schemas, ...schemas },
      securitySchemes: { staffToken: { type: 'http', scheme: 'bearer', description: 'A staff token from npm run token.' } },
    },
  };
}
