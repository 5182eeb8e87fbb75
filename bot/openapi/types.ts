/** An OpenAPI 3.1 paths object fragment: each route module describes its own endpoints. */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const langParameter = {
  name: 'lang',
  in: 'query',
  required: false,
  description:
    'Answer language; without it the language of the question (or Accept-Language) is used.',
  schema: { type: 'string', enum: ['en', 'fr'] },
};

export const bearerSecurity = [{ staffToken: [] }];
