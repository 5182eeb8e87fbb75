import { KnowledgeRepository } from './repository';
import { Recognizer } from './nlu/recognizer';
import { Jurisdiction, KnowledgeRecord, Language } from './schema';

export interface LookupStep {
  service: string;
  name: string;
  jurisdiction: Jurisdiction;
}

export interface LookupResult {
  id: string;
  kind: 'service' | 'bundle';
  jurisdiction: Jurisdiction;
  name: string;
  deliveredBy: string;
  score: number;
  url: string | null;
  /** The short answer: which government handles it and how to get it. */
  answer: string;
  /** Bundles only: the steps in order, with each step's government. */
  steps?: LookupStep[];
}

/** The answer model shared by the API, the bot and the agent console (plain data, no channel types). */
export interface LookupAnswer {
  language: Language;
  outOfScope: boolean;
  results: LookupResult[];
}

export function toResult(record: KnowledgeRecord, score: number, lang: Language, repo: KnowledgeRepository): LookupResult {
  const result: LookupResult = {
    id: record.id,
    kind: record.kind,
    jurisdiction: record.jurisdiction,
    name: record.name[lang],
    deliveredBy: record.deliveredBy[lang],
    score: Math.round(score * 1000) / 1000,
    url: record.links[0]?.url[lang] ?? null,
    answer: record.answer[lang],
  };
  if (record.kind === 'bundle') {
    result.steps = record.steps.map((s) => {
      const step = repo.get(s.service) as KnowledgeRecord;
      return { service: s.service, name: step.name[lang], jurisdiction: step.jurisdiction };
    });
  }
  return result;
}

/** Understands a question and returns the ranked records in the answer language. */
export async function lookup(
  deps: { recognizer: Recognizer; repo: KnowledgeRepository; maxResults: number },
  question: string,
  lang?: Language,
): Promise<LookupAnswer> {
  const r = await deps.recognizer.recognize(question, lang);
  const results: LookupResult[] = [];
  for (const hit of r.results.slice(0, deps.maxResults)) {
    const record = deps.repo.get(hit.id);
    if (record) results.push(toResult(record, hit.score, r.language, deps.repo));
  }
  return { language: r.language, outOfScope: r.outOfScope, results };
}
