// The import pages' words for each problem a row can have (issue 13, defect 8): a short label and a sentence for the
// person loading the file, never the problem's code ('date-two-digit-year'), which the API, the CLI and the database
// keep. A code with no words here (a new module's own) is shown as words made from it, never as the code.

/** Each problem's label ("Year with two digits") and what it means, in plain English. */
export const PROBLEM_WORDS: Record<string, { label: string; description: string }> = {
  'not-text': { label: 'Not text or a number', description: 'The cell holds something other than text or a number.' },
  'postcode-invalid': { label: 'Postcode not valid', description: 'Not a valid UK postcode.' },
  'uprn-scientific-notation': { label: 'UPRN spoilt by a spreadsheet', description: 'The spreadsheet showed the UPRN as a rounded number (like 1.23E+11), so digits are lost. Export the column as text.' },
  'uprn-not-integer': { label: 'UPRN with a fraction', description: 'A UPRN is a whole number.' },
  'uprn-leading-zero': { label: 'UPRN starting with 0', description: 'Real UPRNs never start with 0.' },
  'uprn-too-long': { label: 'UPRN too long', description: 'A UPRN has at most 12 digits.' },
  'uprn-not-digits': { label: 'UPRN with letters or symbols', description: 'A UPRN is digits only.' },
  'name-control-characters': { label: 'Name with hidden characters', description: 'The name holds tabs, line breaks or other characters you cannot see.' },
  'name-digits': { label: 'Name with numbers', description: 'The name holds digits.' },
  'name-no-letters': { label: 'Name with no letters', description: 'The name has no letters at all.' },
  'name-placeholder': { label: 'Name not given', description: 'A word such as "Unknown" or "N/A" instead of a name.' },
  'name-too-long': { label: 'Name too long', description: 'A name longer than 200 characters.' },
  'name-blank': { label: 'Name missing', description: 'The name is empty, or is not a name.' },
  'name-not-split': { label: 'Name to check', description: 'Hearth could not tell the parts of the name apart (title, first name, last name). It is loaded as written.' },
  'date-format-unresolved': { label: 'Date format not chosen', description: 'How the column’s dates are written was not settled. Choose it when you check the columns.' },
  'date-wrong-format': { label: 'Date written differently', description: 'The date is not written like the rest of its column.' },
  'date-two-digit-year': { label: 'Year with two digits', description: 'The year has two digits, so the century is not known. Export the dates with four-digit years.' },
  'date-impossible': { label: 'Date that does not exist', description: 'A date that is not in the calendar, such as 31/02/2020.' },
  'date-out-of-range': { label: 'Year too early or too late', description: 'A year before 1800 or after 2199.' },
  'date-excel-1900-bug': { label: 'Date that does not exist', description: 'Excel’s 29 February 1900, a day that never existed.' },
  'date-excel-serial-range': { label: 'Excel date number too small', description: 'An Excel date number below 1 is not a date.' },
  'date-two-readings': { label: 'Date that reads two ways', description: 'A date like 05/06/1980 could be 5 June or 6 May. It is loaded the way most of the column is written; check it.' },
  'date-incomplete': { label: 'Part of a date missing', description: 'The date is given in day, month and year columns, and one or two of them are empty.' },
  'phone-scientific-notation': { label: 'Phone number spoilt by a spreadsheet', description: 'The spreadsheet showed the number as a rounded number (like 7.7E+09), so digits are lost. Export the column as text.' },
  'phone-several': { label: 'More than one phone number', description: 'A cell should hold one phone number. Put each in its own column.' },
  'phone-invalid': { label: 'Not a phone number', description: 'The value is not a phone number.' },
  'phone-wrong-length': { label: 'Phone number the wrong length', description: 'Too many or too few digits for a phone number.' },
  'phone-unallocated': { label: 'Phone number not in use', description: 'No phone number in use starts like this: a digit may be missing, extra or wrong.' },
  'email-several': { label: 'More than one email address', description: 'A cell should hold one email address.' },
  'email-invalid': { label: 'Not an email address', description: 'The value is not an email address.' },
  'email-too-long': { label: 'Email address too long', description: 'Longer than 254 characters, the most an email address can have.' },
  'row-malformed': { label: 'Row with the wrong number of cells', description: 'The row has more or fewer cells than there are columns, usually a stray comma or quote mark.' },
  'row-empty': { label: 'Empty row', description: 'Every cell of the row is empty.' },
  'nul-character': { label: 'Value with a blank character', description: 'The value holds an invisible "null" character that cannot be stored. It is shown as ␀ in the download.' },
  'integer-invalid': { label: 'Not a whole number', description: 'The value should be a whole number.' },
  'number-invalid': { label: 'Not a number', description: 'The value should be a number.' },
  'required-missing': { label: 'Required value missing', description: 'A value the record cannot exist without is empty.' },
  'code-unknown': { label: 'Value Hearth does not recognise', description: 'A value that is not one of the choices Hearth knows for the field.' },
  'code-conflict': { label: 'Values that contradict each other', description: 'Two values disagree, such as an alert’s category and its type.' },
  'value-out-of-range': { label: 'Number out of range', description: 'A number too big or too small to make sense for the field.' },
  'home-not-matched': { label: 'Home not found', description: 'The home it names (by reference, UPRN or address) matches no home, or more than one.' },
  'person-not-matched': { label: 'Person not found', description: 'The person it names matches no person loaded from this system.' },
  'tenancy-not-matched': { label: 'Tenancy not found', description: 'The tenancy it names matches no tenancy.' },
  'duplicate-in-file': { label: 'Record repeated in the file', description: 'The same record appears earlier in the file. Only the first is loaded.' },
  'conflict-in-file': { label: 'Rows that disagree', description: 'Rows about the same record give different values for something they share, such as a tenancy’s start date.' },
  'block-not-placed': { label: 'Block to check', description: 'A block named without a postcode, street or estate to tell it apart from other buildings with the same name. It is kept apart, to be checked.' },
};

/** The words for a problem: its label and description, or words made from an unknown code ("Name blank"). */
export function problemWords(code: string): { label: string; description: string | null } {
  const known = PROBLEM_WORDS[code];
  if (known) return known;
  const words = code.replace(/[-_]+/g, ' ').trim();
  return { label: words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Other problem', description: null };
}
