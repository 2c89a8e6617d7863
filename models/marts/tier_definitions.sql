-- The member levels as configured, for labels and legends on the dashboard.
with tiers as (
    select * from {{ source('config', 'value_tiers') }}
),

parameters as (
    select * from {{ source('config', 'parameters') }}
),

final as (
    select
        tiers.tier,
        tiers.tier_rank,
        tiers.min_revenue_cny as min_trailing_revenue_cny,
        parameters.value_tier_window_months as window_months,
        tiers.label_en,
        tiers.label_zh,
    from tiers
    cross join parameters
)

select * from final
