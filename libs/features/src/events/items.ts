/**
 * Form 8-K items (SEC, Form 8-K General Instructions, items since 23 August 2004; 1.05 since 18 December 2023) and
 * the event each one reports, with its default severity and impact. Items 7.01 (Regulation FD), 8.01 (other events),
 * 1.01 and 1.02 (material agreements) and 3.01 (listing) are refined by the text of their section when the document
 * is available (classify.ts). Item 9.01 (financial statements and exhibits) reports no event by itself.
 */
import { SEVERITY, type EventImpact, type EventType } from './types.js';

export interface ItemClass {
  readonly type: EventType;
  readonly severity: number;
  readonly impact: EventImpact;
  readonly title: string;
}

const NONE: EventImpact = Object.freeze({ dividend: 0, liquidity: 0, credit: 0 });

function impact(dividend: number, liquidity: number, credit: number): EventImpact {
  return Object.freeze({ dividend, liquidity, credit });
}

function item(type: EventType, severity: number, title: string, channels: EventImpact = NONE): ItemClass {
  return Object.freeze({ type, severity, impact: channels, title });
}

export const FORM_8K_ITEMS: Readonly<Record<string, ItemClass>> = Object.freeze({
  '1.01': item('material_agreement', SEVERITY.ordinary, 'Entry into a Material Definitive Agreement'),
  '1.02': item('material_agreement', SEVERITY.ordinary, 'Termination of a Material Definitive Agreement'),
  '1.03': item('bankruptcy', SEVERITY.existential, 'Bankruptcy or Receivership', impact(-1, -1, -1)),
  '1.04': item('other', SEVERITY.ordinary, 'Mine Safety - Reporting of Shutdowns and Patterns of Violations', impact(0, -0.2, 0)),
  '1.05': item('cybersecurity', SEVERITY.serious, 'Material Cybersecurity Incidents', impact(0, -0.2, -0.2)),
  '2.01': item('merger_acquisition', SEVERITY.material, 'Completion of Acquisition or Disposition of Assets'),
  '2.02': item('earnings', SEVERITY.ordinary, 'Results of Operations and Financial Condition'),
  '2.03': item('refinancing', SEVERITY.ordinary, 'Creation of a Direct Financial Obligation', impact(0, 0.3, -0.2)),
  '2.04': item('refinancing', SEVERITY.serious, 'Triggering Events That Accelerate or Increase a Direct Financial Obligation', impact(-0.5, -0.8, -0.8)),
  '2.05': item('restructuring', SEVERITY.material, 'Costs Associated with Exit or Disposal Activities', impact(0, -0.3, -0.1)),
  '2.06': item('impairment', SEVERITY.material, 'Material Impairments', impact(0, 0, -0.3)),
  '3.01': item('delisting', SEVERITY.critical, 'Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard; Transfer of Listing', impact(0, -0.5, -0.3)),
  '3.02': item('refinancing', SEVERITY.ordinary, 'Unregistered Sales of Equity Securities', impact(0, 0.2, 0)),
  '3.03': item('governance', SEVERITY.routine, 'Material Modification to Rights of Security Holders'),
  '4.01': item('auditor_change', SEVERITY.material, "Changes in Registrant's Certifying Accountant", impact(0, 0, -0.1)),
  '4.02': item('restatement', SEVERITY.critical, 'Non-Reliance on Previously Issued Financial Statements or a Related Audit Report or Completed Interim Review', impact(0, -0.2, -0.5)),
  '5.01': item('merger_acquisition', SEVERITY.material, 'Changes in Control of Registrant'),
  '5.02': item('executive_change', SEVERITY.ordinary, 'Departure of Directors or Certain Officers; Election of Directors; Appointment of Certain Officers; Compensatory Arrangements of Certain Officers'),
  '5.03': item('governance', SEVERITY.routine, 'Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year'),
  '5.04': item('governance', SEVERITY.routine, "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans"),
  '5.05': item('governance', SEVERITY.routine, "Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the Code of Ethics"),
  '5.06': item('governance', SEVERITY.routine, 'Change in Shell Company Status'),
  '5.07': item('shareholder_vote', SEVERITY.routine, 'Submission of Matters to a Vote of Security Holders'),
  '5.08': item('governance', SEVERITY.routine, 'Shareholder Director Nominations'),
  '6.01': item('other', SEVERITY.routine, 'ABS Informational and Computational Material'),
  '6.02': item('other', SEVERITY.routine, 'Change of Servicer or Trustee'),
  '6.03': item('other', SEVERITY.routine, 'Change in Credit Enhancement or Other External Support'),
  '6.04': item('other', SEVERITY.ordinary, 'Failure to Make a Required Distribution'),
  '6.05': item('other', SEVERITY.routine, 'Securities Act Updating Disclosure'),
  '6.06': item('other', SEVERITY.routine, 'Static Pool'),
  '7.01': item('other', SEVERITY.routine, 'Regulation FD Disclosure'),
  '8.01': item('other', SEVERITY.routine, 'Other Events'),
});

