-- The ten most frequent kinds of quarantine reason of the latest load.
select
    -- the chart's labels: the reason up to its first colon (the rest is advice, in the table)
    split_part(reason_kind, ':', 1) || ' · ' || column_name as reason_label,
    reason_kind as reason,
    file_name,
    column_name,
    rows_quarantined as rows_quarantined_num0,
    first_row_number,
    example_raw_value
from warehouse.quarantine_reasons
where reason_kind is not null
order by rows_quarantined desc
limit 10
