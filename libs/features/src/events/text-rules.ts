/**
 * Text rules: the event types a headline or a section of an 8-K speaks of, when no item number says it. Each rule is
 * a regular expression on lower-case text; a rule may have variants (tried first) that change the severity, the
 * impact or the type, such as a dividend cut against a dividend increase.
 *
 * Rules are in priority order. A headline takes the first rule that matches (one headline, one event); a section of
 * a filing takes every rule that matches (an 8.01 that declares a dividend and a buyback gives both).
 */
import { SEVERITY, type EventImpact, type EventType } from './types.js';

export interface TextClass {
  readonly type: EventType;
  readonly severity: number;
  readonly impact: EventImpact;
  /** What matched, for the event's `basis`. */
  readonly basis: string;
}

interface Variant {
  readonly pattern: RegExp;
  readonly basis: string;
  readonly type?: EventType;
  readonly severity: number;
  readonly impact: EventImpact;
}

interface TextRule {
  readonly type: EventType;
  readonly pattern: RegExp;
  readonly basis: string;
  readonly severity: number;
  readonly impact: EventImpact;
  readonly variants?: readonly Variant[];
}

const NONE: EventImpact = Object.freeze({ dividend: 0, liquidity: 0, credit: 0 });

function impact(dividend: number, liquidity: number, credit: number): EventImpact {
  return Object.freeze({ dividend, liquidity, credit });
}

const TITLE = String.raw`(?:ceo|chief executive(?: officer)?|cfo|chief financial officer|coo|chief operating officer|president|chair(?:man|woman)?|directors?|officers?|treasurer|general counsel)`;
const LEAVES = String.raw`(?:resign(?:s|ed|ation)?|steps? down|stepped down|step down|depart(?:s|ed|ure)?|retire(?:s|d|ment)?|fired|ousted|terminat(?:es|ed|ion)|leav(?:es|ing))`;
const JOINS = String.raw`(?:appoint(?:s|ed|ment)?|names?|named|elect(?:s|ed|ion)?|hires?|hired|successor|succeed(?:s|ed)?|promot(?:es|ed))`;
const TOP_TITLE = String.raw`(?:ceo|chief executive(?: officer)?|cfo|chief financial officer)`;
const DIVIDEND = String.raw`(?:dividends?|distributions?|payouts?)`;
const CREDIT_AGENCY = String.raw`(?:moody'?s|s&p|standard (?:&|and) poor'?s|fitch|dbrs|kroll)`;

