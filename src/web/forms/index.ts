// The forms layer for GOV.UK pages (docs/decisions/0020-forms.md): what module pages import to read a posted form,
// show its errors, keep a form from writing twice and run a multi-step journey.
export { errorLookup, errorView, type ErrorItem } from './errors.ts';
export { defineForm, DateInput, TimeInput, Untrimmed, type FieldMessages, type Form, type FormResult } from './define.ts';
export { dateParts, parseDateParts, parseTime, readDateInput, type DatePart, type DateWhen } from './dates.ts';
export { FormTokens, formTokens, formTokenFor, oncePerFormToken, postedFormToken, tokenSession, type OnceResult } from './tokens.ts';
export { journey, step, type Answers, type JourneyDefinition, type JourneyStep } from './journey.ts';
