-- Every ranked scheme at every month end, per buyer, with data up to that month end only, before hysteresis:
-- value tier, ABC class, weighted score tier and RFM segment as small integer ranks (1 = top tier or first
-- rule), with the month's inputs the lifecycle stage needs. int_customer_segments_evaluated adds hysteresis.
with customer_months_grid as (
    select * from {{ ref('int_customer_months_aggregated') }}
),

months as (
    select * from {{ ref('int_evaluation_months_generated') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

segments as (
    select * from {{ source('config', 'segments') }}
),

rfm_rules as (
    select * from {{ source('config', 'rfm_segments') }}
),

thresholds as (
    -- each scheme's cut points as lists, top tier first (config guarantees their order)
    select
        list(min_value order by segment_rank) filter (where scheme = 'value') as value_minimums,
        list(min_value order by segment_rank) filter (where scheme = 'abc') as abc_shares,
        list(min_value order by segment_rank) filter (where scheme = 'score') as score_minimums,
        cast(count(*) filter (where scheme = 'rfm') as utinyint) as rfm_other_rank,
    from segments
),

rfm_lookup as (
    -- the segment of every (R, F, M) score combination, first matching rule first, as a list indexed by
    -- ((R - 1) × bins + F - 1) × bins + M: each customer-month then looks its segment up instead of testing rules
    select
        list(coalesce(combinations.first_rule_order, thresholds.rfm_other_rank) order by combinations.score_code) as segment_rank_by_score,
    from (
        select
            ((r.score - 1) * parameters.rfm_bins + f.score - 1) * parameters.rfm_bins + m.score as score_code,
            min(rfm_rules.rule_order) as first_rule_order,
        from parameters
        cross join range(1, parameters.rfm_bins + 1) as r(score)
        cross join range(1, parameters.rfm_bins + 1) as f(score)
        cross join range(1, parameters.rfm_bins + 1) as m(score)
        left join rfm_rules
            on r.score between rfm_rules.recency_score_min and rfm_rules.recency_score_max
            and f.score between rfm_rules.frequency_score_min and rfm_rules.frequency_score_max
            and m.score between rfm_rules.monetary_score_min and rfm_rules.monetary_score_max
        group by all
    ) as combinations
    cross join thresholds
),

customer_months as not materialized (
    -- read more than once: re-reading the table is cheaper than DuckDB keeping a materialized copy
    select
        grid.customer_key,
        grid.month_index,
        grid.first_order_month_index,
        grid.first_order_date,
        grid.orders_count,
        grid.revenue_cny,
        grid.trailing_revenue_cny,
        grid.trailing_orders_count,
        grid.lifetime_orders_count,
        grid.lifetime_revenue_cny,
        grid.last_order_date,
        grid.average_satisfaction_score,
        grid.average_nps_score,
        grid.lifetime_referrals_count,
        grid.lifetime_tickets_count,
        months.month_end_date,
        cast(months.month_end_date - grid.last_order_date as integer) as recency_days,
        cast(months.month_end_date - grid.first_order_date as integer) as tenure_days,
        case parameters.value_tier_measure
            when 'orders' then grid.trailing_orders_count
            when 'quantity' then grid.trailing_quantity
            else grid.trailing_revenue_cny
        end as value_measure,
        -- a purchase this month after a gap longer than the churn limit: the customer came back
        case
            when grid.month_first_order_date - grid.previous_order_date > parameters.lifecycle_churn_days
                then grid.month_first_order_date
        end as comeback_date,
    from customer_months_grid as grid
    inner join months using (month_index)
    cross join parameters
),

monthly_quantiles as (
    -- type-7 quantiles (R's default) at 1/5 .. 4/5 (the R rfm package's five bins; a quantile must be a constant,
    -- and every extra one costs a pass over the month's values) and the 95th percentile the score normalises by
    select
        month_index,
        count(*) as buyers,
        count(*) filter (where trailing_revenue_cny > 0) as buyers_with_trailing_revenue,
        sum(trailing_revenue_cny) as total_trailing_revenue_cny,
        quantile_cont(recency_days, [1 * (1 / 5), 2 * (1 / 5), 3 * (1 / 5), 4 * (1 / 5), 0.95]) as recency_quantiles,
        quantile_cont(lifetime_orders_count, [1 * (1 / 5), 2 * (1 / 5), 3 * (1 / 5), 4 * (1 / 5), 0.95]) as frequency_quantiles,
        quantile_cont(lifetime_revenue_cny, [1 * (1 / 5), 2 * (1 / 5), 3 * (1 / 5), 4 * (1 / 5), 0.95]) as monetary_quantiles,
        greatest(max(tenure_days), 1) as tenure_cap_days,
        greatest(2 * avg(lifetime_referrals_count), 1) as referrals_cap,
        greatest(2 * avg(lifetime_tickets_count), 1) as tickets_cap,
    from customer_months
    group by month_index
),

monthly_stats as (
    -- the R rfm package's breakpoints: quantile + 1, a value scores past a breakpoint when it is >= it
    select
        monthly_quantiles.*,
        recency_quantiles[1] + 1 as recency_break_1,
        recency_quantiles[2] + 1 as recency_break_2,
        recency_quantiles[3] + 1 as recency_break_3,
        recency_quantiles[4] + 1 as recency_break_4,
        frequency_quantiles[1] + 1 as frequency_break_1,
        frequency_quantiles[2] + 1 as frequency_break_2,
        frequency_quantiles[3] + 1 as frequency_break_3,
        frequency_quantiles[4] + 1 as frequency_break_4,
        monetary_quantiles[1] + 1 as monetary_break_1,
        monetary_quantiles[2] + 1 as monetary_break_2,
        monetary_quantiles[3] + 1 as monetary_break_3,
        monetary_quantiles[4] + 1 as monetary_break_4,
        greatest(recency_quantiles[5], 1) as recency_cap_days,
        greatest(frequency_quantiles[5], 1) as frequency_cap,
        greatest(monetary_quantiles[5], 1) as monetary_cap_cny,
    from monthly_quantiles
),

ranked_by_revenue as (
    -- ABC: revenue of the customers ranked strictly above each one, and their rank. With rfm.method rank, the RFM
    -- scores are ranks too: that branch reads no rows under method quantile, so its sorts cost nothing then (a
    -- join of two 16M-row streams costs more than repeating the two ABC window lines)
    select
        customer_months.*,
        coalesce(sum(customer_months.trailing_revenue_cny) over above, 0) as revenue_above_cny,
        rank() over above_rank as revenue_rank,
        cast(null as utinyint) as rank_recency_score,
        cast(null as utinyint) as rank_frequency_score,
        cast(null as utinyint) as rank_monetary_score,
    from customer_months
    cross join parameters
    where parameters.rfm_method = 'quantile'
    window
        above as (partition by customer_months.month_index order by customer_months.trailing_revenue_cny desc range between unbounded preceding and current row exclude group),
        above_rank as (partition by customer_months.month_index order by customer_months.trailing_revenue_cny desc)
    union all
    -- equal-size bins by rank, ties sharing the lower score
    select
        customer_months.*,
        coalesce(sum(customer_months.trailing_revenue_cny) over above_by_rank, 0),
        rank() over revenue_rank_by_rank,
        cast(1 + floor(parameters.rfm_bins * (rank() over (partition by customer_months.month_index order by customer_months.recency_days desc) - 1) / count(*) over (partition by customer_months.month_index)) as utinyint),
        cast(1 + floor(parameters.rfm_bins * (rank() over (partition by customer_months.month_index order by customer_months.lifetime_orders_count) - 1) / count(*) over (partition by customer_months.month_index)) as utinyint),
        cast(1 + floor(parameters.rfm_bins * (rank() over (partition by customer_months.month_index order by customer_months.lifetime_revenue_cny) - 1) / count(*) over (partition by customer_months.month_index)) as utinyint),
    from customer_months
    cross join parameters
    where parameters.rfm_method = 'rank'
    window
        above_by_rank as (partition by customer_months.month_index order by customer_months.trailing_revenue_cny desc range between unbounded preceding and current row exclude group),
        revenue_rank_by_rank as (partition by customer_months.month_index order by customer_months.trailing_revenue_cny desc)
),

scored as (
    select
        ranked.*,
        case parameters.abc_method
            when 'pareto' then ranked.revenue_above_cny / nullif(monthly_stats.total_trailing_revenue_cny, 0)
            else (ranked.revenue_rank - 1) / monthly_stats.buyers
        end as abc_share_above,
        coalesce(ranked.rank_recency_score, cast(parameters.rfm_bins - ((monthly_stats.recency_break_1 <= ranked.recency_days)::int + (monthly_stats.recency_break_2 <= ranked.recency_days)::int + (monthly_stats.recency_break_3 <= ranked.recency_days)::int + (monthly_stats.recency_break_4 <= ranked.recency_days)::int) as utinyint)) as recency_score,
        coalesce(ranked.rank_frequency_score, cast(1 + ((monthly_stats.frequency_break_1 <= ranked.lifetime_orders_count)::int + (monthly_stats.frequency_break_2 <= ranked.lifetime_orders_count)::int + (monthly_stats.frequency_break_3 <= ranked.lifetime_orders_count)::int + (monthly_stats.frequency_break_4 <= ranked.lifetime_orders_count)::int) as utinyint)) as frequency_score,
        coalesce(ranked.rank_monetary_score, cast(1 + ((monthly_stats.monetary_break_1 <= ranked.lifetime_revenue_cny)::int + (monthly_stats.monetary_break_2 <= ranked.lifetime_revenue_cny)::int + (monthly_stats.monetary_break_3 <= ranked.lifetime_revenue_cny)::int + (monthly_stats.monetary_break_4 <= ranked.lifetime_revenue_cny)::int) as utinyint)) as monetary_score,
        -- weighted score 0..100: indicators normalised to 0..1 against the month's buyers (see models/segmentation.yml)
        100 * (
            parameters.score_weight_recency * (1 - least(ranked.recency_days / monthly_stats.recency_cap_days, 1))
            + parameters.score_weight_frequency * least(ranked.lifetime_orders_count / monthly_stats.frequency_cap, 1)
            + parameters.score_weight_monetary * least(ranked.lifetime_revenue_cny / monthly_stats.monetary_cap_cny, 1)
            + parameters.score_weight_tenure * least(ranked.tenure_days / monthly_stats.tenure_cap_days, 1)
            + parameters.score_weight_satisfaction * coalesce((ranked.average_satisfaction_score - 1) / 4, 0.5)
            + parameters.score_weight_referrals * least(ranked.lifetime_referrals_count / monthly_stats.referrals_cap, 1)
            + parameters.score_weight_tickets * (1 - least(ranked.lifetime_tickets_count / monthly_stats.tickets_cap, 1))
        ) / (parameters.score_weight_recency + parameters.score_weight_frequency + parameters.score_weight_monetary
            + parameters.score_weight_tenure + parameters.score_weight_satisfaction + parameters.score_weight_referrals
            + parameters.score_weight_tickets) as customer_score,
    from ranked_by_revenue as ranked
    inner join monthly_stats using (month_index)
    cross join parameters
),

final as (
    -- the rank each scheme gives at this month end before hysteresis; only what later steps need, since the
    -- next window sort carries every column
    select
        scored.customer_key,
        scored.month_index,
        scored.first_order_month_index,
        scored.first_order_date,
        scored.last_order_date,
        scored.month_end_date,
        scored.orders_count,
        scored.revenue_cny,
        scored.trailing_revenue_cny,
        scored.trailing_orders_count,
        scored.lifetime_orders_count,
        scored.lifetime_revenue_cny,
        scored.recency_days,
        scored.tenure_days,
        scored.comeback_date,
        scored.average_satisfaction_score,
        scored.average_nps_score,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        scored.customer_score,
        -- 1 + the number of tiers whose minimum is above the value (config allows at most 10 tiers)
        cast(1 + coalesce(thresholds.value_minimums[1] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[2] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[3] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[4] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[5] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[6] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[7] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[8] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[9] > scored.value_measure, false)::int + coalesce(thresholds.value_minimums[10] > scored.value_measure, false)::int as utinyint) as raw_value_tier_rank,
        -- the first class whose cumulative share is above the share ranked above the customer (the last at most)
        cast(least(1 + coalesce(thresholds.abc_shares[1] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[2] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[3] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[4] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[5] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[6] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[7] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[8] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[9] <= coalesce(scored.abc_share_above, 1), false)::int + coalesce(thresholds.abc_shares[10] <= coalesce(scored.abc_share_above, 1), false)::int, len(thresholds.abc_shares)) as utinyint) as raw_abc_class_rank,
        cast(1 + coalesce(thresholds.score_minimums[1] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[2] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[3] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[4] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[5] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[6] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[7] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[8] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[9] > scored.customer_score, false)::int + coalesce(thresholds.score_minimums[10] > scored.customer_score, false)::int as utinyint) as raw_score_tier_rank,
        -- the first rule whose three ranges contain the scores, else the other segment (ranked last)
        cast(rfm_lookup.segment_rank_by_score[((scored.recency_score - 1) * parameters.rfm_bins + scored.frequency_score - 1) * parameters.rfm_bins + scored.monetary_score] as utinyint) as raw_rfm_segment_rank,
    from scored
    cross join thresholds
    cross join rfm_lookup
    cross join parameters
)

select * from final
