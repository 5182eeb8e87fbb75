import { errorResponse, langParameter, OpenApiPaths } from './types';

export const lookupPaths: OpenApiPaths = {
  '/api/lookup': {
    get: {
      summary:
        'Which government handles this? Ranked services and life events for a question in French or English.',
      parameters: [
        {
          name: 'q',
          in: 'query',
          required: true,
          description: 'The question, 1 to 500 characters.',
          schema: { type: 'string', minLength: 1, maxLength: 500 },
        },
        langParameter,
        {
          name: 'near',
          in: 'query',
          required: false,
          description:
            'Where the person is: a postal code or an Ontario town. Municipal answers then name their municipality.',
          schema: { type: 'string', minLength: 1, maxLength: 100 },
        },
      ],
      responses: {
        200: {
          description: 'Ranked answers, best first.',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/LookupAnswer' } },
          },
        },
        400: errorResponse('Missing, empty or too long q; unknown lang; empty or too long near.'),
      },
    },
  },
  '/api/services/{id}': {
    get: {
      summary: 'The whole bilingual knowledge record of a service or life event.',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        langParameter,
      ],
      responses: {
        200: {
          description: 'The record.',
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/KnowledgeRecord' } },
          },
        },
        400: errorResponse('Unknown lang.'),
        404: errorResponse('No record has this id.'),
      },
    },
  },
};
