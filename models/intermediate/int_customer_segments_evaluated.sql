-- Every segmentation scheme at every month end, per buyer, with data up to that month end only: value tier,
-- ABC class, weighted score tier, RFM segment and lifecycle stage, each as a small integer rank (1 = top tier or
-- first rule), with hysteresis (a lower rank takes effect after N consecutive month ends below) and last month's
-- rank. One row per customer-month: the long customer × month × scheme history is a view over this table.
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

rfm_rule_list as (
    select
        list({
            rule_order: rule_order,
            r_min: recency_score_min, r_max: recency_score_max,
            f_min: frequency_score_min, f_max: frequency_score_max,
            m_min: monetary_score_min, m_max: monetary_score_max,
        } order by rule_order) as rules,
    from rfm_rules
),

customer_months as materialized (
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
    -- type-7 quantiles (R's default) at k / bins for every bins in 2..10, laid out so bins b, break k sits at
    -- (b - 1)(b - 2) / 2 + k; the 46th is the 95th percentile the score normalises by
    select
        month_index,
        count(*) as buyers,
        count(*) filter (where trailing_revenue_cny > 0) as buyers_with_trailing_revenue,
        sum(trailing_revenue_cny) as total_trailing_revenue_cny,
        quantile_cont(recency_days, [1*(1/2), 1*(1/3), 2*(1/3), 1*(1/4), 2*(1/4), 3*(1/4), 1*(1/5), 2*(1/5), 3*(1/5), 4*(1/5), 1*(1/6), 2*(1/6), 3*(1/6), 4*(1/6), 5*(1/6), 1*(1/7), 2*(1/7), 3*(1/7), 4*(1/7), 5*(1/7), 6*(1/7), 1*(1/8), 2*(1/8), 3*(1/8), 4*(1/8), 5*(1/8), 6*(1/8), 7*(1/8), 1*(1/9), 2*(1/9), 3*(1/9), 4*(1/9), 5*(1/9), 6*(1/9), 7*(1/9), 8*(1/9), 1*(1/10), 2*(1/10), 3*(1/10), 4*(1/10), 5*(1/10), 6*(1/10), 7*(1/10), 8*(1/10), 9*(1/10), 0.95]) as recency_quantiles,
        quantile_cont(lifetime_orders_count, [1*(1/2), 1*(1/3), 2*(1/3), 1*(1/4), 2*(1/4), 3*(1/4), 1*(1/5), 2*(1/5), 3*(1/5), 4*(1/5), 1*(1/6), 2*(1/6), 3*(1/6), 4*(1/6), 5*(1/6), 1*(1/7), 2*(1/7), 3*(1/7), 4*(1/7), 5*(1/7), 6*(1/7), 1*(1/8), 2*(1/8), 3*(1/8), 4*(1/8), 5*(1/8), 6*(1/8), 7*(1/8), 1*(1/9), 2*(1/9), 3*(1/9), 4*(1/9), 5*(1/9), 6*(1/9), 7*(1/9), 8*(1/9), 1*(1/10), 2*(1/10), 3*(1/10), 4*(1/10), 5*(1/10), 6*(1/10), 7*(1/10), 8*(1/10), 9*(1/10), 0.95]) as frequency_quantiles,
        quantile_cont(lifetime_revenue_cny, [1*(1/2), 1*(1/3), 2*(1/3), 1*(1/4), 2*(1/4), 3*(1/4), 1*(1/5), 2*(1/5), 3*(1/5), 4*(1/5), 1*(1/6), 2*(1/6), 3*(1/6), 4*(1/6), 5*(1/6), 1*(1/7), 2*(1/7), 3*(1/7), 4*(1/7), 5*(1/7), 6*(1/7), 1*(1/8), 2*(1/8), 3*(1/8), 4*(1/8), 5*(1/8), 6*(1/8), 7*(1/8), 1*(1/9), 2*(1/9), 3*(1/9), 4*(1/9), 5*(1/9), 6*(1/9), 7*(1/9), 8*(1/9), 1*(1/10), 2*(1/10), 3*(1/10), 4*(1/10), 5*(1/10), 6*(1/10), 7*(1/10), 8*(1/10), 9*(1/10), 0.95]) as monetary_quantiles,
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
        list_transform(range(1, parameters.rfm_bins), k -> recency_quantiles[(parameters.rfm_bins - 1) * (parameters.rfm_bins - 2) // 2 + k] + 1) as recency_breaks,
        list_transform(range(1, parameters.rfm_bins), k -> frequency_quantiles[(parameters.rfm_bins - 1) * (parameters.rfm_bins - 2) // 2 + k] + 1) as frequency_breaks,
        list_transform(range(1, parameters.rfm_bins), k -> monetary_quantiles[(parameters.rfm_bins - 1) * (parameters.rfm_bins - 2) // 2 + k] + 1) as monetary_breaks,
        greatest(recency_quantiles[46], 1) as recency_cap_days,
        greatest(frequency_quantiles[46], 1) as frequency_cap,
        greatest(monetary_quantiles[46], 1) as monetary_cap_cny,
    from monthly_quantiles
    cross join parameters
),

rank_scores as (
    -- rfm method `rank`: equal-size bins by rank, ties sharing the lower score (only computed when chosen)
    select
        customer_key,
        month_index,
        cast(1 + floor(parameters.rfm_bins * (rank() over (partition by month_index order by recency_days desc) - 1) / count(*) over (partition by month_index)) as utinyint) as recency_score,
        cast(1 + floor(parameters.rfm_bins * (rank() over (partition by month_index order by lifetime_orders_count) - 1) / count(*) over (partition by month_index)) as utinyint) as frequency_score,
        cast(1 + floor(parameters.rfm_bins * (rank() over (partition by month_index order by lifetime_revenue_cny) - 1) / count(*) over (partition by month_index)) as utinyint) as monetary_score,
    from customer_months
    cross join parameters
    where parameters.rfm_method = 'rank'
),

ranked_by_revenue as (
    -- ABC: the share of revenue (pareto) or of customers (percentile) ranked strictly above each customer
    select
        customer_months.*,
        case parameters.abc_method
            when 'pareto' then coalesce(sum(customer_months.trailing_revenue_cny) over above, 0) / nullif(monthly_stats.total_trailing_revenue_cny, 0)
            else (rank() over above_rank - 1) / monthly_stats.buyers
        end as abc_share_above,
        monthly_stats.recency_breaks,
        monthly_stats.frequency_breaks,
        monthly_stats.monetary_breaks,
        monthly_stats.recency_cap_days,
        monthly_stats.frequency_cap,
        monthly_stats.monetary_cap_cny,
        monthly_stats.tenure_cap_days,
        monthly_stats.referrals_cap,
        monthly_stats.tickets_cap,
    from customer_months
    inner join monthly_stats using (month_index)
    cross join parameters
    window
        above as (partition by customer_months.month_index order by customer_months.trailing_revenue_cny desc range between unbounded preceding and current row exclude group),
        above_rank as (partition by customer_months.month_index order by customer_months.trailing_revenue_cny desc)
),

scored as (
    select
        ranked.*,
        coalesce(rank_scores.recency_score, cast(parameters.rfm_bins - len(list_filter(ranked.recency_breaks, b -> b <= ranked.recency_days)) as utinyint)) as recency_score,
        coalesce(rank_scores.frequency_score, cast(1 + len(list_filter(ranked.frequency_breaks, b -> b <= ranked.lifetime_orders_count)) as utinyint)) as frequency_score,
        coalesce(rank_scores.monetary_score, cast(1 + len(list_filter(ranked.monetary_breaks, b -> b <= ranked.lifetime_revenue_cny)) as utinyint)) as monetary_score,
        -- weighted score 0..100: indicators normalised to 0..1 against the month's buyers (see models/segmentation.yml)
        100 * (
            parameters.score_weight_recency * (1 - least(ranked.recency_days / ranked.recency_cap_days, 1))
            + parameters.score_weight_frequency * least(ranked.lifetime_orders_count / ranked.frequency_cap, 1)
            + parameters.score_weight_monetary * least(ranked.lifetime_revenue_cny / ranked.monetary_cap_cny, 1)
            + parameters.score_weight_tenure * least(ranked.tenure_days / ranked.tenure_cap_days, 1)
            + parameters.score_weight_satisfaction * coalesce((ranked.average_satisfaction_score - 1) / 4, 0.5)
            + parameters.score_weight_referrals * least(ranked.lifetime_referrals_count / ranked.referrals_cap, 1)
            + parameters.score_weight_tickets * (1 - least(ranked.lifetime_tickets_count / ranked.tickets_cap, 1))
        ) / (parameters.score_weight_recency + parameters.score_weight_frequency + parameters.score_weight_monetary
            + parameters.score_weight_tenure + parameters.score_weight_satisfaction + parameters.score_weight_referrals
            + parameters.score_weight_tickets) as customer_score,
    from ranked_by_revenue as ranked
    left join rank_scores using (customer_key, month_index)
    cross join parameters
),

raw_ranks as (
    -- the rank each scheme gives at this month end before hysteresis
    select
        scored.*,
        cast(1 + len(list_filter(thresholds.value_minimums, minimum -> minimum > scored.value_measure)) as utinyint) as raw_value_tier_rank,
        -- the first class whose cumulative share is above the share ranked above the customer (the last at most)
        cast(least(1 + len(list_filter(thresholds.abc_shares, share -> share <= coalesce(scored.abc_share_above, 1))), len(thresholds.abc_shares)) as utinyint) as raw_abc_class_rank,
        cast(1 + len(list_filter(thresholds.score_minimums, minimum -> minimum > scored.customer_score)) as utinyint) as raw_score_tier_rank,
        -- the first rule whose three ranges contain the scores, else the other segment (ranked last)
        coalesce(
            list_filter(rfm_rule_list.rules, rule ->
                scored.recency_score between rule.r_min and rule.r_max
                and scored.frequency_score between rule.f_min and rule.f_max
                and scored.monetary_score between rule.m_min and rule.m_max
            )[1].rule_order,
            thresholds.rfm_other_rank
        ) as raw_rfm_segment_rank,
    from scored
    cross join thresholds
    cross join rfm_rule_list
),

held as (
    -- one sort per customer serves hysteresis, last month's ranks and last month's lifecycle inputs
    select
        raw_ranks.*,
        min(raw_ranks.raw_value_tier_rank) over value_now as value_tier_rank,
        min(raw_ranks.raw_value_tier_rank) over value_before as previous_value_tier_rank,
        min(raw_ranks.raw_abc_class_rank) over abc_now as abc_class_rank,
        min(raw_ranks.raw_abc_class_rank) over abc_before as previous_abc_class_rank,
        min(raw_ranks.raw_score_tier_rank) over score_now as score_tier_rank,
        min(raw_ranks.raw_score_tier_rank) over score_before as previous_score_tier_rank,
        min(raw_ranks.raw_rfm_segment_rank) over rfm_now as rfm_segment_rank,
        min(raw_ranks.raw_rfm_segment_rank) over rfm_before as previous_rfm_segment_rank,
        max(raw_ranks.comeback_date) over to_now as latest_comeback_date,
        max(raw_ranks.comeback_date) over to_last_month as previous_latest_comeback_date,
        lag(raw_ranks.month_end_date) over by_month as previous_month_end_date,
        lag(raw_ranks.last_order_date) over by_month as previous_last_order_date,
        lag(raw_ranks.lifetime_orders_count) over by_month as previous_lifetime_orders_count,
        lag(raw_ranks.trailing_orders_count) over by_month as previous_trailing_orders_count,
    from raw_ranks
    cross join parameters
    window
        by_month as (partition by raw_ranks.customer_key order by raw_ranks.month_index),
        -- ranks: 1 = top, so the held rank is the best (lowest) raw rank of the last N month ends
        value_now as (by_month rows between parameters.value_downgrade_after_months - 1 preceding and current row),
        value_before as (by_month rows between parameters.value_downgrade_after_months preceding and 1 preceding),
        abc_now as (by_month rows between parameters.abc_downgrade_after_months - 1 preceding and current row),
        abc_before as (by_month rows between parameters.abc_downgrade_after_months preceding and 1 preceding),
        score_now as (by_month rows between parameters.score_downgrade_after_months - 1 preceding and current row),
        score_before as (by_month rows between parameters.score_downgrade_after_months preceding and 1 preceding),
        rfm_now as (by_month rows between parameters.rfm_downgrade_after_months - 1 preceding and current row),
        rfm_before as (by_month rows between parameters.rfm_downgrade_after_months preceding and 1 preceding),
        to_now as (by_month rows between unbounded preceding and current row),
        to_last_month as (by_month rows between unbounded preceding and 1 preceding)
),

final as (
    select
        held.customer_key,
        held.month_index,
        held.first_order_month_index,
        held.first_order_date,
        held.last_order_date,
        held.orders_count,
        held.revenue_cny,
        held.trailing_revenue_cny,
        held.trailing_orders_count,
        held.lifetime_orders_count,
        held.lifetime_revenue_cny,
        held.recency_days,
        held.average_satisfaction_score,
        held.average_nps_score,
        held.recency_score,
        held.frequency_score,
        held.monetary_score,
        cast(round(held.customer_score, 1) as decimal(4, 1)) as customer_score,
        held.value_tier_rank,
        held.previous_value_tier_rank,
        held.abc_class_rank,
        held.previous_abc_class_rank,
        held.score_tier_rank,
        held.previous_score_tier_rank,
        held.rfm_segment_rank,
        held.previous_rfm_segment_rank,
        -- lifecycle codes (config_segments): 1 new, 2 active, 3 loyal, 4 won back, 5 at risk, 6 churned; 0 = prospect
        cast(case
            when held.recency_days > parameters.lifecycle_churn_days then 6
            when held.tenure_days <= parameters.lifecycle_new_days then 1
            when held.month_end_date - held.latest_comeback_date <= parameters.lifecycle_new_days then 4
            when held.recency_days > parameters.lifecycle_at_risk_days
                or (held.lifetime_orders_count >= 2
                    and held.recency_days > parameters.lifecycle_at_risk_gap_min_days
                    and held.recency_days > parameters.lifecycle_at_risk_gap_multiple * (held.last_order_date - held.first_order_date) / (held.lifetime_orders_count - 1)) then 5
            when held.trailing_orders_count >= parameters.lifecycle_loyal_min_orders then 3
            else 2
        end as utinyint) as lifecycle_stage_code,
        -- the same rules on last month's values (0 = prospect before the first purchase month)
        cast(case
            when held.previous_month_end_date is null then 0
            when held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_churn_days then 6
            when held.previous_month_end_date - held.first_order_date <= parameters.lifecycle_new_days then 1
            when held.previous_month_end_date - held.previous_latest_comeback_date <= parameters.lifecycle_new_days then 4
            when held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_at_risk_days
                or (held.previous_lifetime_orders_count >= 2
                    and held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_at_risk_gap_min_days
                    and held.previous_month_end_date - held.previous_last_order_date > parameters.lifecycle_at_risk_gap_multiple * (held.previous_last_order_date - held.first_order_date) / (held.previous_lifetime_orders_count - 1)) then 5
            when held.previous_trailing_orders_count >= parameters.lifecycle_loyal_min_orders then 3
            else 2
        end as utinyint) as previous_lifecycle_stage_code,
    from held
    cross join parameters
)

select * from final
