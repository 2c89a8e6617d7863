-- Every ranked scheme at every month end, per buyer, with data up to that month end only, before hysteresis:
-- value tier, ABC class, weighted score tier and RFM segment as small integer ranks (1 = top tier or first
-- rule), and the lifecycle stage. Schemes that rank customers within a month (ABC, RFM) first reduce the month to
-- a few cut points (small tables), so each customer-month is placed by comparisons instead of a sort of every row.
with customer_months_grid as not materialized (
    -- read once per ranking below; scanning the table again is cheaper than a materialized copy
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
        list(min_value order by segment_rank) filter (where scheme = 'abc') as abc_shares,
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
    -- what the month's breakpoints and cut-offs are computed from (the scoring below reads the grid itself)
    select
        grid.month_index,
        grid.trailing_revenue_cny,
        grid.lifetime_orders_count,
        grid.lifetime_revenue_cny,
        grid.lifetime_referrals_count,
        grid.lifetime_tickets_count,
        cast(months.month_end_date - grid.last_order_date as integer) as recency_days,
        cast(months.month_end_date - grid.first_order_date as integer) as tenure_days,
    from customer_months_grid as grid
    inner join months using (month_index)
),

monthly_quantiles as (
    -- type-7 quantiles (R's default) at 1/5 .. 4/5 (the R rfm package's five bins; a quantile must be a constant,
    -- and every extra one costs a pass over the month's values) and the 95th percentile the score normalises by
    select
        month_index,
        count(*) as buyers,
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

abc_values as not materialized (
    -- ABC ranks customers by trailing revenue within the month. No sort of every customer-month: the values are
    -- binned (about 2 % wide on a log scale; monotone, negative revenue below zero), the bins are ranked, and only
    -- the bin in which a class's share is crossed is looked at value by value
    select
        month_index,
        trailing_revenue_cny,
        cast(sign(trailing_revenue_cny) * floor(log2(1 + abs(trailing_revenue_cny)) * 32) as integer) as revenue_bin,
    from customer_months
),

abc_bins as (
    -- per month and bin: the customers and revenue in the bins above it, and the share ranked above its top value
    -- (of revenue for pareto, of customers for rank; no revenue share in a month whose total is not positive)
    select
        bins.month_index,
        bins.revenue_bin,
        bins.customers_above,
        bins.revenue_above_cny,
        case parameters.abc_method
            when 'pareto' then case when monthly_quantiles.total_trailing_revenue_cny > 0 then bins.revenue_above_cny / monthly_quantiles.total_trailing_revenue_cny end
            else bins.customers_above / monthly_quantiles.buyers
        end as share_above,
    from (
        select
            month_index,
            revenue_bin,
            coalesce(sum(customers) over above, 0) as customers_above,
            coalesce(sum(revenue_cny) over above, 0) as revenue_above_cny,
        from (
            select month_index, revenue_bin, count(*) as customers, sum(trailing_revenue_cny) as revenue_cny,
            from abc_values
            group by all
        )
        window above as (partition by month_index order by revenue_bin desc rows between unbounded preceding and 1 preceding)
    ) as bins
    inner join monthly_quantiles using (month_index)
    cross join parameters
),

abc_class_shares as (
    -- each class's cumulative share, top class first
    select
        cast(unnest(range(1, len(abc_shares) + 1)) as integer) as class_number,
        unnest(abc_shares) as share,
    from thresholds
),

abc_crossings as (
    -- per month and class, the bin holding the class's cut-off: the lowest bin whose top value has less than the
    -- share above it. Above a non-negative value the share only grows as the value falls, and a negative value has
    -- more than the whole revenue above it, so every value that makes the class is in this bin or above it
    select
        abc_bins.month_index,
        abc_class_shares.class_number,
        any_value(abc_class_shares.share) as share,
        min(abc_bins.revenue_bin) as revenue_bin,
    from abc_bins
    inner join abc_class_shares on abc_bins.share_above < abc_class_shares.share
    group by all
),

abc_crossing_values as (
    -- the distinct values in the crossing bins (a small part of the month), each with the customers and revenue
    -- strictly above it: tied customers share it, as they share their class
    select
        abc_crossings.month_index,
        abc_crossings.class_number,
        abc_crossings.share,
        crossing_values.trailing_revenue_cny,
        abc_bins.customers_above + coalesce(sum(crossing_values.customers) over by_revenue, 0) as customers_above,
        abc_bins.revenue_above_cny + coalesce(sum(crossing_values.revenue_cny) over by_revenue, 0) as revenue_above_cny,
    from (
        select abc_values.month_index, abc_values.revenue_bin, abc_values.trailing_revenue_cny, count(*) as customers,
            sum(abc_values.trailing_revenue_cny) as revenue_cny,
        from abc_values
        inner join (select distinct month_index, revenue_bin from abc_crossings) as crossing_bins using (month_index, revenue_bin)
        group by all
    ) as crossing_values
    inner join abc_crossings using (month_index, revenue_bin)
    inner join abc_bins using (month_index, revenue_bin)
    window by_revenue as (
        partition by abc_crossings.month_index, abc_crossings.class_number
        order by crossing_values.trailing_revenue_cny desc
        rows between unbounded preceding and 1 preceding
    )
),

abc_cutoffs as (
    -- per month, each class's cut-off: the lowest trailing revenue with less than the class's share above it. A
    -- customer below a class's cut-off falls past that class; when no customer makes it, every one does (+infinity)
    select
        month_index,
        list(coalesce(cutoff_cny, 'infinity'::double) order by class_number) as abc_cutoffs_cny,
    from (
        select
            monthly_quantiles.month_index,
            abc_class_shares.class_number,
            min(abc_crossing_values.trailing_revenue_cny) filter (where
                case parameters.abc_method
                    when 'pareto' then abc_crossing_values.revenue_above_cny / monthly_quantiles.total_trailing_revenue_cny
                    else abc_crossing_values.customers_above / monthly_quantiles.buyers
                end < abc_crossing_values.share
            ) as cutoff_cny,
        from monthly_quantiles
        cross join abc_class_shares
        cross join parameters
        left join abc_crossing_values using (month_index, class_number)
        group by all
    )
    group by month_index
),

rfm_ranked as (
    -- rfm.method rank only (no rows otherwise): each measure's customers ranked below within the month
    -- (recency: the longest ago ranks lowest), ties sharing the rank
    select
        month_index,
        recency_days,
        lifetime_orders_count,
        lifetime_revenue_cny,
        rank() over (partition by month_index order by recency_days desc) - 1 as recency_below,
        rank() over (partition by month_index order by lifetime_orders_count) - 1 as frequency_below,
        rank() over (partition by month_index order by lifetime_revenue_cny) - 1 as monetary_below,
        count(*) over (partition by month_index) as buyers,
    from customer_months
    -- the method as the small side of a join: when it is not rank, that side is empty and the grid is not read at
    -- all (a filter on the grid's rows would read all of it to keep none)
    inner join (select month_index from months cross join parameters where parameters.rfm_method = 'rank') as rank_months using (month_index)
),

rfm_rank_cutoffs as (
    -- equal-size bins by rank: a value scores at least s when bins × (customers ranked below) ≥ (s − 1) × buyers;
    -- per month and score, the cut-off is the lowest such value (the highest for recency)
    select
        month_index,
        list(recency_cutoff_days order by score) as recency_cutoffs,
        list(frequency_cutoff order by score) as frequency_cutoffs,
        list(monetary_cutoff_cny order by score) as monetary_cutoffs,
    from (
        select
            rfm_ranked.month_index,
            scores.score,
            max(rfm_ranked.recency_days) filter (where parameters.rfm_bins * rfm_ranked.recency_below >= (scores.score - 1) * rfm_ranked.buyers) as recency_cutoff_days,
            min(rfm_ranked.lifetime_orders_count) filter (where parameters.rfm_bins * rfm_ranked.frequency_below >= (scores.score - 1) * rfm_ranked.buyers) as frequency_cutoff,
            min(rfm_ranked.lifetime_revenue_cny) filter (where parameters.rfm_bins * rfm_ranked.monetary_below >= (scores.score - 1) * rfm_ranked.buyers) as monetary_cutoff_cny,
        from rfm_ranked
        cross join parameters
        cross join range(2, parameters.rfm_bins + 1) as scores(score)
        group by all
    )
    group by month_index
),

monthly_settings as (
    -- what a customer-month is compared with that depends on the month, one row per month: its breakpoints and
    -- cut-offs, each as its own column. The customer-months join this once; reading constants through cross joins
    -- or scalar subqueries would copy every wide row once per constant. The config's own values are bound
    -- parameters instead (the param tags): constants, nothing to copy
    select
        monthly_quantiles.month_index,
        months.month_end_date,
        -- the R rfm package's breakpoints: quantile + 1, a value scores past a breakpoint when it is >= it
        monthly_quantiles.recency_quantiles[1] + 1 as recency_break_1,
        monthly_quantiles.recency_quantiles[2] + 1 as recency_break_2,
        monthly_quantiles.recency_quantiles[3] + 1 as recency_break_3,
        monthly_quantiles.recency_quantiles[4] + 1 as recency_break_4,
        monthly_quantiles.frequency_quantiles[1] + 1 as frequency_break_1,
        monthly_quantiles.frequency_quantiles[2] + 1 as frequency_break_2,
        monthly_quantiles.frequency_quantiles[3] + 1 as frequency_break_3,
        monthly_quantiles.frequency_quantiles[4] + 1 as frequency_break_4,
        monthly_quantiles.monetary_quantiles[1] + 1 as monetary_break_1,
        monthly_quantiles.monetary_quantiles[2] + 1 as monetary_break_2,
        monthly_quantiles.monetary_quantiles[3] + 1 as monetary_break_3,
        monthly_quantiles.monetary_quantiles[4] + 1 as monetary_break_4,
        greatest(monthly_quantiles.recency_quantiles[5], 1) as recency_cap_days,
        greatest(monthly_quantiles.frequency_quantiles[5], 1) as frequency_cap,
        greatest(monthly_quantiles.monetary_quantiles[5], 1) as monetary_cap_cny,
        monthly_quantiles.tenure_cap_days,
        monthly_quantiles.referrals_cap,
        monthly_quantiles.tickets_cap,
        len(abc_cutoffs.abc_cutoffs_cny) as abc_classes,
        abc_cutoffs.abc_cutoffs_cny[1] as abc_cutoff_1_cny,
        abc_cutoffs.abc_cutoffs_cny[2] as abc_cutoff_2_cny,
        abc_cutoffs.abc_cutoffs_cny[3] as abc_cutoff_3_cny,
        abc_cutoffs.abc_cutoffs_cny[4] as abc_cutoff_4_cny,
        abc_cutoffs.abc_cutoffs_cny[5] as abc_cutoff_5_cny,
        abc_cutoffs.abc_cutoffs_cny[6] as abc_cutoff_6_cny,
        abc_cutoffs.abc_cutoffs_cny[7] as abc_cutoff_7_cny,
        abc_cutoffs.abc_cutoffs_cny[8] as abc_cutoff_8_cny,
        abc_cutoffs.abc_cutoffs_cny[9] as abc_cutoff_9_cny,
        abc_cutoffs.abc_cutoffs_cny[10] as abc_cutoff_10_cny,
        rfm_rank_cutoffs.recency_cutoffs[1] as recency_rank_cutoff_1,
        rfm_rank_cutoffs.recency_cutoffs[2] as recency_rank_cutoff_2,
        rfm_rank_cutoffs.recency_cutoffs[3] as recency_rank_cutoff_3,
        rfm_rank_cutoffs.recency_cutoffs[4] as recency_rank_cutoff_4,
        rfm_rank_cutoffs.recency_cutoffs[5] as recency_rank_cutoff_5,
        rfm_rank_cutoffs.recency_cutoffs[6] as recency_rank_cutoff_6,
        rfm_rank_cutoffs.recency_cutoffs[7] as recency_rank_cutoff_7,
        rfm_rank_cutoffs.recency_cutoffs[8] as recency_rank_cutoff_8,
        rfm_rank_cutoffs.recency_cutoffs[9] as recency_rank_cutoff_9,
        rfm_rank_cutoffs.frequency_cutoffs[1] as frequency_rank_cutoff_1,
        rfm_rank_cutoffs.frequency_cutoffs[2] as frequency_rank_cutoff_2,
        rfm_rank_cutoffs.frequency_cutoffs[3] as frequency_rank_cutoff_3,
        rfm_rank_cutoffs.frequency_cutoffs[4] as frequency_rank_cutoff_4,
        rfm_rank_cutoffs.frequency_cutoffs[5] as frequency_rank_cutoff_5,
        rfm_rank_cutoffs.frequency_cutoffs[6] as frequency_rank_cutoff_6,
        rfm_rank_cutoffs.frequency_cutoffs[7] as frequency_rank_cutoff_7,
        rfm_rank_cutoffs.frequency_cutoffs[8] as frequency_rank_cutoff_8,
        rfm_rank_cutoffs.frequency_cutoffs[9] as frequency_rank_cutoff_9,
        rfm_rank_cutoffs.monetary_cutoffs[1] as monetary_rank_cutoff_1,
        rfm_rank_cutoffs.monetary_cutoffs[2] as monetary_rank_cutoff_2,
        rfm_rank_cutoffs.monetary_cutoffs[3] as monetary_rank_cutoff_3,
        rfm_rank_cutoffs.monetary_cutoffs[4] as monetary_rank_cutoff_4,
        rfm_rank_cutoffs.monetary_cutoffs[5] as monetary_rank_cutoff_5,
        rfm_rank_cutoffs.monetary_cutoffs[6] as monetary_rank_cutoff_6,
        rfm_rank_cutoffs.monetary_cutoffs[7] as monetary_rank_cutoff_7,
        rfm_rank_cutoffs.monetary_cutoffs[8] as monetary_rank_cutoff_8,
        rfm_rank_cutoffs.monetary_cutoffs[9] as monetary_rank_cutoff_9,
    from monthly_quantiles
    inner join months using (month_index)
    left join abc_cutoffs using (month_index)
    left join rfm_rank_cutoffs using (month_index)
),

rfm_segment_by_score as (
    -- the segment of every (R, F, M) score combination, looked up by its code
    select
        cast(unnest(range(1, len(segment_rank_by_score) + 1)) as integer) as rfm_score_code,
        cast(unnest(segment_rank_by_score) as utinyint) as raw_rfm_segment_rank,
    from rfm_lookup
),

scored as (
    select
        grid.customer_key,
        grid.month_index,
        grid.first_order_month_index,
        grid.first_order_date,
        grid.last_order_date,
        grid.orders_count,
        grid.revenue_cny,
        grid.trailing_revenue_cny,
        grid.trailing_orders_count,
        grid.lifetime_orders_count,
        grid.lifetime_revenue_cny,
        grid.latest_comeback_date,
        grid.average_satisfaction_score,
        grid.average_nps_score,
        cast(settings.month_end_date - grid.last_order_date as integer) as recency_days,
        cast(settings.month_end_date - grid.first_order_date as integer) as tenure_days,
        case {{ param('value_tier_measure') }}
            when 'orders' then grid.trailing_orders_count
            when 'quantity' then grid.trailing_quantity
            else grid.trailing_revenue_cny
        end as value_measure,
        -- the classes whose cut-off the customer is below, plus one (the last class at most). Here and in the tier
        -- ranks below, one nested CASE per slot: slots past the scheme's count are never compared (each comparison
        -- is a pass over every customer-month)
        cast(least(1 + case when settings.abc_classes >= 1 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_1_cny, false)::int + case when settings.abc_classes >= 2 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_2_cny, false)::int + case when settings.abc_classes >= 3 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_3_cny, false)::int + case when settings.abc_classes >= 4 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_4_cny, false)::int + case when settings.abc_classes >= 5 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_5_cny, false)::int + case when settings.abc_classes >= 6 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_6_cny, false)::int + case when settings.abc_classes >= 7 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_7_cny, false)::int + case when settings.abc_classes >= 8 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_8_cny, false)::int + case when settings.abc_classes >= 9 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_9_cny, false)::int + case when settings.abc_classes >= 10 then coalesce(grid.trailing_revenue_cny < settings.abc_cutoff_10_cny, false)::int else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end, settings.abc_classes) as utinyint) as raw_abc_class_rank,
        cast(case {{ param('rfm_method') }}
            when 'rank' then 1 + case when {{ param('rfm_bins') }} > 1 then coalesce(recency_days <= settings.recency_rank_cutoff_1, false)::int + case when {{ param('rfm_bins') }} > 2 then coalesce(recency_days <= settings.recency_rank_cutoff_2, false)::int + case when {{ param('rfm_bins') }} > 3 then coalesce(recency_days <= settings.recency_rank_cutoff_3, false)::int + case when {{ param('rfm_bins') }} > 4 then coalesce(recency_days <= settings.recency_rank_cutoff_4, false)::int + case when {{ param('rfm_bins') }} > 5 then coalesce(recency_days <= settings.recency_rank_cutoff_5, false)::int + case when {{ param('rfm_bins') }} > 6 then coalesce(recency_days <= settings.recency_rank_cutoff_6, false)::int + case when {{ param('rfm_bins') }} > 7 then coalesce(recency_days <= settings.recency_rank_cutoff_7, false)::int + case when {{ param('rfm_bins') }} > 8 then coalesce(recency_days <= settings.recency_rank_cutoff_8, false)::int + case when {{ param('rfm_bins') }} > 9 then coalesce(recency_days <= settings.recency_rank_cutoff_9, false)::int else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end
            else {{ param('rfm_bins') }} - ((settings.recency_break_1 <= recency_days)::int + (settings.recency_break_2 <= recency_days)::int + (settings.recency_break_3 <= recency_days)::int + (settings.recency_break_4 <= recency_days)::int)
        end as utinyint) as recency_score,
        cast(case {{ param('rfm_method') }}
            when 'rank' then 1 + case when {{ param('rfm_bins') }} > 1 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_1, false)::int + case when {{ param('rfm_bins') }} > 2 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_2, false)::int + case when {{ param('rfm_bins') }} > 3 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_3, false)::int + case when {{ param('rfm_bins') }} > 4 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_4, false)::int + case when {{ param('rfm_bins') }} > 5 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_5, false)::int + case when {{ param('rfm_bins') }} > 6 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_6, false)::int + case when {{ param('rfm_bins') }} > 7 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_7, false)::int + case when {{ param('rfm_bins') }} > 8 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_8, false)::int + case when {{ param('rfm_bins') }} > 9 then coalesce(grid.lifetime_orders_count >= settings.frequency_rank_cutoff_9, false)::int else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end
            else 1 + ((settings.frequency_break_1 <= grid.lifetime_orders_count)::int + (settings.frequency_break_2 <= grid.lifetime_orders_count)::int + (settings.frequency_break_3 <= grid.lifetime_orders_count)::int + (settings.frequency_break_4 <= grid.lifetime_orders_count)::int)
        end as utinyint) as frequency_score,
        cast(case {{ param('rfm_method') }}
            when 'rank' then 1 + case when {{ param('rfm_bins') }} > 1 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_1, false)::int + case when {{ param('rfm_bins') }} > 2 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_2, false)::int + case when {{ param('rfm_bins') }} > 3 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_3, false)::int + case when {{ param('rfm_bins') }} > 4 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_4, false)::int + case when {{ param('rfm_bins') }} > 5 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_5, false)::int + case when {{ param('rfm_bins') }} > 6 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_6, false)::int + case when {{ param('rfm_bins') }} > 7 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_7, false)::int + case when {{ param('rfm_bins') }} > 8 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_8, false)::int + case when {{ param('rfm_bins') }} > 9 then coalesce(grid.lifetime_revenue_cny >= settings.monetary_rank_cutoff_9, false)::int else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end
            else 1 + ((settings.monetary_break_1 <= grid.lifetime_revenue_cny)::int + (settings.monetary_break_2 <= grid.lifetime_revenue_cny)::int + (settings.monetary_break_3 <= grid.lifetime_revenue_cny)::int + (settings.monetary_break_4 <= grid.lifetime_revenue_cny)::int)
        end as utinyint) as monetary_score,
        -- weighted score 0..100: indicators normalised to 0..1 against the month's buyers (see models/segmentation.yml)
        100 * (
            {{ param('score_weight_recency') }} * (1 - least(recency_days / settings.recency_cap_days, 1))
            + {{ param('score_weight_frequency') }} * least(grid.lifetime_orders_count / settings.frequency_cap, 1)
            + {{ param('score_weight_monetary') }} * least(grid.lifetime_revenue_cny / settings.monetary_cap_cny, 1)
            + {{ param('score_weight_tenure') }} * least(tenure_days / settings.tenure_cap_days, 1)
            + {{ param('score_weight_satisfaction') }} * coalesce((grid.average_satisfaction_score - 1) / 4, 0.5)
            + {{ param('score_weight_referrals') }} * least(grid.lifetime_referrals_count / settings.referrals_cap, 1)
            + {{ param('score_weight_tickets') }} * (1 - least(grid.lifetime_tickets_count / settings.tickets_cap, 1))
        ) / {{ param('score_weight_total') }} as customer_score,
        -- 1 + the number of tiers whose minimum is above the value (config allows at most 10 tiers; nested as above)
        cast(1 + case when {{ param('value_tiers') }} >= 1 then coalesce({{ param('value_minimum_1') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 2 then coalesce({{ param('value_minimum_2') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 3 then coalesce({{ param('value_minimum_3') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 4 then coalesce({{ param('value_minimum_4') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 5 then coalesce({{ param('value_minimum_5') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 6 then coalesce({{ param('value_minimum_6') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 7 then coalesce({{ param('value_minimum_7') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 8 then coalesce({{ param('value_minimum_8') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 9 then coalesce({{ param('value_minimum_9') }} > value_measure, false)::int + case when {{ param('value_tiers') }} >= 10 then coalesce({{ param('value_minimum_10') }} > value_measure, false)::int else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end as utinyint) as raw_value_tier_rank,
        cast(1 + case when {{ param('score_tiers') }} >= 1 then coalesce({{ param('score_minimum_1') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 2 then coalesce({{ param('score_minimum_2') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 3 then coalesce({{ param('score_minimum_3') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 4 then coalesce({{ param('score_minimum_4') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 5 then coalesce({{ param('score_minimum_5') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 6 then coalesce({{ param('score_minimum_6') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 7 then coalesce({{ param('score_minimum_7') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 8 then coalesce({{ param('score_minimum_8') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 9 then coalesce({{ param('score_minimum_9') }} > customer_score, false)::int + case when {{ param('score_tiers') }} >= 10 then coalesce({{ param('score_minimum_10') }} > customer_score, false)::int else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end else 0 end as utinyint) as raw_score_tier_rank,
        -- lifecycle codes (config_segments): 1 new, 2 active, 3 loyal, 4 won back, 5 at risk, 6 churned (0 = prospect);
        -- the first that applies
        cast(case
            when recency_days > {{ param('lifecycle_churn_days') }} then 6
            when tenure_days <= {{ param('lifecycle_new_days') }} then 1
            when settings.month_end_date - grid.latest_comeback_date <= {{ param('lifecycle_new_days') }} then 4
            when recency_days > {{ param('lifecycle_at_risk_days') }}
                or (grid.lifetime_orders_count >= 2
                    and recency_days > {{ param('lifecycle_at_risk_gap_min_days') }}
                    and recency_days > {{ param('lifecycle_at_risk_gap_multiple') }} * (grid.last_order_date - grid.first_order_date) / (grid.lifetime_orders_count - 1)) then 5
            when grid.trailing_orders_count >= {{ param('lifecycle_loyal_min_orders') }} then 3
            else 2
        end as utinyint) as lifecycle_stage_code,
        -- the code of the score combination in rfm_segment_by_score
        cast(((recency_score - 1) * {{ param('rfm_bins') }} + frequency_score - 1) * {{ param('rfm_bins') }} + monetary_score as integer) as rfm_score_code,
    from customer_months_grid as grid
    inner join monthly_settings as settings using (month_index)
),

final as (
    -- the rank each scheme gives at this month end before hysteresis
    select
        scored.customer_key,
        scored.month_index,
        scored.first_order_month_index,
        scored.first_order_date,
        scored.last_order_date,
        scored.orders_count,
        scored.revenue_cny,
        scored.trailing_revenue_cny,
        scored.trailing_orders_count,
        scored.lifetime_orders_count,
        scored.lifetime_revenue_cny,
        scored.recency_days,
        scored.average_satisfaction_score,
        scored.average_nps_score,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        scored.customer_score,
        scored.raw_value_tier_rank,
        scored.raw_abc_class_rank,
        scored.raw_score_tier_rank,
        -- the first rule whose three ranges contain the scores, else the other segment (ranked last)
        rfm_segment_by_score.raw_rfm_segment_rank,
        scored.lifecycle_stage_code,
    from scored
    inner join rfm_segment_by_score using (rfm_score_code)
)

select * from final
