with summary as (
    select * from {{ ref('int_customers_clv_summarized') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

histories as (
    select * from {{ source('clv', 'fitted_histories') }}
),

models as (
    select * from {{ source('clv', 'fitted_models') }}
),

settings as (
    select * from {{ source('clv', 'settings') }}
),

tiers as (
    select * from {{ source('clv', 'tiers') }}
),

-- one row always (an aggregate without group by): nulls when Gamma-Gamma was not fitted
spend_model as (
    select
        max(value) filter (where parameter = 'p') as p,
        max(value) filter (where parameter = 'q') as q,
        max(value) filter (where parameter = 'gamma') as gamma,
    from models
    where split = 'forecast' and model = 'gamma_gamma'
),

repeat_value as (
    select avg(monetary_cny) as mean_repeat_value_cny
    from summary
    where split = 'forecast' and monetary_cny > 0
),

forecast as (
    select
        summary.*,
        histories.model,
        histories.p_alive,
        histories.expected_purchases_horizon,
        histories.discounted_purchases_horizon,
    from summary
    inner join histories
        on histories.split = summary.split
        and histories.frequency = summary.frequency
        and histories.recency_units = summary.recency_units
        and histories.t_units = summary.t_units
    where summary.split = 'forecast'
),

-- one row always: nulls when BG/NBD was not fitted (the historical fallback)
purchase_model as (
    select
        max(value) filter (where parameter = 'r') as r,
        max(value) filter (where parameter = 'alpha') as alpha,
        max(value) filter (where parameter = 'a') as a,
        max(value) filter (where parameter = 'b') as b,
    from models
    where split = 'forecast' and model = 'bgnbd'
),

-- P(alive) a month ago: the same fitted model applied to the history as it stood then (FHL 2005, eq. 11)
month_ago as (
    select
        forecast.customer_key,
        case
            when forecast.frequency_month_ago is null or purchase_model.r is null then null
            when forecast.frequency_month_ago = 0 then 1.0
            else 1.0 / (1.0 + purchase_model.a / (purchase_model.b + forecast.frequency_month_ago - 1)
                * exp((purchase_model.r + forecast.frequency_month_ago)
                    * ln((purchase_model.alpha + forecast.t_month_ago_units) / (purchase_model.alpha + forecast.recency_month_ago_units))))
        end as p_alive_month_ago,
    from forecast
    cross join purchase_model
),

-- Gamma-Gamma's E[value | x, m]: between the population mean and the customer's own mean, closer to the
-- latter the more repeat purchases there are; without a usable fit, the customer's (or everyone's) mean
valued as (
    select
        forecast.*,
        case
            when spend_model.q > 1 and forecast.frequency > 0 and forecast.monetary_cny > 0
                then spend_model.p * (spend_model.gamma + forecast.frequency * forecast.monetary_cny)
                    / (spend_model.p * forecast.frequency + spend_model.q - 1)
            when spend_model.q > 1
                then spend_model.p * spend_model.gamma / (spend_model.q - 1)
            else coalesce(forecast.monetary_cny, repeat_value.mean_repeat_value_cny, 0)
        end as expected_value_cny,
    from forecast
    cross join spend_model
    cross join repeat_value
),

ranked as (
    select
        valued.*,
        valued.discounted_purchases_horizon * valued.expected_value_cny as clv_cny,
        -- share of customers whose CLV is at least this one's (ties share a tier)
        cume_dist() over (order by valued.discounted_purchases_horizon * valued.expected_value_cny desc) as clv_top_share,
    from valued
),

final as (
    select
        customers.customer_id,
        ranked.customer_key,
        ranked.model as clv_model,
        ranked.calibration_end_date as as_of_date,
        ranked.time_unit,
        ranked.frequency,
        ranked.recency_units,
        ranked.t_units,
        ranked.monetary_cny,
        ranked.p_alive,
        month_ago.p_alive_month_ago,
        ranked.p_alive - month_ago.p_alive_month_ago as p_alive_change,
        ranked.expected_purchases_horizon,
        ranked.expected_value_cny,
        ranked.clv_cny,
        settings.horizon_months,
        settings.monthly_discount_rate,
        tiers.clv_tier,
        tiers.clv_tier_zh,
        tiers.clv_tier_rank,
        case
            when ranked.p_alive is null then 'unknown'
            when ranked.p_alive < settings.churn_high_below then 'high'
            when ranked.p_alive < settings.churn_medium_below then 'medium'
            else 'low'
        end as churn_risk_band,
        ranked.clv_top_share <= settings.at_risk_top_share
            and (
                ranked.p_alive < settings.at_risk_p_alive_below
                or month_ago.p_alive_month_ago - ranked.p_alive >= settings.at_risk_p_alive_drop
            ) is true as is_at_risk_high_value,
    from ranked
    inner join customers on customers.customer_key = ranked.customer_key
    cross join settings
    left join month_ago on month_ago.customer_key = ranked.customer_key
    inner join tiers on ranked.clv_top_share > tiers.share_from and ranked.clv_top_share <= tiers.share_to
)

select * from final
