-- CLV tiers per month end, in the shape of segment_kpis_monthly's size and revenue columns: the latest month from
-- this run's fit (customer_clv), earlier months from the snapshots earlier runs kept (clv_tier_snapshots, written
-- by `crm-tiers run`). One fit per run, so the history grows by a month with each monthly run; refitting every
-- past month end instead would mean 36 fits and 36 predictions per customer.
with clv as (
    select * from {{ ref('customer_clv') }}
),

evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

segment_definitions as (
    select * from {{ ref('segment_definitions') }}
),

snapshots as (
    select * from {{ source('clv', 'tier_snapshots') }}
),

tiers as (
    -- none when the clv scheme is switched off
    select * from segment_definitions where scheme = 'clv'
),

latest_month as (
    select month_index, month_start_date from months where is_as_of_month
),

latest_customers as (
    select
        clv.clv_tier_rank as segment_rank,
        clv.clv_cny,
        evaluated.orders_count,
        evaluated.revenue_cny,
        evaluated.lifetime_orders_count,
    from clv
    inner join evaluated on evaluated.customer_key = clv.customer_key
    inner join latest_month on latest_month.month_index = evaluated.month_index
),

latest_tiers as (
    -- every tier, zeros when empty
    select
        latest_month.month_start_date,
        tiers.segment_rank,
        count(latest_customers.segment_rank) as customers,
        count(latest_customers.segment_rank) filter (where latest_customers.orders_count > 0) as active_customers,
        coalesce(sum(latest_customers.orders_count), 0) as orders,
        coalesce(sum(latest_customers.revenue_cny), 0) as revenue_cny,
        count(latest_customers.segment_rank) filter (where latest_customers.lifetime_orders_count >= 2) as repeat_customers,
        coalesce(sum(latest_customers.clv_cny), 0) as clv_cny,
    from tiers
    cross join latest_month
    left join latest_customers on latest_customers.segment_rank = tiers.segment_rank
    group by all
),

earlier_tiers as (
    select
        snapshots.month_start_date,
        snapshots.segment_rank,
        snapshots.customers,
        snapshots.active_customers,
        snapshots.orders,
        snapshots.revenue_cny,
        snapshots.repeat_customers,
        snapshots.clv_cny,
    from snapshots
    -- a later run's month (data reloaded from an earlier date) is not history
    where snapshots.month_start_date < (select month_start_date from latest_month)
),

combined as (
    select * from latest_tiers
    union all
    select * from earlier_tiers
),

final as (
    select
        tiers.scheme,
        tiers.scheme_code,
        combined.month_start_date,
        combined.segment_rank,
        tiers.segment,
        tiers.segment_zh,
        cast(combined.customers as bigint) as customers,
        cast(combined.active_customers as bigint) as active_customers,
        cast(combined.orders as bigint) as orders,
        cast(combined.revenue_cny as decimal(18, 2)) as revenue_cny,
        round(combined.revenue_cny / nullif(sum(combined.revenue_cny) over (partition by combined.month_start_date), 0), 4) as revenue_share,
        round(combined.revenue_cny / nullif(combined.orders, 0), 2) as average_order_value_cny,
        round(combined.repeat_customers / nullif(combined.customers, 0), 4) as repeat_purchase_rate,
        cast(combined.repeat_customers as bigint) as repeat_customers,
        cast(combined.clv_cny as decimal(18, 2)) as clv_cny,
    from combined
    -- also keeps only the tiers of the current config (a snapshot may hold a tier since removed)
    inner join tiers on tiers.segment_rank = combined.segment_rank
)

select * from final
