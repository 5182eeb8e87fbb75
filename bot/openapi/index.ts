import { CAMPAIGN_OPENAPI } from '../../campaigns/openapi';
import { staffPaths } from './insights';
import { lookupPaths } from './lookup';
import { messagesPaths } from './messages';
import { officePaths } from './offices';
import { OpenApiPaths } from './types';

const bilingual = {
  type: 'object',
  required: ['en', 'fr'],
  properties: { en: { type: 'string' }, fr: { type: 'string' } },
};

const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string' }, message: { type: 'string' } },
      },
    },
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
      contacts: {
        type: 'array',
        description: 'Phone lines, the most useful first (municipal services: see municipality).',
        items: { $ref: '#/components/schemas/Contact' },
      },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            service: { type: 'string' },
            name: { type: 'string' },
            jurisdiction: { type: 'string' },
          },
        },
      },
    },
  },
  Contact: {
    type: 'object',
    required: ['id', 'name', 'phone', 'hours'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      phone: {
        type: 'string',
        description: 'As dialled in Ontario: 811, 1-800-622-6232, 416-314-5518.',
      },
      phoneFr: { type: 'string', description: 'The French line, where it has its own number.' },
      tty: { type: 'string' },
      outsideCanada: { type: 'string' },
      hours: { type: 'string' },
      note: { type: 'string' },
    },
  },
  Municipality: {
    type: ['object', 'null'],
    required: ['id', 'name', 'website', 'tier', 'area', 'line', 'alternatives'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      website: { type: ['string', 'null'] },
      tier: {
        type: 'string',
        enum: ['single', 'lower'],
        description: 'Lower-tier municipalities share services with their county or region (area).',
      },
      area: { type: 'string' },
      line: {
        type: ['object', 'null'],
        properties: {
          phone: { type: 'string' },
          is311: { type: 'boolean' },
          fromOutside: { type: 'string' },
          hours: { type: 'string' },
        },
      },
      alternatives: {
        type: 'array',
        items: { type: 'string' },
        description: 'Other municipalities the postal area spans.',
      },
      matched: { type: 'string' },
    },
  },
  LookupAnswer: {
    type: 'object',
    required: ['language', 'outOfScope', 'results'],
    properties: {
      language: { type: 'string', enum: ['en', 'fr'] },
      outOfScope: { type: 'boolean' },
      confident: {
        type: 'boolean',
        description:
          'In scope and sure of results[0]. When false and in scope, results is empty: see suggestions, federalServices and whoToAsk.',
      },
      results: { type: 'array', items: { $ref: '#/components/schemas/LookupResult' } },
      contactRequest: {
        type: 'boolean',
        description: "The question asks for a phone number: lead with the results' contacts.",
      },
      suggestions: {
        type: 'array',
        description: 'Not sure: the closest records, to offer as choices.',
        items: { $ref: '#/components/schemas/LookupResult' },
      },
      federalServices: {
        type: 'array',
        description:
          'Not sure: matching federal services of the Government of Canada Service Inventory (less detailed, as of its year).',
        items: {
          type: 'object',
          required: ['id', 'jurisdiction', 'name', 'department', 'url', 'asOf'],
          properties: {
            id: { type: 'string' },
            jurisdiction: { type: 'string', enum: ['federal'] },
            name: { type: 'string' },
            department: { type: 'string' },
            url: { type: ['string', 'null'] },
            asOf: { type: 'string' },
          },
        },
      },
      bodies: {
        type: 'array',
        description:
          "Not sure: government bodies (agencies, regulators, tribunals, ombudsmen, Crown corporations) of the project's directory that handle what was asked; less detailed than a record, with the day their facts were checked.",
        items: {
          type: 'object',
          required: ['id', 'jurisdiction', 'name', 'about', 'url', 'phone', 'hours', 'checked'],
          properties: {
            id: { type: 'string' },
            jurisdiction: { type: 'string', enum: ['provincial', 'federal'] },
            name: { type: 'string' },
            about: { type: 'string' },
            url: { type: 'string' },
            phone: { type: ['string', 'null'] },
            hours: { type: ['string', 'null'] },
            checked: { type: 'string' },
          },
        },
      },
      whoToAsk: {
        type: ['object', 'null'],
        description: 'Not sure: the likely government (null when unclear) and who to call.',
        properties: {
          jurisdiction: {
            type: ['string', 'null'],
            enum: ['federal', 'provincial', 'municipal', null],
          },
          contacts: { type: 'array', items: { $ref: '#/components/schemas/Contact' } },
          municipality: { $ref: '#/components/schemas/Municipality' },
        },
      },
      municipality: { $ref: '#/components/schemas/Municipality' },
    },
  },
  KnowledgeRecord: {
    type: 'object',
    required: ['id', 'kind', 'jurisdiction', 'name', 'deliveredBy', 'answer', 'links', 'keywords'],
    properties: {
      id: { type: 'string' },
      kind: { type: 'string' },
      jurisdiction: { type: 'string' },
      name: bilingual,
      deliveredBy: bilingual,
      answer: bilingual,
    },
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
    '/api/openapi.json': {
      get: {
        summary: 'This document.',
        responses: { 200: { description: 'OpenAPI 3.1 document.' } },
      },
    },
  },
];

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Ontario government-services assistant API',
      version: '1.0.0',
      description:
        'Which government handles what, where to go, and coordinated cross-promotion campaigns. Errors are { "error": { "code", "message" } } in the request language.',
    },
    paths: Object.assign({}, ...PATHS),
    components: {
      schemas: { ...CAMPAIGN_OPENAPI.schemas, ...schemas },
      securitySchemes: {
        staffToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A staff token from npm run token.',
        },
      },
    },
  };
}
