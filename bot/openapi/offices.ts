import { bearerSecurity, errorResponse, langParameter, OpenApiPaths } from './types';

const near = {
  name: 'near',
  in: 'query',
  required: true,
  description:
    'A postal code (full or its first three characters; Ontario areas from a checked table), an Ontario place name (English or French, accents optional), or LAT,LON. A place outside Ontario (beyond 50 km of it) or a name shared with a much larger place elsewhere ("Richmond") is refused with 400 outside_ontario or ambiguous_place, listing what was understood in error.understood.',
  schema: { type: 'string' },
};
const limit = (max: number) => ({
  name: 'limit',
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: 1, maximum: max },
});
const officeId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const staffErrors = {
  401: errorResponse('No, unknown or expired token.'),
  403: errorResponse('Not role office, or another organization’s office.'),
};
const bilingual = {
  type: 'object',
  required: ['en', 'fr'],
  properties: { en: { type: 'string' }, fr: { type: 'string' } },
};
const json = (schema: object) => ({ content: { 'application/json': { schema } } });

export const officePaths: OpenApiPaths = {
  '/api/offices/nearest': {
    get: {
      summary:
        'The online service first, then the offices that deliver a service and will see the person soonest (travel estimate plus the current, predicted or typical wait).',
      parameters: [
        { name: 'service', in: 'query', required: true, schema: { type: 'string' } },
        near,
        limit(20),
        langParameter,
      ],
      responses: {
        200: {
          description:
            "{ origin, online, offices: [ { id, name, organization, address (street, town, ON, postal code), building, postalCode, lat, lon, approximateLocation, placement (address | postal-code | postal-area | neighbourhood | town | community), distanceKm, openNow, hoursToday, hoursTypical, notice, waitMinutes, waitObservedAt, waitStale, waitSource, estimatedMinutes, … } ], excluded, outreach, outreachSites: [ { id, name, organization, address, distanceKm, url, message } ] (outreach sites within 25 km, nearer than every office, with no visit date known: whom to ask for the next visit), remote: { code, message } | null (the nearest office is over 150 km away from a person in the north: the driving time is a road estimate), notInPerson, serviceNote (only some offices deliver it: a name change, certificates), sameTown: [ { town, officeIds } ] (offices placed at their town's centre: listed by wait, not distance) }",
        },
        400: errorResponse(
          'Unknown service; near unplaceable (unplaceable, unknown_postal_code), ambiguous (ambiguous_place) or outside Ontario (outside_ontario, outside_canada); bad limit or lang.',
        ),
      },
    },
  },
  '/api/offices/{id}': {
    get: {
      summary:
        'One office: organization, type, names, address, hours, holidays, services, languages, accessibility.',
      parameters: [officeId, langParameter],
      responses: { 200: { description: 'The office.' }, 404: errorResponse('Unknown office.') },
    },
  },
  '/api/offices/{id}/wait': {
    put: {
      summary:
        'Report the current wait at an office (role office, own organization), optionally for one service.',
      security: bearerSecurity,
      parameters: [officeId],
      requestBody: json({
        type: 'object',
        required: ['minutes'],
        properties: {
          minutes: { type: 'integer', minimum: 0, maximum: 1440 },
          observedAt: { type: 'string', format: 'date-time' },
          service: { type: 'string' },
        },
        additionalProperties: false,
      }),
      responses: {
        204: { description: 'Recorded.' },
        400: errorResponse('Bad minutes, time or service.'),
        404: errorResponse('Unknown office.'),
        ...staffErrors,
      },
    },
  },
  '/api/offices/{id}/waits': {
    get: {
      summary: 'The history of wait reports for an office (role office).',
      security: bearerSecurity,
      parameters: [officeId, limit(500)],
      responses: {
        200: { description: 'Reports, newest first.' },
        404: errorResponse('Unknown office.'),
        ...staffErrors,
      },
    },
  },
  '/api/outreach': {
    get: {
      summary:
        'Upcoming scheduled outreach visits near a place (remote and First Nations communities included).',
      parameters: [
        near,
        { name: 'service', in: 'query', required: false, schema: { type: 'string' } },
        limit(100),
        { name: 'days', in: 'query', required: false, schema: { type: 'integer', maximum: 731 } },
        {
          name: 'radiusKm',
          in: 'query',
          required: false,
          schema: { type: 'integer', maximum: 2000 },
        },
        langParameter,
      ],
      responses: {
        200: { description: 'Visits, soonest first.' },
        400: errorResponse('Unplaceable near or bad parameter.'),
      },
    },
  },
  '/api/outreach/visits': {
    post: {
      summary: 'Schedule an outreach visit at a site (role office).',
      security: bearerSecurity,
      requestBody: json({
        type: 'object',
        required: ['site', 'date', 'start', 'end'],
        properties: {
          site: { type: 'string' },
          date: { type: 'string', format: 'date' },
          start: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
          end: { type: 'string' },
          services: { type: 'array', items: { type: 'string' } },
          note: bilingual,
        },
        additionalProperties: false,
      }),
      responses: {
        201: { description: 'The visit.' },
        400: errorResponse('A field is missing or wrong (named).'),
        409: errorResponse('The same visit is already scheduled.'),
        ...staffErrors,
      },
    },
  },
  '/api/outreach/visits/{id}': {
    delete: {
      summary: 'Cancel an outreach visit (role office).',
      security: bearerSecurity,
      parameters: [officeId],
      responses: {
        204: { description: 'Cancelled.' },
        404: errorResponse('Unknown visit.'),
        ...staffErrors,
      },
    },
  },
  '/api/closures': {
    get: {
      summary:
        'Current and upcoming emergency closures (office or area), with their reasons in both languages.',
      parameters: [langParameter],
      responses: { 200: { description: 'Closures.' } },
    },
    post: {
      summary:
        'Close an office or an area until a time, with a reason in both languages (role office). Closed offices leave the ranking, with the reason.',
      security: bearerSecurity,
      requestBody: json({
        type: 'object',
        required: ['reason'],
        properties: {
          office: { type: 'string' },
          area: {
            type: 'object',
            properties: {
              near: { type: 'string' },
              lat: { type: 'number' },
              lon: { type: 'number' },
              radiusKm: { type: 'number' },
            },
          },
          reason: bilingual,
          from: { type: 'string', format: 'date-time' },
          until: { type: 'string', format: 'date-time' },
        },
        additionalProperties: false,
      }),
      responses: {
        201: { description: 'The closure.' },
        400: errorResponse('A field is missing or wrong (named).'),
        ...staffErrors,
      },
    },
  },
  '/api/closures/{id}': {
    delete: {
      summary: 'End a closure (role office).',
      security: bearerSecurity,
      parameters: [officeId],
      responses: {
        204: { description: 'Ended.' },
        404: errorResponse('Unknown closure.'),
        ...staffErrors,
      },
    },
  },
};
