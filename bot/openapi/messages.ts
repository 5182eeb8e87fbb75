import { errorResponse, OpenApiPaths } from './types';

export const messagesPaths: OpenApiPaths = {
  '/api/messages': {
    post: {
      summary:
        'The bot (Bot Framework protocol): an activity in; with deliveryMode "expectReplies" the replies come back in the body. Anonymous without MicrosoftAppId, otherwise a valid Bot Framework JWT is required. Events the bot reads: "location" with value { lat, lon } (offices near it) and "setLanguage" with value "en" or "fr" (the explicit language preference, no reply).',
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['type'],
              properties: {
                type: { type: 'string' },
                text: { type: 'string' },
                name: { type: 'string' },
                value: {},
                deliveryMode: { type: 'string', enum: ['normal', 'expectReplies'] },
                locale: { type: 'string' },
              },
            },
          },
        },
      },
      responses: {
        200: { description: 'Processed; with expectReplies: { activities: [ … ] }.' },
        400: errorResponse('Not a valid activity (the field is named).'),
        401: errorResponse('Missing or invalid Bot Framework token (when MicrosoftAppId is set).'),
        413: errorResponse('Body too large.'),
        429: errorResponse('Too many turns for this conversation or client.'),
      },
    },
  },
};
