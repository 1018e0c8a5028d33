// What every GOV.UK form page needs: the error summary's items, and each field's own message from them. The one
// declaration of an error item: forms (define.ts), journeys and pages that turn a service's refusal into one use it.

/** One item of the GOV.UK error summary: the message and the id of the field it is about (`#field`). */
export type ErrorItem = { text: string; href: string };

/** Each field's first error message, by field id, for the `errorMessage` of its component. */
export function errorLookup(errors: readonly ErrorItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) out[e.href.slice(1)] ??= e.text;
  return out;
}

/** What a view needs to show errors: `errors` for govukErrorSummary, `errorFor` for each field's errorMessage. */
export function errorView(errors: readonly ErrorItem[]): { errors: ErrorItem[]; errorFor: Record<string, string> } {
  return { errors: [...errors], errorFor: errorLookup(errors) };
}
