-- The month range chosen with the From / To dropdowns (either order), with its label for chart titles.
with chosen as (
    select
        least(cast('${inputs.from_month.value}' as date), cast('${inputs.to_month.value}' as date)) as first_month,
        greatest(cast('${inputs.from_month.value}' as date), cast('${inputs.to_month.value}' as date)) as last_month
)
select
    first_month,
    last_month,
    case when '${inputs.lang}' = 'zh'
        then strftime(first_month, '%Y年%-m月') || ' – ' || strftime(last_month, '%Y年%-m月')
        else strftime(first_month, '%b %Y') || ' – ' || strftime(last_month, '%b %Y')
    end as window_label,
    case when '${inputs.lang}' = 'zh' then strftime(last_month, '%Y年%-m月') else strftime(last_month, '%b %Y') end as last_month_label
from chosen
