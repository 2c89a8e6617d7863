-- The comparisons the migration mart holds (every earlier month end to the latest month, and quarter end to later
-- quarter end), for the dropdown: the latest month's first, nearest first. The default: 12 months back to the
-- latest month, or as far back as the history goes.
with pairs as (
    select distinct
        comparison_key,
        from_month_start_date,
        to_month_start_date,
        months_back,
        is_to_latest_month,
    from warehouse.segment_migration_between_months
)
select
    comparison_key,
    case when '${inputs.lang}' = 'zh'
        then strftime(from_month_start_date, '%Y年%-m月') || ' → ' || strftime(to_month_start_date, '%Y年%-m月') || '（' || cast(months_back as integer) || ' 个月）'
        else strftime(from_month_start_date, '%b %Y') || ' → ' || strftime(to_month_start_date, '%b %Y') || ' (' || cast(months_back as integer) || (case when months_back = 1 then ' month)' else ' months)' end)
    end as comparison_label,
    row_number() over (order by to_month_start_date desc, months_back) as comparison_order,
    first_value(comparison_key) over (
        order by is_to_latest_month desc, months_back = 12 desc, months_back desc
    ) as default_comparison_key
from pairs
order by comparison_order
