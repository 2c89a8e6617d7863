import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { WarehouseSchema } from '../db/schema.ts';
import type { ExportScheme, ExportTier } from './tiers.ts';

export type ExportLanguage = 'en' | 'zh';
/** How a column is written: text, whole numbers, decimals, CNY amounts, dates ('YYYY-MM-DD'), yes/no. */
export type ColumnKind = 'text' | 'integer' | 'number' | 'money' | 'date' | 'boolean';

export interface ExportColumn {
  /** The column's name in the query (ASCII; headers are en / zh). */
  readonly key: keyof ExportRow;
  readonly en: string;
  readonly zh: string;
  readonly kind: ColumnKind;
}

/** One customer of the list, as the query returns it. */
export interface ExportRow {
  customer_id: string;
  customer_name: string;
  customer_type: string;
  region: string | null;
  channel: string | null;
  tier: string | null;
  as_of_date: string;
  lifetime_revenue_cny: number | null;
  lifetime_orders: number | null;
  first_order_date: string | null;
  last_order_date: string | null;
  recency_days: number | null;
  rfm_score: string | null;
  customer_score: number | null;
  clv_cny: number | null;
  p_alive: number | null;
  churn_risk_band: string | null;
  top_product_category: string | null;
  is_price_sensitive: boolean | null;
  is_service_intensive: boolean | null;
  satisfaction_band: string | null;
  referrals_made: number | null;
  is_strategic_account: boolean | null;
  email: string | null;
  phone: string | null;
}

/** The columns of the file, in order; the tier column is headed with the scheme's own name. */
export function exportColumns(tier: ExportTier): readonly ExportColumn[] {
  return [
    { key: 'customer_id', en: 'Customer ID', zh: '客户编号', kind: 'text' },
    { key: 'customer_name', en: 'Customer name', zh: '客户名称', kind: 'text' },
    { key: 'customer_type', en: 'Customer type', zh: '客户类型', kind: 'text' },
    { key: 'region', en: 'Region', zh: '区域', kind: 'text' },
    { key: 'channel', en: 'Channel', zh: '渠道', kind: 'text' },
    { key: 'tier', en: tier.scheme_label_en, zh: tier.scheme_label_zh, kind: 'text' },
    { key: 'as_of_date', en: 'As of', zh: '评估日期', kind: 'date' },
    { key: 'lifetime_revenue_cny', en: 'Lifetime revenue (CNY)', zh: '累计消费金额（元）', kind: 'money' },
    { key: 'lifetime_orders', en: 'Orders', zh: '累计订单数', kind: 'integer' },
    { key: 'first_order_date', en: 'First order date', zh: '首次下单日期', kind: 'date' },
    { key: 'last_order_date', en: 'Last order date', zh: '最近下单日期', kind: 'date' },
    { key: 'recency_days', en: 'Days since last order', zh: '距最近下单天数', kind: 'integer' },
    { key: 'rfm_score', en: 'RFM score', zh: 'RFM 得分', kind: 'text' },
    { key: 'customer_score', en: 'Customer score', zh: '客户评分', kind: 'number' },
    { key: 'clv_cny', en: 'CLV (CNY)', zh: '客户终身价值（元）', kind: 'money' },
    { key: 'p_alive', en: 'P(alive)', zh: '存活概率', kind: 'number' },
    { key: 'churn_risk_band', en: 'Churn risk', zh: '流失风险', kind: 'text' },
    { key: 'top_product_category', en: 'Top product category', zh: '偏好品类', kind: 'text' },
    { key: 'is_price_sensitive', en: 'Price sensitive', zh: '价格敏感', kind: 'boolean' },
    { key: 'is_service_intensive', en: 'Service intensive', zh: '服务需求高', kind: 'boolean' },
    { key: 'satisfaction_band', en: 'Satisfaction', zh: '满意度', kind: 'text' },
    { key: 'referrals_made', en: 'Referrals made', zh: '推荐客户数', kind: 'integer' },
    { key: 'is_strategic_account', en: 'Strategic account', zh: '战略客户', kind: 'boolean' },
    { key: 'email', en: 'Email', zh: '邮箱', kind: 'text' },
    { key: 'phone', en: 'Phone', zh: '电话', kind: 'text' },
  ];
}

export function header(column: ExportColumn, lang: ExportLanguage): string {
  return lang === 'zh' ? column.zh : column.en;
}

/** Where each scheme's tier lives: a fixed map, so no user text ever becomes a column name. */
const TIER_COLUMNS = {
  value: { en: 's.value_tier', zh: 's.value_tier_zh' },
  abc: { en: 's.abc_class', zh: 's.abc_class_zh' },
  score: { en: 's.score_tier', zh: 's.score_tier_zh' },
  rfm: { en: 's.rfm_segment', zh: 's.rfm_segment_zh' },
  lifecycle: { en: 's.lifecycle_stage', zh: 's.lifecycle_stage_zh' },
  clv: { en: 's.clv_tier', zh: 's.clv_tier_zh' },
} as const satisfies Record<ExportScheme, { en: string; zh: string }>;

/**
 * The customers of one tier: customer_segments_current (the as-of date's segments and need tags) with the key
 * numbers of customer_rfm and customer_clv, and email / phone — the customer's own, else the first contact's
 * with one. One row per customer of customer_segments_current; the tier's name is a bound parameter.
 */
export function exportQuery(db: Kysely<WarehouseSchema>, tier: ExportTier, lang: ExportLanguage): SelectQueryBuilder<any, any, ExportRow> {
  const contactsFirst = sql`(k.created_date, k.contact_id)`;
  const reachable = db.selectFrom('stg_customers as c')
    .leftJoin('stg_contacts as k', 'k.customer_key', 'c.customer_key')
    .select([
      'c.customer_id',
      sql<string | null>`coalesce(max(c.email), min_by(k.email, ${contactsFirst}) filter (where k.email is not null))`.as('email'),
      sql<string | null>`coalesce(max(c.phone), min_by(k.phone, ${contactsFirst}) filter (where k.phone is not null))`.as('phone'),
    ])
    .groupBy('c.customer_id');

  const tierColumn = TIER_COLUMNS[tier.scheme];
  return db.selectFrom('customer_segments_current as s')
    .leftJoin('customer_rfm as r', 'r.customer_id', 's.customer_id')
    .leftJoin('customer_clv as v', 'v.customer_id', 's.customer_id')
    .leftJoin(reachable.as('p'), 'p.customer_id', 's.customer_id')
    .select([
      's.customer_id',
      's.customer_name',
      's.customer_type',
      's.region',
      's.channel',
      sql.ref<string | null>(lang === 'zh' ? tierColumn.zh : tierColumn.en).as('tier'),
      's.as_of_date',
      'r.monetary_cny as lifetime_revenue_cny',
      'r.frequency_orders as lifetime_orders',
      'r.first_order_date',
      'r.last_order_date',
      'r.recency_days',
      's.rfm_score',
      's.customer_score',
      sql<number | null>`round(v.clv_cny, 2)`.as('clv_cny'),
      sql<number | null>`round(v.p_alive, 4)`.as('p_alive'),
      'v.churn_risk_band',
      's.top_product_category',
      's.is_price_sensitive',
      's.is_service_intensive',
      's.satisfaction_band',
      's.referrals_made',
      's.is_strategic_account',
      'p.email',
      'p.phone',
    ])
    .where(sql.ref(tierColumn.en), '=', tier.name)
    .orderBy('r.monetary_cny', (order) => order.desc().nullsLast())
    .orderBy('s.customer_id') as unknown as SelectQueryBuilder<any, any, ExportRow>;
}
