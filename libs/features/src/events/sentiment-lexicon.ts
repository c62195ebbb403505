/**
 * The finance vocabulary that extends AFINN-165 (the `sentiment` package's word list) for news headlines. Weights use
 * AFINN's scale, -5 (very negative) to +5 (very positive). A word listed here replaces AFINN's weight for it.
 *
 * Chosen by reading the training file of the labelled financial tweets (twitter-financial-news-sentiment, see
 * scripts/sentiment-benchmark.ts) and by what the words mean on a trading desk; the validation file was not used.
 * Three kinds of entries:
 * - words that traders read as direction: "beat", "miss", "downgrade", "upgrade", "raises", "cuts", "slides";
 * - AFINN words that in financial headlines name things rather than judge them, set to 0: "share(s)" (a share),
 *   "gold" and "crude" (commodities), "interest" (rates), "trust" and "united" (company names), "care" (health care),
 *   "top" and "best" (list headlines: "top 5 stocks"), "outstanding" (shares outstanding);
 * - phrases, joined into one token before scoring so that they count once: "guidance cut", "raises guidance",
 *   "price target cut", "below estimates", "chapter 11".
 */

/** Word weights (lower case, as the `sentiment` tokenizer produces them). */
export const FINANCE_WORDS: Readonly<Record<string, number>> = Object.freeze({
  // Results against expectations.
  beat: 2, beats: 2, 'beat-estimates': 3, tops: 2, topped: 2, surpass: 2, surpasses: 2, exceeds: 2, exceeded: 2,
  miss: -2, misses: -2, missed: -2, 'missed-estimates': -3, 'below-estimates': -2, 'above-estimates': 2,
  'in-line': 0, inline: 0, shortfall: -2,
  // Analyst actions.
  upgrade: 3, upgrades: 3, upgraded: 3, downgrade: -3, downgrades: -3, downgraded: -3,
  outperform: 2, overweight: 2, 'at-buy': 2, 'to-buy-from': 2, 'strong-buy': 2,
  underperform: -2, underweight: -2, 'at-sell': -2, 'to-sell-from': -2, 'strong-sell': -3, 'to-neutral-from-buy': -2,
  'price-target-raised': 2, 'price-target-cut': -2, bullish: 2, bearish: -2,
  // Guidance.
  'raises-guidance': 3, 'guidance-raised': 3, 'lowers-guidance': -3, 'guidance-cut': -3, 'cuts-guidance': -3,
  'withdraws-guidance': -3, 'pulls-outlook': -3, 'profit-warning': -3, 'reaffirms-guidance': 1,
  // Price moves.
  jumps: 2, jump: 2, jumped: 2, soars: 3, soar: 3, soared: 3, skyrockets: 3, surges: 2, surge: 2, surged: 2,
  spikes: 2, rallies: 2, rally: 2, rallied: 2, climbs: 2, climb: 2, climbed: 2, rises: 2, rise: 2, rose: 2,
  rising: 1, gains: 2, gained: 2, gain: 2, higher: 1, highs: 1, 'record-high': 2, 'all-time-high': 2, breakout: 2,
  rebound: 2, rebounds: 2, rebounded: 2, bounce: 1, bounces: 1, recovers: 1, advances: 1, lifts: 2, lifted: 2,
  boosts: 2, boosted: 2, 'pct-up': 2, 'vs-up': 2,
  falls: -2, fall: -2, fell: -2, falling: -2, drops: -2, drop: -2, dropped: -2, slides: -2, slide: -2, slid: -2,
  slump: -2, slumps: -2, slumped: -2, plunge: -3, plunges: -3, plunged: -3, plummets: -3, plummeted: -3,
  tumble: -3, tumbles: -3, tumbled: -3, sinks: -2, sink: -2, sank: -2, slips: -2, slip: -2, slipped: -2,
  sheds: -2, declines: -2, decline: -2, declined: -2, lower: -1, lowers: -2, lowered: -2, retreat: -1,
  retreats: -1, tanks: -3, tanked: -3, hammered: -2, selloff: -2, 'sell-off': -2, dumping: -2,
  dumps: -2, 'pct-down': -2, 'vs-down': -2,
  // Corporate actions and troubles.
  raises: 2, raised: 2, hikes: 2, 'dividend-increase': 3, 'raises-dividend': 3, 'dividend-cut': -3,
  'cuts-dividend': -3, 'suspends-dividend': -3, buyback: 2, repurchase: 1, approves: 2, "ok'd": 2,
  cut: -2, cuts: -2, cutting: -2, trims: -2, trimmed: -2, weaker: -2, downbeat: -2, headwinds: -2, halts: -2,
  halted: -2, suspends: -2, recall: -2, recalls: -2, probe: -2, subpoena: -2, sued: -2, 'chapter-11': -3,
  default: -3, delisting: -3, delist: -3, restatement: -3, layoffs: -2, losses: -2, loss: -2, 'short-seller': -2,
  concerns: -1, fears: -2, fraud: -2, wins: 1, win: 1, trim: -2, trimming: -2, halved: -2, shrinks: -2,
  shrink: -2, dips: -2, dip: -2, dipped: -2, loses: -2, lose: -2, shutdown: -2, shutdowns: -2, backlash: -2,
  sidelines: -2, glut: -2, hit: -1, 'costs-rise': -2, 'rate-cut': 0, 'rate-hike': 0, 'raises-capital': 0,
  upside: 2, upsides: 2, bull: 1, 'bull-case': 2, 'bear-case': -2, improvement: 2, lifting: 2, orders: 1,
  contract: 1, awarded: 2, buybacks: 2, 'to-rating-up': 3, 'to-rating-down': -3, risk: -1, risks: -1,
  growth: 1, profit: 0, profits: 0, prospect: 0, slower: -1, slowing: -1, slowdown: -2, slows: -1,
  up: 1, down: -2, high: 1, low: -1, good: 1, better: 1, great: 1, gainers: 0, losers: 0, warming: 1,
  // Words that name things in financial headlines.
  share: 0, shares: 0, gold: 0, crude: 0, interest: 0, trust: 0, united: 0, care: 0, top: 0, best: 0,
  outstanding: 0, like: 0, support: 0, help: 0, free: 0, worth: 0, kind: 0, want: 0, avoid: 0, agreement: 0,
  asset: 0, assets: 0, natural: 0, limited: 0, legal: 0, supreme: 0, exclusive: 0, love: 0, beauty: 0,
  savings: 0, save: 0, smart: 0, clean: 0, solutions: 0, advanced: 0, popular: 0, luxury: 0, important: 0,
  fair: 0, backing: 0, active: 0, highlight: 0, big: 0, fight: 0, battle: 0, cancer: 0, protest: 0, protests: 0,
  protesters: 0, impeachment: 0, fired: 0, settlement: 0, pay: 0, demand: 0, debt: -1, emergency: 0, leave: 0,
  stop: 0, victory: 0, opportunity: 0, opportunities: 0,
});

