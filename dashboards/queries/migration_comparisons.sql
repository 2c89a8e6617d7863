-- The comparisons the migration mart holds (every earlier month end to the latest month), for the dropdown.
select distinct
    months_back,
    case when '${inputs.lang}' = 'zh'
        then strftime(from_month_start_date, '%Y年%-m月') || ' → ' || strftime(to_month_start_date, '%Y年%-m月') || '（' || cast(months_back as integer) || ' 个月）'
        else strftime(from_month_start_date, '%b %Y') || ' → ' || strftime(to_month_start_date, '%b %Y') || ' (' || cast(months_back as integer) || (case when months_back = 1 then ' month)' else ' months)' end)
    end as comparison_label
from warehouse.segment_migration_between_months
order by months_back
