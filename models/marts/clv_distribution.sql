-- CLV by tier in fixed CLV bands, and P(alive) bands by CLV tier: the CLV page's charts, aggregated (never per
-- customer). Two groupings in one small table (grouping = 'clv_band' or 'p_alive_band').
with clv as (
    select * from {{ ref('customer_clv') }}
),

bands as (
    -- CLV bands in CNY, lower bound inclusive
    select * from (values
        (1, 0, 1000, '< 1k'),
        (2, 1000, 5000, '1k–5k'),
        (3, 5000, 20000, '5k–20k'),
        (4, 20000, 50000, '20k–50k'),
        (5, 50000, 100000, '50k–100k'),
        (6, 100000, 250000, '100k–250k'),
        (7, 250000, 1000000, '250k–1M'),
        (8, 1000000, null, '≥ 1M')
    ) as b(band_rank, band_min_cny, band_max_cny, band_label)
),

clv_bands as (
    select
        'clv_band' as grouping,
        clv.clv_tier,
        clv.clv_tier_rank,
        bands.band_rank,
        bands.band_label,
        count(*) as customers,
        sum(clv.clv_cny) as clv_cny,
        count(*) filter (where clv.is_at_risk_high_value) as at_risk_customers,
        avg(clv.p_alive) as average_p_alive,
    from clv
    inner join bands
        on clv.clv_cny >= bands.band_min_cny
        and (bands.band_max_cny is null or clv.clv_cny < bands.band_max_cny)
    group by all
),

p_alive_bands as (
    -- tenths of P(alive); 'unknown' without a fitted model
    select
        'p_alive_band' as grouping,
        clv.clv_tier,
        clv.clv_tier_rank,
        coalesce(least(cast(floor(clv.p_alive * 10) as integer), 9) + 1, 0) as band_rank,
        case
            when clv.p_alive is null then 'unknown'
            else printf('%.1f–%.1f', least(floor(clv.p_alive * 10), 9) / 10, least(floor(clv.p_alive * 10), 9) / 10 + 0.1)
        end as band_label,
        count(*) as customers,
        sum(clv.clv_cny) as clv_cny,
        count(*) filter (where clv.is_at_risk_high_value) as at_risk_customers,
        avg(clv.p_alive) as average_p_alive,
    from clv
    group by all
),

final as (
    select
        grouping,
        clv_tier,
        clv_tier_rank,
        band_rank,
        band_label,
        customers,
        cast(clv_cny as double) as clv_cny,
        cast(clv_cny / customers as double) as average_clv_cny,
        at_risk_customers,
        cast(average_p_alive as double) as average_p_alive,
    from clv_bands
    union all
    select
        grouping,
        clv_tier,
        clv_tier_rank,
        band_rank,
        band_label,
        customers,
        cast(clv_cny as double),
        cast(clv_cny / customers as double),
        at_risk_customers,
        cast(average_p_alive as double),
    from p_alive_bands
)

select * from final