/** Item 9.01 only lists exhibits; it never makes an event on its own. */
export const EXHIBITS_ITEM = '9.01';

/**
 * 8-K items before 23 August 2004 and their current equivalents (Item 12, results of operations, was added in March
 * 2003): documents of that era say "Item 5. Other Events".
 */
export const LEGACY_8K_ITEMS: Readonly<Record<string, string>> = Object.freeze({
  '1': '5.01',
  '2': '2.01',
  '3': '1.03',
  '4': '4.01',
  '5': '8.01',
  '6': '5.02',
  '7': '9.01',
  '8': '5.03',
  '9': '7.01',
  '10': '5.05',
  '11': '5.04',
  '12': '2.02',
});

/** Forms other than 8-K that are events by themselves; forms in neither table (Forms 3/4/5, 13F, S-8 ...) are not. */
export const FORM_EVENTS: Readonly<Record<string, ItemClass>> = Object.freeze({
  '10-K': item('periodic_report', SEVERITY.routine, 'Annual report'),
  '10-K/A': item('periodic_report', SEVERITY.routine, 'Annual report (amended)'),
  '10-KT': item('periodic_report', SEVERITY.routine, 'Transition report'),
  '10-Q': item('periodic_report', SEVERITY.routine, 'Quarterly report'),
  '10-Q/A': item('periodic_report', SEVERITY.routine, 'Quarterly report (amended)'),
  '20-F': item('periodic_report', SEVERITY.routine, 'Annual report of a foreign private issuer'),
  '40-F': item('periodic_report', SEVERITY.routine, 'Annual report of a Canadian issuer'),
  'NT 10-K': item('late_filing', SEVERITY.serious, 'Notification of late filing of the annual report', impact(0, 0, -0.2)),
  'NT 10-Q': item('late_filing', SEVERITY.serious, 'Notification of late filing of the quarterly report', impact(0, 0, -0.2)),
  'NT 20-F': item('late_filing', SEVERITY.serious, 'Notification of late filing of the annual report', impact(0, 0, -0.2)),
  // Forms 25 mostly remove a class of notes at maturity or redemption, or a target's shares after a merger (Apple
  // filed five from 2016 to 2021); a stock facing delisting shows first in an 8-K item 3.01. So: ordinary severity.
  '25': item('delisting', SEVERITY.ordinary, 'Notification of removal of a class of securities from listing', impact(0, -0.1, 0)),
  '25-NSE': item('delisting', SEVERITY.ordinary, 'Notification of removal of a class of securities from listing by the exchange', impact(0, -0.1, 0)),
  '15-12B': item('delisting', SEVERITY.serious, 'Termination of registration', impact(0, -0.5, -0.2)),
  '15-12G': item('delisting', SEVERITY.serious, 'Termination of registration', impact(0, -0.5, -0.2)),
  '15-15D': item('delisting', SEVERITY.serious, 'Suspension of the duty to file reports', impact(0, -0.5, -0.2)),
  'SC TO-T': item('merger_acquisition', SEVERITY.material, 'Third-party tender offer'),
  'SC 14D9': item('merger_acquisition', SEVERITY.material, 'Recommendation on a tender offer'),
  'DEFM14A': item('merger_acquisition', SEVERITY.material, 'Definitive merger proxy'),
  'PREM14A': item('merger_acquisition', SEVERITY.material, 'Preliminary merger proxy'),
  'SC TO-I': item('buyback', SEVERITY.ordinary, 'Issuer tender offer', impact(0, -0.2, 0)),
});

/** Forms whose events come from their items (and text): current reports. */
export function isCurrentReport(form: string): boolean {
  return /^(?:8-K|6-K)(?:\/A|12B|12G3|15D5)?$/.test(form);
}
