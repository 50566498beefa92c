import { Injectable } from '@nestjs/common';
import { type MandateTerms, UsageEventsRepository } from './usage-events.repository.js';

/** A bound on process memory; a cleared cache only costs a reload. */
const MAX_CACHED = 200_000;

/**
 * Mandate terms that never change once a mandate is granted (payer, currency, payees), cached in memory so a
 * batch does not read hundreds of mandate rows before it is rated. Whether a mandate may still be charged
 * (status, expiry, limits) is never cached: the mandates module decides that under its locks.
 */
@Injectable()
export class MandateTermsCache {
  private readonly terms = new Map<string, MandateTerms>();

  constructor(private readonly repository: UsageEventsRepository) {}

  async get(ids: string[]): Promise<Map<string, MandateTerms>> {
    const found = new Map<string, MandateTerms>();
    const missing: string[] = [];
    for (const id of ids) {
      const cached = this.terms.get(id);
      if (cached) found.set(id, cached);
      else missing.push(id);
    }
    if (missing.length > 0) {
      if (this.terms.size + missing.length > MAX_CACHED) this.terms.clear();
      for (const terms of await this.repository.mandateTerms(missing)) {
        this.terms.set(terms.id, terms);
        found.set(terms.id, terms);
      }
    }
    return found;
  }
}
