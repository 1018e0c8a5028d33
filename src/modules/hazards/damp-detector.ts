// Damp and mould detector for free text (repair descriptions, resident reports, surveyor notes). Pure, no I/O.
//
// How it works:
//   1. Candidate phrases are found with word-bounded regexes (plus a small edit-distance match for long words that
//      people misspell: condensation, mildew, dampness). Each candidate has a kind.
//   2. Other meanings are dropped: damp proof course / membrane, damp cloth / mop / washing, mouldings / moulded
//      (the regex never matches -ing / -ed), door / flue / fire damper, boiler condensate and "condensation pipe".
//   3. Negation is scoped to the clause: a cue ("no", "not", "without", "free of", "n't", ...) negates a candidate only
//      when every word between them is filler ("any", "signs", "of", "visible", other damp words, list commas ...). So
//      "no damp but black mould" still flags the mould, and "no damp, mould or condensation" negates all three.
//      Cues after the phrase count too ("damp: none", "mould not found", "checked for damp, all clear").
//   4. Decision (documented): prevention and hypotheticals are not a sign. "anti-mould paint", "mould-resistant",
//      "to prevent condensation", "if you notice any mould", "risk of damp", "damp and mould leaflet" do not flag on
//      their own. A record of treatment ("mould washed down", "mould treated") does flag: mould was there.
//      A damp survey / inspection / check flags unless it is cleared ("damp check: no issues").
//      A leak alone is not damp; wet walls / ceiling, tide marks, water running down walls or windows are.

export type DampKind = 'damp' | 'mould' | 'condensation' | 'leak-damp' | 'smell' | 'rot';

export interface DampEvidence {
  phrase: string;
  start: number;
  end: number;
  kind: DampKind;
}

export interface DampResult {
  flagged: boolean;
  evidence: DampEvidence[];
}

interface Candidate {
  start: number;
  end: number;
  kind: DampKind;
  neutral: boolean;
}

const MOULD_WORD = String.raw`(?:mould|mold|muold|moold|mowld|moudl|moud|mouldd|molud)(?:s|y|ey|ie|ies|iness)?`;
const DAMP_WORD = String.raw`(?:da+m+p+|dmap)(?:n+e+s+|nss|y|ey|ish)?`;
const SURFACE = String.raw`(?:walls?|plaster|wallpaper|ceilings?|skirting(?:\s+boards?)?|corners?|chimney\s+breast)`;
const WINDOW = String.raw`(?:windows?|glass|window\s?sills?|sills?|panes?|frames?)`;

interface Pattern {
  re: RegExp;
  kind: DampKind;
  /** Return true if this match is another meaning or a prevention product, not a sign (text: as written, for its case). */
  neutral?: (lower: string, start: number, end: number, text: string) => boolean;
}

const after = (lower: string, end: number, n = 40) => lower.slice(end, end + n);
const before = (lower: string, start: number, n = 40) => lower.slice(Math.max(0, start - n), start);

/**
 * Mold, the town in Flintshire (and its roads): "Mold" written with a capital, after "in", "to", "from", "near", "at"
 * or "via", or before its county, postcode area or a street word. Mould on food is not a sign about the home either
 * (see the pattern below); mould on the home's surfaces, furniture or clothes is.
 */
function moldThePlace(lower: string, start: number, end: number, text: string): boolean {
  if (text.slice(start, end) !== 'Mold') return false;
  return /\b(?:in|to|from|near|at|via)\s+$/.test(before(lower, start, 8))
    || /^\s*,?\s*(?:flintshire|clwyd|north\s+wales|ch7|road|rd|street|st|town|station|high\s+street|cross)\b/.test(after(lower, end, 24));
}