export const TEXT_RULES: readonly TextRule[] = Object.freeze([
  {
    type: 'bankruptcy',
    pattern: /\b(?:bankruptcy|chapter 11|chapter 7|receivership|insolvency|insolvent|creditor protection|ccaa protection)\b/,
    basis: 'bankruptcy',
    severity: SEVERITY.existential,
    impact: impact(-1, -1, -1),
    variants: [
      { pattern: /\bemerg(?:e|es|ed|ing|ence) from (?:chapter 11|bankruptcy|receivership)\b/, basis: 'emerges from bankruptcy', severity: SEVERITY.material, impact: impact(0, 0.3, 0.3) },
    ],
  },
  {
    type: 'delisting',
    pattern: /\b(?:delist(?:ed|ing|s)?|de-list(?:ed|ing)?|continued listing (?:standards?|requirements?|rules?|criteria)|minimum bid price|deficiency (?:notice|letter)|notice of (?:non-?compliance|deficiency)|suspended from trading|trading (?:was |has been )?(?:halted|suspended)|removal from listing|transfer (?:of )?(?:its |the )?(?:listing|common stock) to)\b/,
    basis: 'delisting',
    severity: SEVERITY.critical,
    impact: impact(0, -0.5, -0.3),
    variants: [
      { pattern: /\btransfer (?:of )?(?:its |the )?(?:listing|common stock) to\b/, basis: 'transfer of listing', type: 'governance', severity: SEVERITY.routine, impact: NONE },
      { pattern: /\b(?:minimum bid price|deficiency (?:notice|letter)|notice of (?:non-?compliance|deficiency)|continued listing (?:standards?|requirements?|rules?|criteria))\b/, basis: 'listing deficiency notice', severity: SEVERITY.serious, impact: impact(0, -0.3, -0.2) },
    ],
  },
  {
    type: 'restatement',
    pattern: /\b(?:restate(?:s|d|ment|ments)?|non-?reliance|should no longer be relied upon|accounting irregularit(?:y|ies)|material weakness(?:es)?)\b/,
    basis: 'restatement',
    severity: SEVERITY.critical,
    impact: impact(0, -0.2, -0.5),
    variants: [
      { pattern: /\bmaterial weakness(?:es)?\b/, basis: 'material weakness', severity: SEVERITY.serious, impact: impact(0, 0, -0.3) },
    ],
  },
  {
    type: 'cybersecurity',
    pattern: /\b(?:cyber[- ]?(?:attack|security incident|incident|breach)s?|cybersecurity incidents?|data breach(?:es)?|security breach(?:es)?|ransomware|hack(?:ed|ers?|ing)|unauthorized access|malware|threat actor)\b/,
    basis: 'cybersecurity incident',
    severity: SEVERITY.serious,
    impact: impact(0, -0.2, -0.2),
  },
  {
    type: 'auditor_change',
    pattern: /\b(?:auditors?|independent registered public accounting firm|certifying accountant)\b.{0,80}\b(?:dismiss|resign|declin|engag|appoint|replac|chang)/,
    basis: 'auditor change',
    severity: SEVERITY.material,
    impact: impact(0, 0, -0.1),
  },
  {
    type: 'dividend',
    // "Distribution" alone is too wide ("distribution reinvestment plan", "distribution centre"): it needs a context.
    pattern: /\b(?:dividends?|payouts?|(?:cash|quarterly|monthly|annual|special|regular) distributions?|distributions? (?:of \$|per (?:share|unit))|declares? (?:a )?distributions?)\b(?! reinvestment)/,
    basis: 'dividend',
    severity: SEVERITY.ordinary,
    impact: impact(0.2, -0.1, 0),
    variants: [
      {
        pattern: new RegExp(String.raw`\b(?:(?:cuts?|slash(?:es|ed)?|reduc(?:es|ed|tion)|lower(?:s|ed)?|eliminat(?:es|ed|ion)|suspen(?:ds?|ded|sion)|halt(?:s|ed)?|omit(?:s|ted)?|scrap(?:s|ped)?)(?: \S+){0,4} ${DIVIDEND}|${DIVIDEND}(?: \S+){0,2} (?:cut|reduction|suspension|suspended|eliminated))\b`),
        basis: 'dividend cut or suspension',
        severity: SEVERITY.serious,
        impact: impact(-0.8, 0.1, -0.2),
      },
      {
        pattern: new RegExp(String.raw`\b(?:(?:rais(?:es|ed|e)|increas(?:es|ed|e)|hik(?:es|ed|e)|boost(?:s|ed)?)(?: \S+){0,4} ${DIVIDEND}|${DIVIDEND}(?: \S+){0,2} (?:increase|hike|raise)|special (?:cash )?dividend)\b`),
        basis: 'dividend increase',
        severity: SEVERITY.ordinary,
        impact: impact(0.5, -0.1, 0),
      },
    ],
  },
  {
    type: 'buyback',
    pattern: /\b(?:buy ?-?backs?|share repurchases?|stock repurchases?|repurchase (?:program|plan|authori[sz]ation)|repurchases? (?:of )?up to|accelerated share repurchase|tender offer for (?:its|up to))\b/,
    basis: 'buyback',
    severity: SEVERITY.ordinary,
    impact: impact(0, -0.2, 0),
  },
  {
    type: 'rating_change',
    pattern: new RegExp(String.raw`\b${CREDIT_AGENCY}\b.{0,80}\b(?:downgrad|upgrad|cuts?|lowers?|raises?|affirm|outlook|ratings?|watch)`),
    basis: 'credit rating action',
    severity: SEVERITY.material,
    impact: NONE,
    variants: [
      { pattern: /\b(?:downgrad\w*|cuts?|lower(?:s|ed)?|(?:outlook|watch) (?:to )?negative|negative (?:outlook|watch)|junk)\b/, basis: 'credit rating downgrade', severity: SEVERITY.material, impact: impact(0, -0.2, -0.5) },
      { pattern: /\b(?:upgrad\w*|rais(?:es|ed)|(?:outlook|watch) (?:to )?positive|positive (?:outlook|watch)|investment grade)\b/, basis: 'credit rating upgrade', severity: SEVERITY.material, impact: impact(0, 0.1, 0.4) },
    ],
  },
  {
    type: 'rating_change',
    pattern: /\b(?:upgrade[sd]?|downgrade[sd]?|initiat(?:es|ed|ing) coverage|(?:price target|target price|pt)\b|(?:starts?|started|initiated|initiates|reiterated|reiterates|maintained|maintains|resumed) (?:at|as|with)|ups to|cuts? to (?:sell|hold|neutral|underperform|underweight|market perform|equal[- ]weight)|to (?:buy|sell|hold|neutral|outperform|underperform|overweight|underweight) from)/,
    basis: 'analyst rating change',
    severity: SEVERITY.ordinary,
    impact: NONE,
  },
  {
    type: 'guidance',
    pattern: /\b(?:guidance|outlook|(?:sees|expects|forecasts?|projects) (?:fy\s?\d*|q[1-4]|full[- ]year|fiscal|20\d\d|annual|quarterly)|profit warning)\b/,
    basis: 'guidance',
    severity: SEVERITY.ordinary,
    impact: NONE,
    variants: [
      { pattern: /\b(?:(?:lower(?:s|ed)?|cuts?|slash(?:es|ed)|trim(?:s|med)?|reduc(?:es|ed)|withdr(?:aws?|ew)|pull(?:s|ed)?|suspend(?:s|ed)?)(?: \S+){0,3} (?:guidance|outlook|forecasts?)|(?:guidance|outlook|forecasts?) (?:cut|lowered|reduced|withdrawn|suspended)|profit warning)\b/, basis: 'guidance cut', severity: SEVERITY.material, impact: impact(0, -0.1, 0) },
      { pattern: /\b(?:(?:rais(?:es|ed|e)|lift(?:s|ed)?|boost(?:s|ed)?|increas(?:es|ed|e)|ups)(?: \S+){0,3} (?:guidance|outlook|forecasts?)|(?:guidance|outlook|forecasts?) (?:raised|lifted|increased))\b/, basis: 'guidance raised', severity: SEVERITY.material, impact: NONE },
    ],
  },
  {
    type: 'litigation',
    pattern: /\b(?:lawsuits?|sues|sued|suing|class actions?|litigation|settlement (?:deal|agreement) with|settles? (?:its |the |a )?(?:lawsuit|suit|case|dispute|claims?|charges|litigation)|(?:patent|legal) disputes?|legal proceedings?|subpoena(?:s|ed)?|indict(?:ed|ment)|antitrust|verdict|jury|(?:patent )?infringement|(?:sec|doj|ftc|justice department|attorneys? general) (?:charges|probe|investigation|sues|complaint)|investigations?|probes?|fined|penalt(?:y|ies)|consent decree|wells notice)\b/,
    basis: 'litigation',
    severity: SEVERITY.material,
    impact: impact(0, -0.1, -0.2),
    variants: [
      { pattern: /\bsettle(?:s|d|ment)?\b/, basis: 'litigation settlement', severity: SEVERITY.ordinary, impact: impact(0, -0.1, -0.1) },
    ],
  },
  {
    type: 'merger_acquisition',
    pattern: /\b(?:merger|merge with|mergers? and acquisitions|to acquire|acquires?|acquired|acquisition(?:s)? of|takeover|buyout|tender offer|to be acquired|agree(?:s|d)? to (?:buy|sell)|deal to (?:buy|acquire)|divest(?:s|iture|ing|ed)?|spin[- ]?off|sale of (?:the |its )?(?:company|business|division|unit|subsidiary|assets)|business combination)\b/,
    basis: 'merger or acquisition',
    severity: SEVERITY.material,
    impact: NONE,
  },
  {
    type: 'impairment',
    pattern: /\b(?:impairments?|write-?downs?|write-?offs?|wr(?:ite|ote|itten) (?:down|off)|goodwill charge)\b/,
    basis: 'impairment',
    severity: SEVERITY.material,
    impact: impact(0, 0, -0.3),
  },
  {
    type: 'restructuring',
    pattern: /\b(?:restructuring|layoffs?|lay(?:s|ing)? off|laid off|job cuts|cuts? (?:\S+ )?jobs|workforce reduction|reduction (?:in|of) (?:its )?(?:force|workforce)|plant closures?|clos(?:es|ing|ure of) (?:\S+ )?(?:plants|stores|facilities)|exit (?:costs|activities))\b/,
    basis: 'restructuring',
    severity: SEVERITY.material,
    impact: impact(0, -0.3, -0.1),
  },
  {
    type: 'executive_change',
    pattern: new RegExp(String.raw`\b(?:${TITLE}\b.{0,60}\b(?:${LEAVES}|${JOINS})|(?:${LEAVES}|${JOINS})\b.{0,60}\b${TITLE})\b`),
    basis: 'officer or director change',
    severity: SEVERITY.ordinary,
    impact: NONE,
    variants: [
      { pattern: new RegExp(String.raw`\b(?:${TOP_TITLE}\b.{0,60}\b${LEAVES}|${LEAVES}\b.{0,60}\b${TOP_TITLE})\b`), basis: 'chief executive or financial officer leaves', severity: SEVERITY.material, impact: NONE },
    ],
  },
  {
    type: 'refinancing',
    pattern: /\b(?:credit (?:agreement|facility|facilities)|revolving (?:credit|loan|facility)|term loans?|senior (?:secured |unsecured )?notes|notes due|convertible (?:senior )?notes|indenture|debentures?|refinanc\w*|(?:debt|bond|notes) offering|offering of .{0,40}notes|loan agreement|forbearance|covenants? (?:waiver|amendment|breach|violation)|default(?:ed)? (?:on|under)|going concern|public offering|private placement|equity offering|at-the-market|registered direct offering)\b/,
    basis: 'financing',
    severity: SEVERITY.ordinary,
    impact: impact(0, 0.3, -0.1),
    variants: [
      { pattern: /\b(?:forbearance|covenants? (?:waiver|breach|violation)|default(?:ed)? (?:on|under)|going concern|missed (?:an? )?(?:interest|coupon) payment|grace period)\b/, basis: 'debt distress', severity: SEVERITY.serious, impact: impact(-0.5, -0.7, -0.7) },
      { pattern: /\b(?:public offering|private placement|equity offering|at-the-market|registered direct offering)\b/, basis: 'equity financing', severity: SEVERITY.ordinary, impact: impact(0, 0.3, 0) },
    ],
  },
  {
    type: 'earnings',
    // Not "results of operations", which every certification and risk factor mentions.
    pattern: /\b(?:earnings|eps|quarterly (?:profit|loss|revenue|sales|results)|net (?:income|loss) (?:of|rose|fell|was)|(?:financial|operating|quarterly|annual|q[1-4]|(?:first|second|third|fourth)[- ]quarter|full[- ]year|fiscal(?: year)?(?: 20\d\d)?) results|results for the (?:quarter|year|fiscal|three|six|nine|twelve)|reports? (?:q[1-4]|first|second|third|fourth|full[- ]year|fiscal|quarterly|annual)|(?:revenues?|sales|profit) (?:rose|fell|grew|increased|decreased|declined|jumped|of \$))\b/,
    basis: 'earnings',
    severity: SEVERITY.ordinary,
    impact: NONE,
  },
]);

function classOf(rule: TextRule, text: string): TextClass {
  for (const variant of rule.variants ?? []) {
    if (variant.pattern.test(text)) return { type: variant.type ?? rule.type, severity: variant.severity, impact: variant.impact, basis: variant.basis };
  }
  return { type: rule.type, severity: rule.severity, impact: rule.impact, basis: rule.basis };
}

/** The first rule that matches lower-case `text`, or undefined. */
export function firstTextClass(text: string): TextClass | undefined {
  for (const rule of TEXT_RULES) if (rule.pattern.test(text)) return classOf(rule, text);
  return undefined;
}

/** Every rule that matches lower-case `text`, one class per type (the first rule of a type wins). */
export function allTextClasses(text: string): TextClass[] {
  const found = new Map<EventType, TextClass>();
  for (const rule of TEXT_RULES) {
    if (!rule.pattern.test(text)) continue;
    const match = classOf(rule, text);
    if (!found.has(match.type)) found.set(match.type, match);
  }
  return [...found.values()];
}
