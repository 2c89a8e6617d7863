import type { ValueMap } from './types.ts';

/** Deal / opportunity stages of the common CRMs, as won, lost or still open. */
export const DEAL_STAGE: ValueMap = {
  cases: [
    ['closed[ -]?won|^won$|赢单|已成交|^成交$', 'won'],
    ['closed[ -]?lost|^lost$|输单|丢单|失败', 'lost'],
  ],
  otherwise: 'open',
};

/** HubSpot lifecycle stages, by label or internal name. */
export const LIFECYCLE_STAGE: ValueMap = {
  cases: [
    ['^subscriber$', 'subscriber'],
    ['^lead$', 'lead'],
    ['^(marketing ?qualified ?lead|marketingqualifiedlead|mql)$', 'marketing_qualified_lead'],
    ['^(sales ?qualified ?lead|salesqualifiedlead|sql)$', 'sales_qualified_lead'],
    ['^opportunity$', 'opportunity'],
    ['^customer$', 'customer'],
    ['^evangelist$', 'evangelist'],
  ],
  otherwise: 'other',
};

/** The five-point satisfaction labels the warehouse uses (很满意 … 很不满意), from Chinese and English wording. */
export const SATISFACTION: ValueMap = {
  cases: [
    ['^(很满意|非常满意|very satisfied|5)$', '很满意'],
    ['^(很不满意|非常不满意|very dissatisfied|1)$', '很不满意'],
    ['^(不满意|dissatisfied|2)$', '不满意'],
    ['^(一般|neutral|3)$', '一般'],
    ['^(满意|satisfied|4)$', '满意'],
  ],
  otherwise: { reject: true },
};

/** Acquisition sources: a referral (转介绍) is what the tiers look at; other sources are kept as written. */
export const ACQUISITION_SOURCE: ValueMap = {
  cases: [['转介绍|推荐|referr?al|word of mouth', 'referral']],
  otherwise: { keep: true },
};