/**
 * Phrases replaced by one token before scoring, tried in order (longer phrases first). Each pattern runs on
 * lower-case text with URLs removed.
 */
export const FINANCE_PHRASES: readonly (readonly [RegExp, string])[] = Object.freeze([
  [/\b(?:costs?|expenses|inventor(?:y|ies)|stockpiles?|unemployment|jobless claims|losses|deficits?|defaults|delinquencies|layoffs) (?:[\w'-]+ ){0,2}?(?:rise|rises|rose|soar|soars|soared|climb|climbs|climbed|jump|jumps|jumped|surge|surges|surged|increase|increases|increased|build|builds)\b/g, ' costs-rise '],
  [/\b(?:rise|rises|surge|jump|increase|build) in (?:[\w'-]+ ){0,2}?(?:costs?|expenses|inventor(?:y|ies)|stockpiles|stocks|unemployment|jobless claims|losses|defaults|delinquencies)\b/g, ' costs-rise '],
  [/\b(?:(?:interest[- ])?rate (?:cut|cuts|reduction)|(?:cuts?|lowers?|lowered|reduces?|slashes|slashed) (?:(?:interest|policy|key|benchmark|its) )*rates?)\b/g, ' rate-cut '],
  [/\b(?:(?:interest[- ])?rate (?:hike|hikes|increase|increases)|(?:raises?|raised|hikes?|hiked|increases?) (?:(?:interest|policy|key|benchmark|its) )*rates)\b/g, ' rate-hike '],
  [/\braises? (?:about |nearly |over |more than )?(?:\$|€|£|c\$|us\$)?\d/g, ' raises-capital '],
  [/\bbull case\b/g, ' bull-case '],
  [/\bbear case\b/g, ' bear-case '],
  [/\b(?:beats?|tops?|topped|exceeds?|exceeded|surpass(?:es)?) (?:analysts?'? )?(?:estimates?|expectations|consensus|forecasts?|views?)\b/g, ' beat-estimates '],
  [/\b(?:miss(?:es|ed)?|fails? to meet|fell short of|falls? short of) (?:analysts?'? )?(?:estimates?|expectations|consensus|forecasts?|views?)\b/g, ' missed-estimates '],
  [/\bfail(?:s|ed)? to (?:beat|top|meet)\b/g, ' missed-estimates '],
  [/\bbetter[- ]than[- ](?:expected|estimated|forecast)\b/g, ' beat-estimates '],
  [/\bworse[- ]than[- ](?:expected|estimated|forecast)\b/g, ' missed-estimates '],
  [/\bbelow (?:analysts?'? )?(?:estimates?|expectations|consensus|forecasts?)\b/g, ' below-estimates '],
  [/\babove (?:analysts?'? )?(?:estimates?|expectations|consensus|forecasts?)\b/g, ' above-estimates '],
  [/\b(?:raises?|raised|lifts?|boosts?|ups|hikes?|increases?) (?:[\w'-]+ ){0,3}?(?:guidance|outlook|forecasts?|view)\b/g, ' raises-guidance '],
  [/\b(?:guidance|outlook|forecasts?) (?:raised|lifted|boosted|increased)\b/g, ' guidance-raised '],
  [/\b(?:lowers?|lowered|cuts?|slashes|slashed|trims?|trimmed|trimming|reduces?|reduced) (?:[\w'-]+ ){0,3}?(?:guidance|outlook|forecasts?|view)\b/g, ' lowers-guidance '],
  [/\b(?:guidance|outlook|forecasts?) (?:cut|lowered|slashed|reduced|trimmed)\b/g, ' guidance-cut '],
  [/\b(?:withdraws?|withdrew|pulls?|pulled|suspends?|suspended|scraps?|scrapped) (?:[\w'-]+ ){0,3}?(?:guidance|outlook|forecasts?)\b/g, ' withdraws-guidance '],
  [/\b(?:reaffirms?|reaffirmed|reiterates?|reiterated|maintains?|confirms?) (?:(?:its|fy|full[- ]year|annual) )*(?:guidance|outlook|forecasts?)\b/g, ' reaffirms-guidance '],
  [/\bprofit warning\b/g, ' profit-warning '],
  [/\b(?:price target|target price|pt) (?:raised|increased|lifted|boosted|hiked)\b/g, ' price-target-raised '],
  [/\b(?:raises?|raised|lifts?|boosts?|hikes?) (?:(?:its|the|\S+'s) )?(?:price target|target price|pt)\b/g, ' price-target-raised '],
  [/\b(?:price target|target price|pt) (?:cut|lowered|reduced|trimmed|slashed)\b/g, ' price-target-cut '],
  [/\b(?:cuts?|lowers?|lowered|trims?|trimmed|slashes|slashed|reduces?) (?:(?:its|the|\S+'s) )?(?:price target|target price|pt)\b/g, ' price-target-cut '],
  [/\bto neutral from (?:buy|outperform|overweight)\b/g, ' to-neutral-from-buy '],
  [/\bto (?:buy|outperform|overweight) from\b/g, ' to-buy-from '],
  [/\bto (?:sell|underperform|underweight) from\b/g, ' to-sell-from '],
  [/\b(?:at|to|with a|with) strong buy\b/g, ' strong-buy '],
  [/\b(?:at|to|with a|with) strong sell\b/g, ' strong-sell '],
  [/\bat (?:buy|outperform|overweight)\b/g, ' at-buy '],
  [/\bat (?:sell|underperform|underweight)\b/g, ' at-sell '],
  [/\b(?:raises?|raised|increases?|increased|hikes?|hiked|boosts?|boosted) (?:(?:its|the|quarterly|annual|cash|regular) )*(?:dividend|distribution|payout)s?\b/g, ' raises-dividend '],
  [/\b(?:dividend|distribution|payout) (?:increase|hike|boost|raise)\b/g, ' dividend-increase '],
  [/\b(?:cuts?|slashes|slashed|reduces?|reduced|lowers?|lowered|eliminates?|eliminated) (?:(?:its|the|quarterly|annual|cash|regular) )*(?:dividend|distribution|payout)s?\b/g, ' cuts-dividend '],
  [/\b(?:suspends?|suspended|halts?|halted|omits?|omitted|scraps?|scrapped) (?:(?:its|the|quarterly|annual|cash|regular) )*(?:dividend|distribution|payout)s?\b/g, ' suspends-dividend '],
  [/\b(?:dividend|distribution|payout) (?:cut|suspension|suspended|reduction|eliminated)\b/g, ' dividend-cut '],
  [/\b(?:suspension|elimination|reduction|cut) (?:of|in|to) (?:(?:its|the|quarterly|annual|cash|regular) )*(?:dividend|distribution|payout)s?\b/g, ' dividend-cut '],
  [/\bchapter (?:11|7|eleven|seven)\b/g, ' chapter-11 '],
  [/\bshort[- ]sellers?\b/g, ' short-seller '],
  [/\b(?:record|all[- ]time|52[- ]week|multi[- ]year) highs?\b/g, ' record-high '],
  [/\b(?:record|all[- ]time|52[- ]week|multi[- ]year) lows?\b/g, ' pct-down '],
  [/\bin[- ]line\b/g, ' in-line '],
]);

/**
 * Negators: a negator flips the sign of the next scored word, as in the `sentiment` package's English rules
 * ("not", "don't", "won't" ...), plus "no", "never", "without" and "fails".
 */
export const FINANCE_NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'without', 'fails', 'cant', "can't", 'dont', "don't", 'doesnt', "doesn't", 'isnt', "isn't",
  'wont', "won't", 'non', 'neither', 'nor',
]);
