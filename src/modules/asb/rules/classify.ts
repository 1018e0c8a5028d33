// Classifying a case: the priority it takes from its categories (or an officer's override, with a reason), and whether
// it is a hate case.
//
// A hate incident is any incident the victim or anyone else thinks was caused by hostility or prejudice against a
// protected characteristic. So a case is a hate case when one of its categories is a hate category OR a protected
// characteristic is recorded against it: an officer who records noise with racist abuse has recorded a hate incident,
// whichever category they chose.
import type { AsbCategory, AsbPriority, AsbSettings } from './settings.ts';

type Classification = Pick<AsbSettings, 'priorities' | 'categories'>;

export interface PriorityOverride {
  /** The priority's code the officer chose. */
  priority: string;
  /** Why: required, and kept with the case. */
  reason: string;
}

export interface CasePriority {
  /** The priority's code. */
  priority: string;
  label: string;
  /** Where it came from: the case's categories, or an officer's override. */
  from: 'categories' | 'override';
  /** The codes of the case's categories whose own priority this is, in the order given (none when overridden to a priority none of them has). */
  categories: string[];
  /** The officer's reason, when overridden. */
  reason?: string;
  /** In words, for the case page. */
  words: string;
}

function priorityOf(settings: Pick<AsbSettings, 'priorities'>, code: string): AsbPriority {
  const p = settings.priorities.find((x) => x.code === code);
  if (!p) throw new RangeError(`not a priority in these ASB settings: ${JSON.stringify(code)}`);
  return p;
}

function categoriesOf(settings: Pick<AsbSettings, 'categories'>, codes: readonly string[]): AsbCategory[] {
  return [...new Set(codes)].map((code) => {
    const c = settings.categories.find((x) => x.code === code);
    if (!c) throw new RangeError(`not a category in these ASB settings: ${JSON.stringify(code)}`);
    return c;
  });
}

const listWords = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * The priority of a case: the most serious (lowest rank) of its categories' priorities; or, when an officer has
 * re-prioritised it, the override, which must give a reason. Categories that share the winning priority are all named,
 * in the order given. Throws on an unknown category or priority, on no categories, and on an override without a reason.
 */
export function casePriority(settings: Classification, categoryCodes: readonly string[], override?: PriorityOverride): CasePriority {
  const categories = categoriesOf(settings, categoryCodes);
  if (categories.length === 0) throw new RangeError('a case needs at least one category');
  const ranked = categories.map((c) => ({ category: c, priority: priorityOf(settings, c.priority) }));
  const top = ranked.reduce((best, x) => (x.priority.rank < best.priority.rank ? x : best)).priority;

  if (override) {
    const reason = override.reason.trim();
    if (!reason) throw new RangeError('a change of priority needs a reason');
    const chosen = priorityOf(settings, override.priority);
    const sharing = ranked.filter((x) => x.priority.code === chosen.code).map((x) => x.category.code);
    const words = chosen.code === top.code
      ? `${chosen.label}, confirmed by an officer: ${reason}`
      : `${chosen.label}, changed from ${top.label}: ${reason}`;
    return { priority: chosen.code, label: chosen.label, from: 'override', categories: sharing, reason, words };
  }

  const setting = ranked.filter((x) => x.priority.code === top.code).map((x) => x.category);
  const noun = setting.length === 1 ? 'category' : 'categories';
  return {
    priority: top.code, label: top.label, from: 'categories', categories: setting.map((c) => c.code),
    words: `${top.label}, from its ${noun} ${listWords(setting.map((c) => c.label))}`,
  };
}

/**
 * Whether a case is a hate case (TSM NM01 counts these apart): one of its categories is a hate category, or a
 * protected characteristic is recorded against it. Throws on an unknown category.
 */
export function isHateCase(settings: Pick<AsbSettings, 'categories'>, categoryCodes: readonly string[], characteristicCodes: readonly string[] = []): boolean {
  return characteristicCodes.length > 0 || categoriesOf(settings, categoryCodes).some((c) => c.hate === true);
}

/**
 * What is wrong with how a case records hate, in words for the officer: a characteristic that is not one of the
 * landlord's, or a hate category with no characteristic (what the hostility was about must be recorded).
 */
export function hateRecordingProblems(settings: Pick<AsbSettings, 'categories' | 'protectedCharacteristics'>, categoryCodes: readonly string[], characteristicCodes: readonly string[]): string[] {
  const known = new Set(settings.protectedCharacteristics.map((c) => c.code));
  const problems = [...new Set(characteristicCodes)].filter((c) => !known.has(c)).map((c) => `"${c}" is not one of the protected characteristics`);
  const hateCategories = categoriesOf(settings, categoryCodes).filter((c) => c.hate === true);
  if (hateCategories.length > 0 && characteristicCodes.length === 0) {
    problems.push(`Say which protected characteristic the hostility was about: this case is a ${hateCategories[0]!.label.toLowerCase()}`);
  }
  return problems;
}
