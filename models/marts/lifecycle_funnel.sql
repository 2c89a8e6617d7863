-- The lifecycle funnel at the as-of date: every known customer → bought at least once → bought again → loyal now,
-- and how long prospects took to a first purchase (bands of days from creation to the first completed order,
-- by the month of that order). Small: 4 funnel rows + months × 6 bands.
with current_segments as (
    select * from {{ ref('customer_segments_current') }}
),

current_tiers as (
    select * from {{ ref('customer_value_tier') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

segments as (
    select * from {{ ref('segment_definitions') }}
),

funnel_counts as (
    select
        count(*) as known_customers,
        count(*) filter (where current_tiers.customer_id is not null) as buyers,
        count(*) filter (where current_tiers.lifetime_orders_count >= 2) as repeat_buyers,
        count(*) filter (where current_segments.lifecycle_stage = (select segment from segments where scheme = 'lifecycle' and segment_rank = 3)) as loyal_customers,
    from current_segments
    left join current_tiers using (customer_id)
),

funnel as (
    select 'funnel' as grouping, 1 as step_rank, 'Known customers (prospects included)' as step, '全部客户（含潜在客户）' as step_zh, null::date as month_start_date, known_customers as customers from funnel_counts
    union all
    select 'funnel', 2, 'Bought at least once', '至少购买一次', null, buyers from funnel_counts
    union all
    select 'funnel', 3, 'Bought again (2+ orders)', '复购（2 单以上）', null, repeat_buyers from funnel_counts
    union all
    select 'funnel', 4, 'Loyal now', '当前忠诚客户', null, loyal_customers from funnel_counts
),

bands as (
    select * from (values
        (1, 0, 7, '0–7 days', '0–7 天'),
        (2, 8, 30, '8–30 days', '8–30 天'),
        (3, 31, 90, '31–90 days', '31–90 天'),
        (4, 91, 180, '91–180 days', '91–180 天'),
        (5, 181, 365, '181–365 days', '181–365 天'),
        (6, 366, null, 'over a year', '一年以上')
    ) as b(band_rank, min_days, max_days, band_label, band_label_zh)
),

first_purchases as (
    select
        cast(date_trunc('month', current_tiers.first_order_date) as date) as month_start_date,
        greatest(date_diff('day', customers.created_date, current_tiers.first_order_date), 0) as days_to_first_purchase,
    from current_tiers
    inner join customers using (customer_id)
    where customers.created_date is not null
),

time_to_first_purchase as (
    select
        'days_to_first_purchase' as grouping,
        bands.band_rank as step_rank,
        bands.band_label as step,
        bands.band_label_zh as step_zh,
        first_purchases.month_start_date,
        count(*) as customers,
    from first_purchases
    inner join bands
        on first_purchases.days_to_first_purchase >= bands.min_days
        and (bands.max_days is null or first_purchases.days_to_first_purchase <= bands.max_days)
    group by all
),

final as (
    select grouping, step_rank, step, step_zh, month_start_date, cast(customers as bigint) as customers from funnel
    union all
    select grouping, step_rank, step, step_zh, month_start_date, cast(customers as bigint) from time_to_first_purchase
)

select * from final