const PATTERNS: Pattern[] = [
  {
    re: new RegExp(String.raw`\b(?:(?:black|green|grey|gray|white|blue|pink|orange|brown)\s+)?${MOULD_WORD}(?:\s+(?:growth|growing|spores?|patch(?:es)?|spots?|build-?up|infestation))?\b`, 'g'),
    kind: 'mould',
    neutral: (l, s, e, text) => /(?:^|\W)anti\s*-?\s*$/.test(before(l, s, 8)) || /^\s*-?\s*(?:resist\w*|inhibit\w*|proof\w*|repel\w*)/.test(after(l, e))
      || moldThePlace(l, s, e, text) || /^mou?ldy\s+(?:bread|food|fruit|cheese|veg\w*|sandwich\w*|leftovers|milk|yogh?urt)\b/.test(l.slice(s, e + 12)),
  },
  {
    re: new RegExp(String.raw`\b(?:(?:rising|penetrating|lateral|severe|excessive|persistent)\s+)?${DAMP_WORD}(?:\s+(?:patch(?:es)?|spots?|stains?|problems?|issues?))?\b`, 'g'),
    kind: 'damp',
    neutral: (l, _s, e) => /^\s*-?\s*(?:proof\w*|course|membrane|cloths?|sponges?|mops?|rags?|towels?|washing|clothes|laundry|squib)\b/.test(after(l, e)),
  },
  { re: /\b(?:getting|even|much|bit|slightly|lot|feels?|felt|seems?|becoming|gone|got)\s+damper\b/g, kind: 'damp' },
  {
    re: /\b(?:(?:dpc|dpm|damp[\s-]?proof(?:ing)?\s+(?:course|membrane))\s+(?:(?:has|is|was|been|appears|looks)\s+){0,2}(?:failed|failing|breached|bridged|defective|broken|missing|compromised)|(?:failed|failing|breached|bridged|defective)\s+(?:dpc|dpm|damp[\s-]?proof(?:ing)?\s+course))\b/g,
    kind: 'damp',
  },
  {
    re: /\b(?:(?:high|elevated|raised|excessive|excess)\s+(?:moisture|humidity|damp)(?:\s+(?:meter\s+)?(?:readings?|levels?|content))?|(?:moisture|humidity|damp)\s+(?:meter\s+)?(?:readings?|levels?|content)\s+(?:(?:were|are|was|is|very|all)\s+){0,2}(?:high|elevated|raised|excessive))\b/g,
    kind: 'damp',
  },
  { re: /\b(?:efflorescence|salts?\s+(?:deposits|marks|staining)|white\s+powdery\s+(?:deposits|salts|marks))\b/g, kind: 'damp' },
  { re: /\bfung(?:us|i|al|ous|uses|as|is)(?:\s+growth)?\b|\b(?:mushrooms?|toadstools?)\s+(?:growing|(?:coming\s+)?(?:out\s+of|from|through|on|in))\b/g, kind: 'mould' },
  { re: /\bspores\b/g, kind: 'mould' },
  { re: /\bblack\s+(?:spots?|spotting|specks?|speckles?|speckling|dots?|fuzz|furry\s+\w+|growth)\b/g, kind: 'mould' },
  {
    re: /\bblack\s+(?:marks?|patch(?:es)?|stain(?:s|ing)?)\s+(?:\w+\s+){0,2}?(?:on|in|around|along|behind|above|under|at)\s+(?:the\s+)?(?:\w+\s+)?(?:ceilings?|walls?|windows?|corners?|sills?|grout|sealant|silicone|frames?|seals?|skirting|curtains?|breast|reveals?)\b/g,
    kind: 'mould',
  },
  { re: /\b(?:fuzzy|furry|fluffy)\s+(?:(?:green|white|grey|black|blue)\s+)?(?:growth|patch(?:es)?|spots|stuff|deposits|bits)\b/g, kind: 'mould' },
  { re: /\b(?:dry|wet)\s+rot\b/g, kind: 'rot' },
  { re: /\btide\s?-?marks?\b/g, kind: 'leak-damp' },
  {
    re: new RegExp(String.raw`\bwet\s+(?:walls?|plaster|wallpaper|ceilings?|skirting|patch(?:es)?\s+(?:on|in|to)\s+(?:the\s+)?(?:\w+\s+)?(?:walls?|ceilings?))\b|\b${SURFACE}\s+(?:(?:is|are|was|were|feel|feels|felt|always|constantly|very|really|so|still|getting|gets|go|goes|going|becoming|permanently|soaking|all|cold|and)\s+){0,4}(?:wet|soaking|sodden|saturated|soggy|sweating|clammy|wringing)\b`, 'g'),
    kind: 'leak-damp',
  },
  {
    re: new RegExp(String.raw`\bwater\s+(?:(?:is|keeps|always|constantly|literally|just)\s+)?(?:running|pouring|dripping|streaming|trickling|coming|runs|drips|pours|streams)\s+(?:down|on|off|from|along)\s+(?:the\s+)?(?:inside\s+of\s+(?:the\s+)?)?(?:\w+\s+)?walls?\b`, 'g'),
    kind: 'leak-damp',
  },
  { re: /\b(?:water|rain|moisture)\s+(?:(?:is|keeps)\s+)?(?:comes?|coming|gets?|getting|penetrating|seeping|seeps|soaking|soaks)\s+(?:in\s+)?(?:through|into)\s+(?:the\s+)?(?:\w+\s+)?(?:walls?|brickwork)\b/g, kind: 'leak-damp' },
  {
    re: new RegExp(String.raw`\b(?:water|condensation|moisture)\s+(?:(?:is|keeps|always|constantly|literally|just)\s+)?(?:running|pouring|dripping|streaming|trickling|pooling|collecting|sitting|gathering|runs|drips|pours|streams|pools|collects)\s+(?:down|on|off|from|at|along|under|in)\s+(?:the\s+)?(?:inside\s+of\s+(?:the\s+)?)?(?:\w+\s+)?${WINDOW}\b`, 'g'),
    kind: 'condensation',
  },
  {
    re: /\bwindows?\s+(?:(?:are|is|were|was|always|constantly|every|morning|each|really|so|all|literally)\s+){0,3}(?:streaming|dripping|running\s+with\s+water|soaking|sweating|pouring|steam(?:ed|ing|s)?\s+up|wet\s+(?:every|each|all)\b)/g,
    kind: 'condensation',
  },
  { re: /\bpuddles?\s+(?:of\s+water\s+)?(?:on|in)\s+(?:the\s+)?(?:window\s?)?sills?\b/g, kind: 'condensation' },
  {
    re: new RegExp(String.raw`\b(?:${DAMP_WORD}|${MOULD_WORD}|musty|fusty|mildewy)\s+(?:smell|odou?r|stench|whiff|pong)\w*|\b(?:smel+s?|smelling|stinks?|reeks?)\s+(?:of\s+|like\s+)?(?:${DAMP_WORD}|${MOULD_WORD}|must|musty)\b`, 'g'),
    kind: 'smell',
  },
  { re: /\b(?:must+e?y|fusty)\b/g, kind: 'smell' },
];

