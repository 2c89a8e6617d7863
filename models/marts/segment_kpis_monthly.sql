-- Per scheme, month and segment: size, revenue, order value, repeat purchase, retention, churn, moves up and
-- down, prospect conversion and satisfaction. Small (schemes × months × segments); dashboards read it.
with transitions as (
    select * from {{ ref('int_segment_transitions_aggregated') }}
),

evaluated as (
    select * from {{ ref('int_customer_segments_evaluated') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

segment_definitions as (
    select * from {{ ref('segment_definitions') }}
),

segments as (
    -- the schemes with a monthly history: CLV tiers come from one fit at the latest data (customer_segments_current)
    select * from segment_definitions where scheme <> 'clv'
),

arrivals as (
    -- customers in the segment at the month end, by where they came from
    select
        scheme_code,
        month_index,
        to_segment_rank as segment_rank,
        sum(customers) as customers,
        sum(active_customers) as active_customers,
        sum(orders) as orders,
        sum(revenue_cny) as revenue_cny,
        sum(repeat_customers) as repeat_customers,
        sum(customers) filter (where from_segment_rank > to_segment_rank) as upgraded_customers,
        sum(customers) filter (where from_segment_rank between 1 and to_segment_rank - 1) as downgraded_customers,
        sum(satisfaction_score_sum) as satisfaction_score_sum,
        sum(satisfaction_customers) as satisfaction_customers,
        sum(nps_score_sum) as nps_score_sum,
        sum(nps_customers) as nps_customers,
    from transitions
    group by all
),

departures as (
    -- customers in the segment at the previous month end, by where they are now
    select
        scheme_code,
        month_index,
        from_segment_rank as segment_rank,
        sum(customers) as previous_customers,
        sum(customers) filter (where to_segment_rank = from_segment_rank) as stayed_customers,
        sum(churn_exposed_customers) as churn_exposed_customers,
        sum(churned_customers) as churned_customers,
    from transitions
    where from_segment_rank > 0
    group by all
),

first_purchases as (
    select customer_key, first_order_month_index from evaluated where month_index = first_order_month_index
),

prospect_events as (
    -- a customer is a prospect from the month they were created until the month of their first purchase
    select
        cast(year(start_date) * 12 + month(start_date) - 1 as integer) as month_index,
        1 as prospect_change,
        0 as converted,
    from (
        select least(customers.created_date, coalesce(
            cast(make_date(first_purchases.first_order_month_index // 12, first_purchases.first_order_month_index % 12 + 1, 1) as date),
            customers.created_date)) as start_date,
        from customers
        left join first_purchases using (customer_key)
    )
    where start_date is not null
    union all
    select
        first_purchases.first_order_month_index,
        -1,
        -- converted: was already a prospect at the end of the month before
        case when cast(year(customers.created_date) * 12 + month(customers.created_date) - 1 as integer) < first_purchases.first_order_month_index then 1 else 0 end,
    from first_purchases
    inner join customers using (customer_key)
),

prospects as (
    select
        months.month_index,
        sum(prospect_events.prospect_change) filter (where prospect_events.month_index <= months.month_index) as prospects,
        sum(prospect_events.converted) filter (where prospect_events.month_index = months.month_index) as converted_prospects,
    from months
    cross join prospect_events
    group by months.month_index
),

lifecycle_prospects as (
    select
        5 as scheme_code,
        month_index,
        0 as segment_rank,
        greatest(coalesce(prospects, 0), 0) as prospects,
        converted_prospects,
        lag(greatest(coalesce(prospects, 0), 0)) over (order by month_index) as previous_prospects,
    from prospects
),

final as (
    -- every segment in every month, so an empty segment shows as zero instead of a gap
    select
        segments.scheme,
        segments.scheme_code,
        months.month_start_date,
        segments.segment_rank,
        segments.segment,
        segments.segment_zh,
        coalesce(arrivals.customers, lifecycle_prospects.prospects, 0) as customers,
        coalesce(arrivals.active_customers, 0) as active_customers,
        cast(coalesce(arrivals.orders, 0) as bigint) as orders,
        cast(coalesce(arrivals.revenue_cny, 0) as decimal(18, 2)) as revenue_cny,
        round(coalesce(arrivals.revenue_cny, 0) / nullif(sum(arrivals.revenue_cny) over (partition by segments.scheme_code, months.month_index), 0), 4) as revenue_share,
        round(arrivals.revenue_cny / nullif(arrivals.orders, 0), 2) as average_order_value_cny,
        round(arrivals.repeat_customers / nullif(arrivals.customers, 0), 4) as repeat_purchase_rate,
        round(coalesce(departures.stayed_customers, 0) / nullif(departures.previous_customers, 0), 4) as retention_rate,
        round(coalesce(departures.churned_customers, 0) / nullif(departures.churn_exposed_customers, 0), 4) as churn_rate,
        case when segments.scheme <> 'lifecycle' then round(coalesce(arrivals.upgraded_customers, 0) / nullif(arrivals.customers, 0), 4) end as upgrade_rate,
        case when segments.scheme <> 'lifecycle' then round(coalesce(arrivals.downgraded_customers, 0) / nullif(arrivals.customers, 0), 4) end as downgrade_rate,
        round(lifecycle_prospects.converted_prospects / nullif(lifecycle_prospects.previous_prospects, 0), 4) as prospect_conversion_rate,
        round(arrivals.satisfaction_score_sum / nullif(arrivals.satisfaction_customers, 0), 2) as average_satisfaction_score,
        round(arrivals.nps_score_sum / nullif(arrivals.nps_customers, 0), 2) as average_nps_score,
    from segments
    cross join months
    left join arrivals
        on arrivals.scheme_code = segments.scheme_code
        and arrivals.month_index = months.month_index
        and arrivals.segment_rank = segments.segment_rank
    left join departures
        on departures.scheme_code = segments.scheme_code
        and departures.month_index = months.month_index
        and departures.segment_rank = segments.segment_rank
    left join lifecycle_prospects
        on lifecycle_prospects.scheme_code = segments.scheme_code
        and lifecycle_prospects.month_index = months.month_index
        and lifecycle_prospects.segment_rank = segments.segment_rank
)

select * from final
