import type { Warehouse } from '../db/warehouse.ts';
import { SCHEME_CODES, type SchemeKey } from '../config/segmentation.ts';

export const SCHEME_KEYS = Object.keys(SCHEME_CODES) as SchemeKey[];

/** The rank column of int_customer_segments_evaluated that holds each scheme. */
const RANK_COLUMNS: Readonly<Record<SchemeKey, string>> = Object.freeze({
  value: 'value_tier_rank',
  abc: 'abc_class_rank',
  score: 'score_tier_rank',
  rfm: 'rfm_segment_rank',
  lifecycle: 'lifecycle_stage_code',
});

export interface SegmentSummary {
  readonly segment: string;
  readonly segment_zh: string;
  readonly customers: number;
  readonly orders: number;
  readonly revenue: number;
}

/**
 * Per segment of one scheme at the as-of month: buying customers, their completed orders and revenue (CNY) up to
 * the as-of date. Every configured segment is listed, empty ones with zeros, in the scheme's order.
 */
export async function summariseScheme(warehouse: Warehouse, scheme: SchemeKey): Promise<SegmentSummary[]> {
  // the column name comes from the fixed map above, never from user input
  const rank = RANK_COLUMNS[scheme];
  return warehouse.rows<SegmentSummary>(`
    with current_segments as (
        select evaluated.*
        from int_customer_segments_evaluated as evaluated
        inner join int_evaluation_months_generated as months using (month_index)
        where months.is_as_of_month
    ),
    per_segment as (
        select ${rank} as segment_rank, count(*) as customers, sum(lifetime_orders_count) as orders, sum(lifetime_revenue_cny) as revenue
        from current_segments
        group by all
    )
    select
        segments.segment,
        segments.segment_zh,
        cast(coalesce(per_segment.customers, 0) as integer) as customers,
        cast(coalesce(per_segment.orders, 0) as integer) as orders,
        cast(round(coalesce(per_segment.revenue, 0), 2) as double) as revenue,
    from config_segments as segments
    left join per_segment using (segment_rank)
    where segments.scheme = $1
        and (segments.scheme <> 'lifecycle' or segments.segment_rank > 0)
    order by segments.segment_rank`, [scheme]);
}