/**
 * Long words people misspell; matched by Damerau-Levenshtein distance on the token (and on its stem). A misspelling
 * keeps the word's start (condensaton, condinsation, mildrew): the first `prefix` letters must agree, or other real
 * words two edits away are taken for it (compensation, conversation, milder).
 */
const FUZZY: { word: string; kind: DampKind; max: number; prefix: number; exclude: Set<string> }[] = [
  { word: 'condensation', kind: 'condensation', max: 2, prefix: 4, exclude: new Set(['condensate', 'condensates', 'condenser', 'condensers', 'condensing', 'condemnation', 'condensed']) },
  { word: 'mildew', kind: 'mould', max: 1, prefix: 3, exclude: new Set(['mildly', 'mildness', 'milder', 'mildest', 'mildred']) },
  { word: 'dampness', kind: 'damp', max: 1, prefix: 3, exclude: new Set() },
];

function damerau(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function fuzzyKind(word: string): DampKind | null {
  if (word.length < 5) return null;
  for (const f of FUZZY) {
    if (f.exclude.has(word) || word.slice(0, f.prefix) !== f.word.slice(0, f.prefix)) continue;
    const stems = [word, word.replace(/(?:s|y|ed|ing)$/, '')];
    if (stems.some((s) => s.length >= f.word.length - f.max && damerau(s, f.word, f.max) <= f.max)) return f.kind;
  }
  return null;
}

// ---- tokens and cues ----

interface Token { text: string; start: number; end: number }

const TOKEN_RE = /n\/a|[a-z0-9]+(?:['’][a-z]+)?|[,:;\-/]|[.!?\n()]/g;

function tokenize(lower: string): Token[] {
  const out: Token[] = [];
  for (const m of lower.matchAll(TOKEN_RE)) out.push({ text: m[0].replace('’', "'"), start: m.index, end: m.index + m[0].length });
  return out;
}

const NEG_CUES = new Set([
  'no', 'not', 'never', 'without', 'nil', 'none', 'nor', 'neither', 'absence', 'lack', 'unable', 'cannot', 'zero', 'free',
  'cant', 'dont', 'didnt', 'doesnt', 'isnt', 'wasnt', 'arent', 'werent', 'hasnt', 'havent', 'hadnt', 'wont', 'couldnt',
]);
const isNegCue = (t: string) => NEG_CUES.has(t) || t.endsWith("n't");

const HYPO_CUES = /^(?:if|should|unless|prevent\w*|avoid\w*|reduc\w*|minimi[sz]\w*|anti|risk|risks|chance|case|against|future|inhibit\w*|resist\w*|stop)$/;

/** Words allowed between a cue and the phrase it governs. */
const PRE_GAP = new Set([
  'any', 'sign', 'signs', 'signes', 'evidence', 'trace', 'traces', 'indication', 'indications', 'visible', 'obvious', 'apparent',
  'evident', 'noticeable', 'significant', 'major', 'real', 'active', 'further', 'more', 'new', 'of', 'the', 'a', 'an', 'or', 'nor',
  'and', '/', '-', 'with', 'problem', 'problems', 'issue', 'issues', 'there', 'is', 'was', 'were', 'are', 'be', 'been', 'being',
  'have', 'has', 'had', 'got', 'find', 'found', 'see', 'seen', 'saw', 'notice', 'noticed', 'observe', 'observed', 'detect',
  'detected', 'identify', 'identified', 'show', 'showing', 'shows', 'sight', 'longer', 'surface', 'serious', 'extensive',
  'excessive', 'excess', 'much', 'caused', 'by', 'due', 'to', 'from', 'related', 'patch', 'patches', 'spots', 'growth',
  'from', 'further', 'build', 'up', 'you', 'we', 'they', 'spot', 'get', 'report', 'reported', 'form', 'forming', 'help',
  'possible', 'potential', 'current', 'currently', 'existing', 'ongoing', 'rising', 'penetrating', 'lateral', 'return', 'returning', 'buildup', 'formation', 'in', 'case', 'at', 'high', 'levels', 'level',
]);

const ROOMS = new Set([
  'bathroom', 'kitchen', 'bedroom', 'bedrooms', 'lounge', 'hall', 'hallway', 'landing', 'loft', 'property', 'flat', 'house',
  'room', 'rooms', 'walls', 'wall', 'ceiling', 'ceilings', 'windows', 'window', 'toilet', 'wc', 'stairs', 'cupboard', 'void',
  'dwelling', 'home', 'areas', 'area', 'throughout', 'living', 'dining', 'front', 'back', 'rear', 'main', 'second', 'box',
]);

const POST_GAP = new Set([
  'is', 'was', 'were', 'are', 'been', 'has', 'have', 'had', 'be', ':', '-', ',', '/', 'and', 'or', 'in', 'on', 'to', 'at', 'the',
  'any', 'all', 'for', 'levels', 'readings', 'reading', 'meter', 'check', 'checked', 'checks', 'test', 'tested', 'testing',
  'inspection', 'inspected', 'survey', 'surveyed', 'carried', 'out', 'completed', 'done', 'showed', 'shows', 'showing', 'found',
  'issues', 'problems', 'signs', 'visible', 'evident', 'seen', 'now', 'present', 'noted', 'observed', '(', ')', 'of', 'mould',
  'assessment', 'assessed', 'result', 'results', 'outcome',
]);
const CLEARING = new Set([
  'none', 'nil', 'n/a', 'negative', 'absent', 'clear', 'fine', 'ok', 'okay', 'satisfactory', 'pass', 'passed', 'normal',
  'resolved', 'gone', 'cleared', 'free', 'nothing', 'dry', 'acceptable',
]);
const NOT_FOLLOW = new Set([
  'found', 'present', 'seen', 'observed', 'evident', 'detected', 'visible', 'identified', 'noted', 'apparent', 'noticed',
  'recorded', 'there', 'returned', 'recurred', 'reappeared', 'come', 'an', 'a', 'any', 'evidenced',
]);
const NO_FOLLOW = new Set(['issues', 'issue', 'problems', 'problem', 'concerns', 'signs', 'sign', 'evidence', 'recurrence', 'longer', 'trace', 'traces']);
const POST_HYPO = new Set(['leaflet', 'leaflets', 'awareness', 'campaign', 'policy', 'prevention', 'preventative', 'preventive', 'risk', 'resistant', 'inhibitor', 'inhibiting']);
const STRONG = new Set(['.', '!', '?', '\n', ';']);

type Status = 'present' | 'negated' | 'hypothetical';

const nearCache = new Map<string, boolean>();
/** Set membership that tolerates one typo in longer words ("evidnce", "readigs"). */
function inSet(set: Set<string>, t: string): boolean {
  if (set.has(t)) return true;
  if (t.length < 5 || !/^[a-z]+$/.test(t)) return false;
  const key = `${set.size}:${t}`;
  let hit = nearCache.get(key);
  if (hit === undefined) {
    hit = false;
    for (const w of set) if (w.length >= 6 && damerau(t, w, 1) <= 1) { hit = true; break; }
    nearCache.set(key, hit);
  }
  return hit;
}
const HYPO_WORDS = new Set(['prevent', 'prevention', 'prevents', 'preventing', 'avoid', 'avoiding', 'reduce', 'reducing', 'minimise', 'minimize', 'inhibit', 'resist', 'resistant']);

function statusOf(toks: Token[], first: number, last: number, inTerm: (i: number) => boolean): Status {
  // Backwards from the phrase: cue, then only filler words.
  let conjSeen = false;
  for (let i = first - 1, n = 0; i >= 0 && n < 8; i--, n++) {
    const t = toks[i]!.text;
    if (STRONG.has(t)) break;
    if (isNegCue(t)) return 'negated';
    if ((HYPO_CUES.test(t) || inSet(HYPO_WORDS, t)) && !(i > 0 && isNegCue(toks[i - 1]!.text))) return 'hypothetical';
    if (t === 'any' && /^report/.test(toks[i - 1]?.text ?? '')) return 'hypothetical';
    if (t === 'or' || t === 'nor' || t === 'and') conjSeen = true;
    if (t === ',') {
      // A comma continues the scope only inside a list: "no damp, mould or condensation".
      const next = toks[last + 1]?.text;
      if (!conjSeen && next !== ',' && next !== 'or' && next !== 'nor' && next !== 'and') break;
      continue;
    }
    if (inTerm(i) || inSet(PRE_GAP, t)) continue;
    break;
  }
  // Forwards: "damp: none", "mould not found", "checked for damp, all clear", "damp and mould leaflet".
  let commaSeen = false;
  for (let i = last + 1, n = 0; i < toks.length && n < 8; i++, n++) {
    const t = toks[i]!.text;
    if (t === '?' && /^(?:no|none|nil|n\/a)$/.test(toks[i + 1]?.text ?? '')) return 'negated';
    if (STRONG.has(t)) break;
    if (inSet(CLEARING, t)) return 'negated';
    if (POST_HYPO.has(t)) return 'hypothetical';
    if (t === 'ruled' && toks[i + 1]?.text === 'out') return 'negated';
    if (t === 'not' || t === 'never' || t.endsWith("n't") || (NEG_CUES.has(t) && t.endsWith('nt'))) {
      let j = i + 1;
      while (toks[j] && /^(?:been|yet|be|ever)$/.test(toks[j]!.text)) j++;
      if (NOT_FOLLOW.has(toks[j]?.text ?? '')) return 'negated';
      break;
    }
    if (t === 'no') {
      const nx = toks[i + 1]?.text;
      if (nx === undefined || STRONG.has(nx) || nx === ',' || NO_FOLLOW.has(nx)) return 'negated';
      break;
    }
    if (t === ',' || t === '-') { commaSeen = true; continue; }
    if (ROOMS.has(t) && !commaSeen) continue;
    // Which room, still before the cue: "bedroom 1", "the child's bedroom", "bedroom 2 / bathroom".
    if (!commaSeen && /^\d+$/.test(t) && ROOMS.has(toks[i - 1]?.text ?? '')) continue;
    if (!commaSeen && (/^[a-z]+'s$/.test(t) || t === '/') && ROOMS.has(toks[i + 1]?.text ?? '')) continue;
    if (inTerm(i) || inSet(POST_GAP, t)) continue;
    break;
  }
  return 'present';
}

function lowerSameLength(text: string): string {
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

export function detectDampMould(text: string): DampResult {
  const lower = lowerSameLength(text);
  const cands: Candidate[] = [];
  for (const p of PATTERNS) {
    for (const m of lower.matchAll(p.re)) {
      const start = m.index, end = m.index + m[0].length;
      cands.push({ start, end, kind: p.kind, neutral: p.neutral?.(lower, start, end, text) ?? false });
    }
  }
  const toks = tokenize(lower);
  for (const t of toks) {
    if (!/^[a-z]/.test(t.text)) continue;
    const kind = fuzzyKind(t.text);
    if (!kind) continue;
    let neutral = false;
    if (kind === 'condensation') {
      neutral = /^\s*-?\s*(?:pipe|pipes|pipework|drain|trap|line|pump|tray|outlet|waste|overflow|boiler)\b/.test(after(lower, t.end))
        || /\bboiler\s+$/.test(before(lower, t.start, 10));
    }
    cands.push({ start: t.start, end: t.end, kind, neutral });
  }
  // Longest candidate wins where one contains another.
  cands.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Candidate[] = [];
  for (const c of cands) {
    if (kept.some((k) => k.start <= c.start && k.end >= c.end)) continue;
    kept.push(c);
  }
  const inTerm = (i: number) => {
    const t = toks[i]!;
    return kept.some((c) => c.start <= t.start && c.end >= t.end);
  };
  const evidence: DampEvidence[] = [];
  for (const c of kept) {
    if (c.neutral) continue;
    let first = toks.findIndex((t) => t.end > c.start);
    if (first < 0) first = toks.length;
    let last = first;
    while (last + 1 < toks.length && toks[last + 1]!.start < c.end) last++;
    if (statusOf(toks, first, last, inTerm) !== 'present') continue;
    evidence.push({ phrase: text.slice(c.start, c.end), start: c.start, end: c.end, kind: c.kind });
  }
  return { flagged: evidence.length > 0, evidence };
}
