/**
 * When did a filing become public? EDGAR's submissions JSON gives `acceptanceDateTime` as '2024-05-02T16:30:34.000Z',
 * but the trailing Z cannot be trusted: for many filers the value is the New York wall clock with a Z appended
 * (Apple's results 8-Ks read 16:30 "Z" nearly every quarter; Apple publishes them at 4:30 pm Eastern), while for
 * others it is genuine UTC (NVIDIA's read 21:20 Z, i.e. 4:20 pm Eastern). The convention belongs to the filer, not to
 * the filing (a measurement of 64,936 item 2.02 8-Ks of 808 S&P 500 companies against the SGML header, which is
 * always Eastern, found 181 companies on the New York clock, 624 on UTC and 3 mixed:
 * github.com/theOGognf/finagg/issues/64).
 *
 * So the clock is inferred per company from the filings themselves, using rules every true acceptance time obeys
 * (Regulation S-T Rule 13, 17 CFR 232.13, and the EDGAR Filer Manual's filing hours):
 * - EDGAR accepts filings from 6:00 am to 10:00 pm Eastern on business days;
 * - the filing date is the acceptance day, or the next business day, never earlier than the acceptance;
 * - a filing other than forms 3, 4, 5, 144, Schedules 13D/13G and Rule 462(b) registrations that is transmitted
 *   after 5:30 pm Eastern gets the next business day's filing date (18:00 is used as the bound, as transmission
 *   may start before 17:30 and be accepted a little later).
 * Each reading (UTC, New York) is scored by how many filings it makes break these rules; the clearly better one
 * wins. When neither is clearly better the New York reading is used: it is always the later instant (by 4 or 5
 * hours), so a filing is never treated as public before it was.
 *
 * Times before about 2002 are date-only placeholders (midnight Eastern, written 00:00 or 04:00/05:00); they carry no
 * time and give the filing date at 00:00 UTC, the convention of @quant/core's Filing.
 */
import { FormatError } from '@quant/core';

export type AcceptanceClock = 'utc' | 'new-york';

export interface AcceptanceClockEvidence {
  /** The reading used for this company's acceptance times. */
  readonly clock: AcceptanceClock;
  /** False when the filings did not clearly favour one reading (the later, New York reading is then used). */
  readonly determined: boolean;
  /** Filings with a real acceptance time (placeholders excluded). */
  readonly timedFilings: number;
  /** Filings that break EDGAR's rules when the times are read as UTC. */
  readonly utcContradictions: number;
  /** Filings that break EDGAR's rules when the times are read as the New York wall clock. */
  readonly newYorkContradictions: number;
}

/** Forms that receive the same day's filing date until 10 pm Eastern (Regulation S-T Rule 13(a)(4)). */
const LATE_FORMS = new Set([
  '3', '3/A', '4', '4/A', '5', '5/A', '144', '144/A',
  'SC 13D', 'SC 13D/A', 'SC 13G', 'SC 13G/A', 'SCHEDULE 13D', 'SCHEDULE 13D/A', 'SCHEDULE 13G', 'SCHEDULE 13G/A', 'POS 462B',
]);

const ACCEPTANCE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/;
const OPENS_MINUTES = 6 * 60;
const CLOSES_MINUTES = 22 * 60;
const SAME_DAY_CUTOFF_MINUTES = 18 * 60;
/** A reading wins when the other breaks the rules at least twice as often, plus this margin against noise. */
const DECISION_MARGIN = 3;

export interface AcceptanceInput {
  readonly acceptanceDateTime: string;
  readonly filingDate: string;
  readonly form: string;
}

/** The fields of an acceptance time as written (the wall clock of whichever zone the filer's values are in). */
interface Written {
  /** Milliseconds since 1970 if the written clock were UTC. */
  readonly asUtc: number;
  readonly placeholder: boolean;
}

function parseWritten(value: string): Written | null {
  if (value === '') return null;
  const match = ACCEPTANCE_PATTERN.exec(value);
  if (match === null) throw new FormatError(`sec: acceptanceDateTime ${JSON.stringify(value)} is not 'YYYY-MM-DDTHH:MM:SS.sssZ' (schema change?)`);
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(asUtc)) throw new FormatError(`sec: acceptanceDateTime ${JSON.stringify(value)} is not a valid time`);
  const placeholder = minute === 0 && second === 0 && (hour === 0 || hour === 4 || hour === 5);
  return { asUtc, placeholder };
}

const newYorkFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The New York wall clock at instant `utcMs`, written as if it were UTC (milliseconds). */
export function newYorkWallClock(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of newYorkFormat.formatToParts(new Date(utcMs))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!) + (utcMs % 1000);
}

/** The instant at which the New York wall clock reads `wallMs` (written as if UTC). Uses the tz database via Intl. */
export function newYorkToUtc(wallMs: number): number {
  // The offset is -5 h or -4 h; two rounds settle it except within the DST switch hour, when EDGAR is closed.
  let guess = wallMs + 5 * 3_600_000;
  for (let round = 0; round < 2; round++) guess = wallMs - (newYorkWallClock(guess) - guess);
  return guess;
}

function contradictions(newYorkWallMs: number, filingDate: string, form: string): number {
  const wall = new Date(newYorkWallMs);
  const minutes = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const day = wall.toISOString().slice(0, 10);
  if (minutes < OPENS_MINUTES || minutes > CLOSES_MINUTES) return 1;
  if (day > filingDate) return 1;
  const lateForm = LATE_FORMS.has(form) || form.endsWith('MEF');
  if (!lateForm && day === filingDate && minutes > SAME_DAY_CUTOFF_MINUTES) return 1;
  return 0;
}

/** Infers a company's acceptance clock from its filings (see the module comment). */
export function inferAcceptanceClock(filings: Iterable<AcceptanceInput>): AcceptanceClockEvidence {
  let timedFilings = 0;
  let utcContradictions = 0;
  let newYorkContradictions = 0;
  for (const filing of filings) {
    const written = parseWritten(filing.acceptanceDateTime);
    if (written === null || written.placeholder) continue;
    timedFilings++;
    utcContradictions += contradictions(newYorkWallClock(written.asUtc), filing.filingDate, filing.form);
    newYorkContradictions += contradictions(written.asUtc, filing.filingDate, filing.form);
  }
  const evidence = { timedFilings, utcContradictions, newYorkContradictions };
  if (newYorkContradictions >= 2 * utcContradictions + DECISION_MARGIN) return { clock: 'utc', determined: true, ...evidence };
  if (utcContradictions >= 2 * newYorkContradictions + DECISION_MARGIN) return { clock: 'new-york', determined: true, ...evidence };
  return { clock: 'new-york', determined: false, ...evidence };
}

/** The UTC ISO instant a filing became public, under the company's clock; the filing date at 00:00 UTC when unknown. */
export function acceptanceInstant(acceptanceDateTime: string, filingDate: string, clock: AcceptanceClock): string {
  const written = parseWritten(acceptanceDateTime);
  if (written === null || written.placeholder) return `${filingDate}T00:00:00.000Z`;
  return new Date(clock === 'utc' ? written.asUtc : newYorkToUtc(written.asUtc)).toISOString();
}
