/** The /api/insights answer: shared by the server and the insights page (types only, no imports). */
export interface Insights {
  from: string;
  to: string;
  totals: {
    questions: number;
    answered: number;
    outOfScope: number;
    fallback: number;
    disambiguation: number;
  };
  perDay: Array<{
    day: string;
    total: number;
    federal: number;
    provincial: number;
    municipal: number;
    shared: number;
    unanswered: number;
  }>;
  byLanguage: { en: number; fr: number };
  byChannel: Record<string, number>;
  byService: Array<{ id: string; name: string; jurisdiction: string; count: number }>;
  referrals: { online: number; office: number };
  unanswered: Array<{ text: string; language: string; count: number }>;
  areas: Array<{
    fsa: string;
    count: number;
    population: number | null;
    per10k: number | null;
    lat: number | null;
    lon: number | null;
  }>;
  populationImported: boolean;
}
